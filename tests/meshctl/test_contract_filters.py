"""meshctl contract diff names the subscriptions whose row filter or withheld columns a contract change breaks."""

from __future__ import annotations

import copy
import json

import yaml

from tests.support import views_mesh

FILTER = "domains/sales.yaml: products[1].decisions[0]"  # sales' customers, marketing's approval


def _customers(**renamed: str) -> dict:
    """The customers contract, its version 2.0.0, with columns renamed (old=new) or removed (old='')."""
    contract = copy.deepcopy(views_mesh.CUSTOMERS)
    contract["version"] = "2.0.0"
    properties = contract["schema"][0]["properties"]
    contract["schema"][0]["properties"] = [
        {**p, "name": renamed.get(p["name"]) or p["name"]} for p in properties if renamed.get(p["name"], None) != ""
    ]
    return contract


def test_since_a_ref_a_removed_and_a_renamed_column_break_the_approval(views_repo, meshctl):
    (views_repo / views_mesh.CUSTOMERS_FILE).write_text(yaml.safe_dump(_customers(country="", segment="tier")))
    result = meshctl("contract", "diff", "--since", "HEAD", "--json")
    assert result.exit_code == 1, result.output
    (change,) = json.loads(result.stdout)
    assert change["product"] == "sales.customers"
    broken = [(b["consumer"], b["field"]) for b in change["broken_filters"]]
    assert broken == [
        ("marketing", "products[1].decisions[0].rows"),  # country = 'FR'
        ("marketing", "products[1].decisions[0].withhold[0]"),  # segment
    ]
    assert "no column 'country'" in change["broken_filters"][0]["reason"]
    assert "no column 'segment'" in change["broken_filters"][1]["reason"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {FILTER}.rows: marketing's subscription to sales.customers: "
        + change["broken_filters"][0]["reason"]
        + " after the change",
        f"error: {FILTER}.withhold[0]: marketing's subscription to sales.customers: "
        + change["broken_filters"][1]["reason"]
        + " after the change",
    ]


def test_a_change_that_leaves_the_filters_columns_breaks_no_approval(views_repo, meshctl):
    (views_repo / views_mesh.CUSTOMERS_FILE).write_text(yaml.safe_dump(_customers(email="")))
    result = meshctl("contract", "diff", "--since", "HEAD", "--json")
    assert result.exit_code == 0, result.output
    (change,) = json.loads(result.stdout)
    assert [c["column"] for c in change["changes"] if c["breaking"]] == ["email"]
    assert change["broken_filters"] == []


def test_two_files_name_the_approvals_of_the_product_whose_contract_they_are(views_repo, meshctl, tmp_path_factory):
    draft = tmp_path_factory.mktemp("draft") / "customers.yaml"
    draft.write_text(yaml.safe_dump(_customers(country="region")))
    result = meshctl("contract", "diff", views_mesh.CUSTOMERS_FILE, str(draft))
    assert result.exit_code == 1, result.output
    assert "approvals of sales.customers whose filters the change breaks" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        f"error: {FILTER}.rows: marketing's subscription to sales.customers: no column 'country'"
    )


def test_two_files_outside_a_mesh_compare_the_contracts_alone(tmp_path, meshctl, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(views_mesh.CUSTOMERS))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(_customers(country="")))
    result = meshctl("contract", "diff", "old.yaml", "new.yaml", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["broken_filters"] == []
