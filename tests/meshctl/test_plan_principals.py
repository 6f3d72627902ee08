"""meshctl plan shows the consumer domains' principals, their grants and the approvals' data cells filters, and
with --since which were added, removed or changed."""

from __future__ import annotations

import json

import yaml

from tests.support import views_mesh

MARKETING_ROLE = f"arn:aws:iam::{views_mesh.MARKETING}:role/acme-marketing"


def _rewrite(folder, domain):
    (folder / "domains" / f"{domain['name']}.yaml").write_text(yaml.safe_dump(domain, sort_keys=False))


def _plan(meshctl, *args):
    result = meshctl("plan", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_plan_lists_principals_and_filters(views_repo, meshctl):
    plan = _plan(meshctl)
    assert [(p["domain"], p["principal"], p["role"], p["engine"]) for p in plan["principals"]] == [
        ("finance", "analyst", f"arn:aws:iam::{views_mesh.FINANCE}:role/acme-finance-analyst", "athena"),
        ("marketing", "analyst", f"{MARKETING_ROLE}-analyst", "athena"),
        ("marketing", "bi", f"{MARKETING_ROLE}-bi", "redshift-spectrum"),
        ("marketing", "etl", f"{MARKETING_ROLE}-etl", "glue 4.0"),
    ]
    assert [(f["consumer"], f["product"], f["table"], f["rows"], f["columns"]) for f in plan["filters"]] == [
        ("marketing", "sales.customers", "customers", views_mesh.ROWS, ["customer_id", "country"])
    ]
    etl = {(g["product"], g["resource"]) for g in plan["principal_grants"] if g["principal"] == f"{MARKETING_ROLE}-etl"}
    # the Glue 4.0 job role gets orders only: the customers subscription names analyst and bi
    assert {product for product, _ in etl} == {"sales.orders"}


def test_since_a_ref_principals_and_filters_added_removed_and_changed(views_repo, meshctl):
    marketing = views_mesh.domain("marketing")
    marketing["principals"] = [
        {"name": "analyst"},
        {"name": "bi", "role": "acme-marketing-bi", "engine": "athena"},
        {"name": "ml", "role": "acme-marketing-ml", "engine": "emr", "engine_version": "7.1.0"},
    ]
    _rewrite(views_repo, marketing)
    sales = views_mesh.domain("sales")
    sales["products"][1]["decisions"][0]["rows"] = "country = 'DE'"
    _rewrite(views_repo, sales)

    plan = _plan(meshctl, "--since", "HEAD")
    assert {(p["domain"], p["principal"]): p["change"] for p in plan["principals"]} == {
        ("finance", "analyst"): "unchanged",
        ("marketing", "analyst"): "unchanged",
        ("marketing", "bi"): "changed",
        ("marketing", "ml"): "added",
        ("marketing", "etl"): "removed",
    }
    assert [(f["product"], f["rows"], f["change"]) for f in plan["filters"]] == [
        ("sales.customers", "country = 'DE'", "changed")
    ]
    changes = {(g["principal"], g["resource"]): g["change"] for g in plan["principal_grants"]}
    orders = "table sales_orders.orders of the governance catalog"
    assert changes[(f"{MARKETING_ROLE}-etl", orders)] == "removed"
    assert changes[(f"{MARKETING_ROLE}-bi", orders)] == "unchanged"
    # DESCRIBE on the resource link and on its target database: two grants, as the Access stack makes them
    assert {shown: c for (principal, shown), c in changes.items() if principal == f"{MARKETING_ROLE}-ml"} == {
        "resource link sales_orders": "added",
        "database sales_orders of the governance catalog": "added",
        orders: "added",
    }

    shown = meshctl("plan", "--since", "HEAD")
    assert shown.exit_code == 0, shown.output
    assert "principals: 1 to add, 1 to change, 1 to remove" in shown.stdout
    assert "filters: 0 to add, 1 to change, 0 to remove" in shown.stdout


def test_an_approval_without_rows_or_withheld_columns_removes_its_filter(views_repo, meshctl):
    sales = views_mesh.domain("sales")
    decision = sales["products"][1]["decisions"][0]
    del decision["rows"], decision["withhold"]
    _rewrite(views_repo, sales)
    plan = _plan(meshctl, "--since", "HEAD")
    assert [(f["consumer"], f["product"], f["change"]) for f in plan["filters"]] == [
        ("marketing", "sales.customers", "removed")
    ]
    marketing_grants = {(g["resource"], g["change"]) for g in plan["grants"] if g["consumer"] == "marketing"}
    # SELECT goes back to the table's columns but the pii one (named in name order)
    assert ("table sales_customers.customers (columns country, customer_id, segment)", "added") in marketing_grants
    assert "filters: 0 to add, 0 to change, 1 to remove" in meshctl("plan", "--since", "HEAD").stdout
