"""The test mesh of meshctl's tests, its own so that edits of the example mesh do not move them."""

from __future__ import annotations

from pathlib import Path

MESH = """\
# yaml-language-server: $schema=schemas/mesh.schema.json
name: acme
region: eu-west-1
governance_account: "111111111111"
taxonomy:
  confidentiality: [public, internal, confidential, restricted]
"""

DOMAINS = {
    "sales": """\
# yaml-language-server: $schema=../schemas/domain.schema.json
# Sales: orders are open to everyone, customers need approval.
name: sales
account: "222222222222"
owner:
  team: Sales Engineering
  email: sales-data@example.com
products:
  - name: orders
    description: Every confirmed order, one row per order line.
    confidentiality: internal
    columns:
      - {name: order_id, type: string, description: Order identifier}
      - {name: customer_id, type: string, description: Buyer}
    partition_keys:
      - {name: order_date, type: date, description: Day of the order}
    shared_with: all
  - name: customers
    description: Customer master data.
    confidentiality: confidential
    columns:
      - {name: customer_id, type: string, description: Customer identifier}
      - {name: email, type: string, description: Contact e-mail, pii: true}
    shared_with: [marketing]  # approved in the spring review
""",
    "finance": """\
# yaml-language-server: $schema=../schemas/domain.schema.json
# Finance: produces invoices, consumes orders.
name: finance
account: "333333333333"
owner:
  team: Finance Data
  email: finance-data@example.com
products:
  - name: invoices
    description: Issued invoices and their payment status.
    confidentiality: confidential
    columns:
      - {name: invoice_id, type: string, description: Invoice number}
      - {name: paid, type: boolean}
    shared_with: []
consumes:
  - product: sales.orders
""",
    "marketing": """\
# yaml-language-server: $schema=../schemas/domain.schema.json
# Marketing: a consumer only.
name: marketing
account: "444444444444"
owner:
  team: Marketing Analytics
  email: marketing-data@example.com
consumes:
  # Campaign targeting.
  - product: sales.customers
    permissions: [SELECT, DESCRIBE]
  - product: sales.orders
    permissions: [DESCRIBE]
""",
}


def write_mesh(folder: Path) -> Path:
    (folder / "domains").mkdir(parents=True, exist_ok=True)
    (folder / "mesh.yaml").write_text(MESH)
    for name, text in DOMAINS.items():
        (folder / "domains" / f"{name}.yaml").write_text(text)
    return folder / "mesh.yaml"


def domain_text(folder: Path, name: str) -> str:
    return (folder / "domains" / f"{name}.yaml").read_text()
