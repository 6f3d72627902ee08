"""`meshctl plan --since` is checked against the truth: the stacks it marks changed are exactly
those whose synthesized templates differ.

Each edit is made to a copy of the example mesh, with meshctl where it has a command for it;
both versions are synthesized in-process and compared template by template (nothing needs
normalising: the templates hold no asset hashes or timestamps).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from aws_cdk import App
from aws_cdk.assertions import Template
from typer.testing import CliRunner

from datamesh.app.mesh_app import build_mesh
from datamesh.config import Mesh, load_mesh
from datamesh.meshctl.app import app as meshctl_app
from datamesh.meshctl.plan import build_plan
from tests.conftest import EXAMPLE_MESH

Templates = dict[str, dict[str, Any]]


def synthesize(mesh: Mesh) -> Templates:
    return {stack.node.id: Template.from_stack(stack).to_json() for stack in build_mesh(App(), mesh).all()}


@pytest.fixture(scope="module")
def before() -> tuple[Mesh, Templates]:
    mesh = load_mesh(EXAMPLE_MESH)
    return mesh, synthesize(mesh)


def yaml_edit(relative: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(mesh_file: Path) -> None:
        path = mesh_file.parent / relative
        doc = yaml.safe_load(path.read_text())
        change(doc)
        path.write_text(yaml.safe_dump(doc, sort_keys=False))

    return edit


def meshctl(*args: str) -> Callable[[Path], None]:
    def edit(mesh_file: Path) -> None:
        result = CliRunner().invoke(meshctl_app, [*args, "--mesh", str(mesh_file)])
        assert result.exit_code == 0, result.output

    return edit


def product(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["products"] if p["name"] == name)


def contract_property(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in doc["schema"][0]["properties"] if p["name"] == name)


EDITS = {
    "raise a confidentiality": yaml_edit(
        "domains/sales.yaml", lambda d: product(d, "customers").update(confidentiality="restricted")
    ),
    "flag a pii column": yaml_edit(
        "domains/sales/contracts/customers.yaml", lambda d: contract_property(d, "country").update(tags=["pii"])
    ),
    "change an owner": yaml_edit("domains/sales.yaml", lambda d: d["owner"].update(email="sales-team@example.com")),
    "approve a request": meshctl("approve", "finance.invoices", "marketing", "--by", "finance-data@example.com"),
    "revoke a subscription": meshctl("revoke", "marketing", "sales.customers"),
    "add a producer": meshctl(
        "new-domain", "hr", "--account", "666666666666", "--owner", "hr@example.com", "--producer"
    ),
    "add a consumer": meshctl(
        "new-domain",
        "ops",
        "--account",
        "777777777777",
        "--owner",
        "ops@example.com",
        "--consumer",
        "--consumes",
        "sales.orders",
    ),
    "add a contract column": yaml_edit(
        "domains/sales/contracts/orders.yaml",
        lambda d: d["schema"][0]["properties"].append(
            {"name": "channel", "logicalType": "string", "description": "Sales channel"}
        ),
    ),
    "add a Lake Formation admin": yaml_edit(
        "mesh.yaml", lambda d: d["lake_formation"].update(admin_role_names=["Admin"])
    ),
    "add a taxonomy tag value": yaml_edit("mesh.yaml", lambda d: d["taxonomy"]["tags"]["retention"].append("forever")),
    "withdraw an approval": meshctl("deny", "sales.customers", "marketing", "--by", "sales-data@example.com"),
    "narrow a subscription's permissions": yaml_edit(
        "domains/finance.yaml", lambda d: d["consumes"][0].update(permissions=["DESCRIBE"])
    ),
    "classify a column": yaml_edit(
        "domains/sales/contracts/orders.yaml", lambda d: contract_property(d, "amount").update(classification="public")
    ),
    "add a reading role": yaml_edit(
        "domains/marketing.yaml",
        lambda d: d.update(principals=[{"name": "analyst"}, {"name": "bi", "role": "acme-marketing-bi"}]),
    ),
    "give a subscription to fewer principals": yaml_edit(
        "domains/marketing.yaml",
        lambda d: (
            d.update(principals=[{"name": "analyst"}, {"name": "bi", "role": "acme-marketing-bi"}]),
            d["consumes"][0].update(principals=["bi"]),
        ),
    ),
    "filter an approval's rows": yaml_edit(
        "domains/sales.yaml",
        lambda d: product(d, "customers").update(
            decisions=[
                {
                    "consumer": "marketing",
                    "decision": "approved",
                    "by": "sales-data@example.com",
                    "date": "2026-12-01",
                    "rows": "country = 'DE'",  # the example's approval filters on 'FR'
                }
            ]
        ),
    ),
    "change nothing": lambda mesh_file: None,
}


def differing(old: Templates, new: Templates) -> set[str]:
    """Stacks added, removed or with another template."""
    return {stack for stack in old.keys() | new.keys() if old.get(stack) != new.get(stack)}


@pytest.mark.parametrize("edit", EDITS)
def test_plan_marks_changed_exactly_the_stacks_whose_templates_differ(edit, before, mesh_copy):
    old_mesh, old_templates = before
    mesh_file = mesh_copy()
    EDITS[edit](mesh_file)
    new_mesh = load_mesh(mesh_file)
    planned = {
        s["id"] for s in build_plan(new_mesh, old_mesh, True, date.today())["stacks"] if s["change"] != "unchanged"
    }
    changed = differing(old_templates, synthesize(new_mesh))
    assert planned == changed
    assert changed or edit == "change nothing"  # every edit reaches some template, or it proves nothing
