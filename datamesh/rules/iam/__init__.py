"""Rules on IAM policies, roles and resource policies."""
