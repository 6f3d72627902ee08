"""meshctl catalog readers: who can read a product (domain, principal, engine) and with which filter."""

from __future__ import annotations

import json

from tests.support import views_mesh

MARKETING = f"arn:aws:iam::{views_mesh.MARKETING}:role/acme-marketing"


def _readers(meshctl, mesh, *args):
    result = meshctl("catalog", "readers", *args, "--json", "--mesh", str(mesh))
    assert result.exit_code == 0, result.output
    return [
        (r["consumer"], r["principal"], r["role"], r["engine"], r["rows"], r["withheld"])
        for r in json.loads(result.stdout)
    ]


def test_a_filtered_share_reaches_the_principals_its_subscription_names(tmp_path, meshctl):
    mesh = views_mesh.write(tmp_path)
    assert _readers(meshctl, mesh, "sales.customers") == [
        # rows and the withheld segment from sales' approval; email is pii; etl (Glue 4.0) is not named
        ("marketing", "analyst", f"{MARKETING}-analyst", "athena", views_mesh.ROWS, ["segment", "email"]),
        ("marketing", "bi", f"{MARKETING}-bi", "redshift-spectrum", views_mesh.ROWS, ["segment", "email"]),
    ]


def test_an_unfiltered_share_reaches_every_principal_and_withholds_pii_only(tmp_path, meshctl):
    sales = views_mesh.domain("sales")
    decision = sales["products"][1]["decisions"][0]
    del decision["rows"], decision["withhold"]
    marketing = views_mesh.domain("marketing")
    marketing["consumes"] = [
        {"product": "sales.customers", "permissions": ["SELECT"]},
        {"product": "sales.orders", "permissions": ["DESCRIBE"]},
    ]
    marketing["principals"] = marketing["principals"][:2]
    mesh = views_mesh.write(tmp_path, sales, marketing)
    found = _readers(meshctl, mesh)
    assert found == [
        ("finance", "analyst", f"arn:aws:iam::{views_mesh.FINANCE}:role/acme-finance-analyst", "athena", None, []),
        ("marketing", "analyst", f"{MARKETING}-analyst", "athena", None, ["email"]),
        ("marketing", "bi", f"{MARKETING}-bi", "redshift-spectrum", None, ["email"]),
        # DESCRIBE only: no rows are read, nothing to withhold
        ("marketing", "analyst", f"{MARKETING}-analyst", "athena", None, []),
        ("marketing", "bi", f"{MARKETING}-bi", "redshift-spectrum", None, []),
    ]


def test_the_table_names_principal_role_engine_and_filter(tmp_path, meshctl):
    mesh = views_mesh.write(tmp_path)
    result = meshctl("catalog", "readers", "sales.customers", "--mesh", str(mesh))
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "bi (acme-marketing-bi)" in line)
    assert [c.strip() for c in line.strip("│ ").split("│")] == [
        "sales.customers",
        "marketing",
        "bi (acme-marketing-bi)",
        "redshift-spectrum",
        "SELECT, DESCRIBE",
        views_mesh.ROWS,
        "segment, email",
    ]


def test_an_unknown_product_is_a_usage_error(tmp_path, meshctl):
    mesh = views_mesh.write(tmp_path)
    result = meshctl("catalog", "readers", "sales.nope", "--mesh", str(mesh))
    assert result.exit_code == 2
    assert "no product 'sales.nope'" in result.output
