"""``meshctl``: the command line of the data mesh, one module per command group."""
