"""Federated computational governance: the mesh's policies as code.

Two halves, documented rule by rule in ``docs/governance.md``:

- :mod:`datamesh.policies.parameter_rules` check the parameter files; ``load_mesh`` is given
  them (``rules=parameter_problems``) and reports their findings like any other
  configuration problem (file, field, reason).
- :mod:`datamesh.policies.resource_rules` check every resource of the synthesized templates,
  run by the policy-validation plugin in :mod:`datamesh.policies.plugin`;
  :mod:`datamesh.policies.enforce` hooks it, cdk-nag and the acknowledgements into the app.

The configuration sits below the policies: it never imports them, and this module imports nothing.
"""
