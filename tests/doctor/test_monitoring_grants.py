"""Doctor judges the Lake Formation grants of each domain's quality and partitions roles in the governance catalog.

The listing doctor reads is built from the example mesh's synthesized Catalog templates (what a deploy grants):
as deployed every grant is ok; one revoked is missing, one with another permission or with grant option is
different, one the monitoring never asks for is extra.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from datamesh.blueprint import blueprint
from datamesh.doctor.grants import check_monitoring_grants

ROOT = Path(__file__).resolve().parents[2]
MESH = yaml.safe_load((ROOT / "mesh.yaml").read_text())
ROLES = {
    f"arn:aws:iam::{MESH['governance_account']}:role/{MESH['name']}-{d}-{r}"
    for d in ("sales", "finance")
    for r in ("quality", "partitions")
}


def _resolved(value: Any, resources: dict[str, Any]) -> Any:
    """A ``Ref`` to a Glue database or table replaced by its name; dicts and lists resolved within."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        target = resources[value["Ref"]]["Properties"]
        return (target.get("DatabaseInput") or target["TableInput"])["Name"]
    if isinstance(value, dict):
        return {k[0].upper() + k[1:]: _resolved(v, resources) for k, v in value.items()}
    return [_resolved(v, resources) for v in value] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def deployed_listing(templates) -> list[dict[str, Any]]:
    """``ListPermissions`` entries of the monitoring roles as the Catalog stacks grant them."""
    listing = []
    for stack in ("Sales-Catalog", "Finance-Catalog"):
        resources = templates[stack].to_json()["Resources"]
        for grant in resources.values():
            properties = grant["Properties"] if grant["Type"] == "AWS::LakeFormation::PrincipalPermissions" else {}
            if properties.get("Principal", {}).get("DataLakePrincipalIdentifier") in ROLES:
                listing.append(
                    {
                        "Principal": properties["Principal"],
                        "Resource": _resolved(properties["Resource"], resources),
                        "Permissions": properties["Permissions"],
                        "PermissionsWithGrantOption": properties["PermissionsWithGrantOption"],
                    }
                )
    return listing


@pytest.fixture(scope="module")
def plan(example_mesh):
    return blueprint(example_mesh)


def _judged(plan, listing) -> dict[str, str]:
    return {f.resource: f.status.value for f in check_monitoring_grants(plan, listing)}


def test_the_deployed_grants_are_all_ok(plan, deployed_listing):
    judged = _judged(plan, deployed_listing)
    assert set(judged.values()) == {"ok"}
    assert "acme-sales-partitions on table sales_orders.orders" in judged
    assert "acme-finance-quality on table finance_invoices.invoices" in judged
    assert (
        f"acme-sales-partitions on data location arn:aws:s3:::acme-sales-data-{plan.mesh.domain('sales').account}-eu-west-1"
        in judged
    )


def test_a_revoked_grant_is_missing_and_the_others_stay_ok(plan, deployed_listing):
    revoked = [e for e in deployed_listing if "DataLocation" not in e["Resource"] or "finance" in str(e["Principal"])]
    judged = _judged(plan, revoked)
    assert {r: s for r, s in judged.items() if s != "ok"} == {
        f"acme-sales-partitions on data location arn:aws:s3:::acme-sales-data-{plan.mesh.domain('sales').account}"
        "-eu-west-1": "missing"
    }


def test_another_permission_or_the_grant_option_is_different(plan, deployed_listing):
    changed = copy.deepcopy(deployed_listing)
    table = next(e for e in changed if "sales-partitions" in str(e["Principal"]) and "Table" in e["Resource"])
    table["Permissions"] = [*table["Permissions"], "INSERT"]
    quality = next(e for e in changed if "finance-quality" in str(e["Principal"]) and "Table" in e["Resource"])
    quality["PermissionsWithGrantOption"] = ["SELECT"]
    judged = _judged(plan, changed)
    assert {r: s for r, s in judged.items() if s != "ok"} == {
        "acme-sales-partitions on table sales_orders.orders": "different",
        "acme-finance-quality on table finance_invoices.invoices": "different",
    }


def test_a_grant_the_monitoring_never_asks_for_is_extra_and_other_principals_are_not_judged(plan, deployed_listing):
    extra = {
        "Principal": {"DataLakePrincipalIdentifier": next(r for r in ROLES if r.endswith("sales-quality"))},
        "Resource": {
            "Table": {"CatalogId": MESH["governance_account"], "DatabaseName": "finance_invoices", "Name": "invoices"}
        },
        "Permissions": ["SELECT"],
        "PermissionsWithGrantOption": [],
    }
    someone = {**extra, "Principal": {"DataLakePrincipalIdentifier": "arn:aws:iam::111111111111:role/someone"}}
    judged = _judged(plan, [*deployed_listing, extra, someone])
    assert {r: s for r, s in judged.items() if s != "ok"} == {
        "acme-sales-quality on table finance_invoices.invoices": "extra"
    }
