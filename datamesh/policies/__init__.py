"""Federated computational governance: the mesh's policies as code.

Two halves, documented rule by rule in ``docs/governance.md``:

- :mod:`datamesh.policies.parameter_rules` check the parameter files; ``load_mesh`` is given
  them (``rules=parameter_problems``) and reports their findings like any other
  configuration problem (file, field, reason).
- :mod:`datamesh.policies.resource_rules` check every resource of the synthesized templates,
  run by the policy-validation plugin in :mod:`datamesh.policies.plugin`;
  :mod:`datamesh.policies.enforce` hooks it and cdk-nag into the app.

The stacks and constructs use :mod:`datamesh.policies.tagging` (every tag a stack carries)
and :mod:`datamesh.policies.acknowledgements` (the cdk-nag findings a construct causes);
neither imports the stacks, so the policies know nothing of the stacks' insides.

The configuration sits below the policies: it never imports them, and this module imports nothing.
"""
