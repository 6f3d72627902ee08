"""Rules on Athena workgroups."""
