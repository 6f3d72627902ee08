"""The CDK app of a mesh: its stacks composed in waves, the policies and cdk-nag hooked in (``app.py`` runs it)."""
