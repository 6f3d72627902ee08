"""A copy of the example mesh in which sales.customers has three tables and marketing reads two.

The contract's first object keeps the product's name, so the single-table product's table
stays where it was; ``addresses`` has a pii column, ``segments`` none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import EXAMPLE_MESH, ROOT

ADDRESSES = {
    "name": "addresses",
    "physicalType": "table",
    "description": "Postal addresses of customers",
    "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
    "properties": [
        {
            "name": "customer_id",
            "logicalType": "string",
            "required": True,
            "quality": [{"metric": "nullValues", "mustBe": 0}],
        },
        {"name": "street", "logicalType": "string", "classification": "confidential", "tags": ["pii"]},
        {"name": "city", "logicalType": "string"},
    ],
}
SEGMENTS = {
    "name": "segments",
    "physicalType": "table",
    "description": "Market segments",
    "properties": [
        {"name": "segment", "logicalType": "string", "required": True},
        {"name": "label", "logicalType": "string"},
    ],
}
CONTRACT = "domains/sales/contracts/customers.yaml"
READ_BY_MARKETING = ["customers", "addresses"]


def copy_example_mesh(dest: Path) -> Path:
    """The example mesh's files under ``dest``; returns the copied mesh.yaml."""
    shutil.copytree(ROOT / "domains", dest / "domains")
    shutil.copy(EXAMPLE_MESH, dest / "mesh.yaml")
    return dest / "mesh.yaml"


def edit_yaml(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def every_row(doc: dict) -> dict:
    """sales.yaml without the row filter of its approvals: the example's filter names a column of the
    customers table that the tables added here lack (a product's row filter applies to each of its tables)."""
    for product in doc["products"]:
        for decision in product.get("decisions", []):
            decision.pop("rows", None)
    return doc


EVERY_ROW = ("domains/sales.yaml", every_row)


def add_tables(
    mesh_file: Path,
    tables: tuple[dict, ...] = (ADDRESSES, SEGMENTS),
    read_by_marketing: list[str] | None = READ_BY_MARKETING,
) -> None:
    """Give sales.customers the contract's tables plus ``tables``; marketing subscribes to ``read_by_marketing``."""
    root = mesh_file.parent
    edit_yaml(root / CONTRACT, lambda doc: doc["schema"].extend(tables))
    edit_yaml(root / EVERY_ROW[0], every_row)

    def subscribe(domain: dict) -> None:
        for sub in domain["consumes"]:
            if sub["product"] == "sales.customers":
                sub.pop("tables", None)
                if read_by_marketing:
                    sub["tables"] = read_by_marketing

    edit_yaml(root / "domains/marketing.yaml", subscribe)
