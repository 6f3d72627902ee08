"""Mutation testing of the fast tests: ``python -m tests.mutation`` (``make mutation``)."""
