"""Federated computational governance, the half that reads the parameter files.

:mod:`datamesh.policies.parameter_rules` check the parameter files; ``load_mesh`` is given them
(``rules=parameter_problems``) and reports their findings like any other configuration problem
(file, field, reason). :mod:`datamesh.policies.classification` ranks the confidentiality levels.
The other half, the rules on every resource of the synthesized templates, is :mod:`datamesh.rules`;
the tags and cdk-nag acknowledgements the constructs attach are :mod:`datamesh.annotations`.
Both halves are documented rule by rule in ``docs/governance.md``.

The configuration sits below the policies: it never imports them, and this module imports nothing.
"""
