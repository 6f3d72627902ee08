"""A mesh of its own for the tests of what shows the mesh (report, portal, plan, catalog, contract diff).

sales produces ``orders`` (open, latency 1 day) and ``customers`` (pii ``email``; marketing's approval keeps
the rows of ``country = 'FR'`` and withholds ``segment``); finance produces ``invoices`` (latency 1 second)
and reads orders; marketing reads through its analyst role, a BI role and a Glue 4.0 job role, the last
only for orders (nothing is withheld from orders, so an engine that does not filter may read it).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.git_mesh import git
from tests.support.small_mesh import contract, mesh_config, write_mesh

SALES, FINANCE, MARKETING = "222222222222", "333333333333", "444444444444"
OWNER = {"team": "Data", "email": "data@example.com"}
ROWS = "country = 'FR'"


def _contract(name: str, properties: list[dict[str, Any]], sla: dict[str, Any]) -> dict[str, Any]:
    found = contract(*properties, id=f"{name}-contract", slaProperties=[sla])
    found["schema"][0]["name"] = name
    found["schema"][0]["quality"] = [{"metric": "rowCount", "mustBeGreaterThan": 0}]
    return found


CUSTOMERS = _contract(
    "customers",
    [
        {"name": "customer_id", "logicalType": "string", "required": True},
        {"name": "country", "logicalType": "string"},
        {"name": "segment", "logicalType": "string"},
        {"name": "email", "logicalType": "string", "tags": ["pii"], "classification": "confidential"},
    ],
    {"property": "frequency", "value": 1, "unit": "d"},
)

DOMAINS: list[dict[str, Any]] = [
    {
        "name": "sales",
        "account": SALES,
        "owner": OWNER,
        "products": [
            {
                "name": "orders",
                "confidentiality": "internal",
                "description": "Order lines",
                "contract": _contract(
                    "orders",
                    [
                        {
                            "name": "order_id",
                            "logicalType": "string",
                            "quality": [{"metric": "nullValues", "mustBe": 0}],
                        },
                        {"name": "amount", "logicalType": "number"},
                    ],
                    {"property": "latency", "value": 1, "unit": "d"},
                ),
                "shared_with": "all",
            },
            {
                "name": "customers",
                "confidentiality": "confidential",
                "description": "Customers",
                "contract": "sales/contracts/customers.yaml",
                "shared_with": ["marketing"],
                "decisions": [
                    {
                        "consumer": "marketing",
                        "decision": "approved",
                        "by": "data@example.com",
                        "date": "2026-12-01",
                        "rows": ROWS,
                        "withhold": ["segment"],
                    }
                ],
            },
        ],
    },
    {
        "name": "finance",
        "account": FINANCE,
        "owner": OWNER,
        "products": [
            {
                "name": "invoices",
                "confidentiality": "internal",
                "description": "Invoices",
                "contract": _contract(
                    "invoices",
                    [{"name": "invoice_id", "logicalType": "string"}],
                    {"property": "latency", "value": 1, "unit": "s"},
                ),
            }
        ],
        "consumes": [{"product": "sales.orders"}],
    },
    {
        "name": "marketing",
        "account": MARKETING,
        "owner": OWNER,
        "principals": [
            {"name": "analyst"},
            {"name": "bi", "role": "acme-marketing-bi", "engine": "redshift-spectrum"},
            {"name": "etl", "role": "acme-marketing-etl", "engine": "glue", "engine_version": "4.0"},
        ],
        "consumes": [
            {"product": "sales.customers", "principals": ["analyst", "bi"]},
            {"product": "sales.orders"},
        ],
    },
]


def domains() -> list[dict[str, Any]]:
    """The domain files' contents, to edit before writing."""
    return copy.deepcopy(DOMAINS)


CUSTOMERS_FILE = "domains/sales/contracts/customers.yaml"


def write(folder: Path, *edited: dict[str, Any]) -> Path:
    """Write the mesh into ``folder`` (``edited``: domain files replacing those of their names), with the customers
    contract in its own file (:data:`CUSTOMERS_FILE`); returns mesh.yaml."""
    replaced = {d["name"]: d for d in edited}
    return write_mesh(
        folder,
        mesh_config(),
        *(replaced.get(d["name"], d) for d in domains()),
        files={CUSTOMERS_FILE: yaml.safe_dump(CUSTOMERS, sort_keys=False)},
    )


def domain(name: str) -> dict[str, Any]:
    return next(d for d in domains() if d["name"] == name)


@pytest.fixture
def views_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mesh committed in a new git repository, which is the working directory."""
    write(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MESHCTL_MESH", raising=False)
    return tmp_path
