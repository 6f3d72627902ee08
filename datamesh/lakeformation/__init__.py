"""Lake Formation's own shapes, below the blueprint that uses them."""
