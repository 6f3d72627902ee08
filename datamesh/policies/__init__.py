"""Federated computational governance: the mesh's policies as code.

Two halves, documented rule by rule in ``docs/governance.md``:

- :mod:`datamesh.policies.parameter_rules` check the parameter files; ``load_mesh`` reports
  their findings like any other configuration problem (file, field, reason).
- :mod:`datamesh.policies.resource_rules` check every resource of the synthesized templates,
  run by the policy-validation plugin in :mod:`datamesh.policies.plugin`;
  :mod:`datamesh.policies.enforce` hooks it, cdk-nag and the acknowledgements into the app.

This module imports nothing so that ``datamesh.config`` can import the parameter rules.
"""
