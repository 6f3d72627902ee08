"""The mesh's report: KPIs, lead times and trend, the graph and the catalog search, as meshctl and the portal show them."""
