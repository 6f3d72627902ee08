"""A copy of the example mesh in which sales approves marketing's request for customers with a slice of it:
the rows of one country and the customers' segment withheld, so the share is a Lake Formation data cells
filter on sales_customers.customers, granted to marketing's account and by it to its analyst role."""

from __future__ import annotations

from pathlib import Path

from tests.support.multitable_mesh import copy_example_mesh, edit_yaml

ROWS = "country = 'FR'"
WITHHOLD = ["segment"]
DECISION = {
    "consumer": "marketing",
    "decision": "approved",
    "by": "sales-data@example.com",
    "date": "2026-12-01",
    "rows": ROWS,
    "withhold": WITHHOLD,
}


def copy_filtered_mesh(dest: Path) -> Path:
    """The example mesh's files under ``dest`` with sales' approval of ``DECISION``; returns the mesh.yaml."""
    mesh_file = copy_example_mesh(dest)

    def approve(domain: dict) -> None:
        customers = next(p for p in domain["products"] if p["name"] == "customers")
        customers["decisions"] = [dict(DECISION)]

    edit_yaml(mesh_file.parent / "domains/sales.yaml", approve)
    return mesh_file
