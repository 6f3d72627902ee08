"""Names: every physical name the mesh derives (naming), and what Glue and Athena accept as names and column types (glue_grammar)."""
