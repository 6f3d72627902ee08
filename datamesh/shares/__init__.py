"""Editing the parameter files: share requests and decisions, written back with their comments kept."""
