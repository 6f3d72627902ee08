"""Rules on Lake Formation grants."""
