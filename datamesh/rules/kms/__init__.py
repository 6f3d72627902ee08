"""Rules on KMS keys."""
