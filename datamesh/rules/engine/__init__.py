"""The rules' machinery: the rule base class, CloudFormation helpers, the policy-validation plugin and its hook into the app."""
