"""``meshctl doctor``'s checks: each account of the mesh read and compared with the blueprint, one finding a check."""
