"""Rules on Glue databases and tables."""
