"""AWS sessions across the mesh's accounts, and what each API's answers mean (missing, cannot read)."""
