"""Reusable L3 constructs of the mesh."""
