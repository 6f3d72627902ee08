"""Rules on every resource: tags, retention."""
