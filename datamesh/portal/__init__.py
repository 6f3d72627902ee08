"""The catalog portal: a static site of the mesh's products, domains, graph and KPIs (``meshctl portal``)."""
