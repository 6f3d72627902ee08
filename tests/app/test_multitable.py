"""A product with several tables (tests/support/multitable_mesh.py): one Glue table per schema object,
grants per table, subscriptions naming tables, and how plan, graph and search show them."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint import blueprint
from datamesh.config import ConfigError, Mesh, load_mesh
from datamesh.portal import pages
from datamesh.report import graph, search
from tests.support.multitable_mesh import (
    ADDRESSES,
    CONTRACT,
    EVERY_ROW,
    SEGMENTS,
    add_tables,
    copy_example_mesh,
    edit_yaml,
    every_row,
)

GOV = "111111111111"
MARKETING = "444444444444"
# CDK's logical ID of a single-table product's table (construct path Customers/Table): it must not change.
SINGLE_TABLE_ID = "CustomersTable8B48A488"


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Mesh:
    mesh_file = copy_example_mesh(tmp_path_factory.mktemp("multitable"))
    add_tables(mesh_file)
    return load_mesh(mesh_file)


@pytest.fixture(scope="module")
def templates(mesh: Mesh) -> dict[str, dict]:
    stacks = build_mesh(App(), mesh)
    return {
        s.node.id: Template.from_stack(s).to_json()
        for s in stacks.all()
        if s.node.id in ("Sales-Catalog", "Marketing-Access")
    }


def _of_type(template: dict, kind: str) -> dict[str, dict]:
    return {lid: r["Properties"] for lid, r in template["Resources"].items() if r["Type"] == kind}


def test_the_product_has_one_table_per_schema_object_in_contract_order(mesh: Mesh) -> None:
    product = mesh.product("sales", "customers")
    assert product.table_names == ["customers", ADDRESSES["name"], SEGMENTS["name"]]
    assert [t.pii_columns for t in product.tables] == [["email"], ["street"], []]


def test_each_table_is_a_glue_table_in_its_own_folder(templates: dict) -> None:
    tables = {
        p["TableInput"]["Name"]: (lid, p["TableInput"]["StorageDescriptor"]["Location"])
        for lid, p in _of_type(templates["Sales-Catalog"], "AWS::Glue::Table").items()
        if p["DatabaseName"] == {"Ref": "CustomersDatabaseB91D8B22"}
    }
    bucket = "s3://acme-sales-data-222222222222-eu-west-1/customers/"
    assert {name: location for name, (_, location) in tables.items()} == {
        name: f"{bucket}{name}/" for name in ("customers", "addresses", "segments")
    }
    assert tables["customers"][0] == SINGLE_TABLE_ID
    columns = _of_type(templates["Sales-Catalog"], "AWS::Glue::Table")[tables["addresses"][0]]["TableInput"]
    assert [c["Name"] for c in columns["StorageDescriptor"]["Columns"]] == [p["name"] for p in ADDRESSES["properties"]]
    assert columns["Description"] == ADDRESSES["description"]


def test_pii_columns_are_tagged_on_their_own_table(templates: dict) -> None:
    tagged = {
        p["Resource"]["TableWithColumns"]["Name"]["Ref"]: p["Resource"]["TableWithColumns"]["ColumnNames"]
        for p in _of_type(templates["Sales-Catalog"], "AWS::LakeFormation::TagAssociation").values()
        if "TableWithColumns" in p["Resource"]
        and p["LFTags"][0]["TagKey"] == "pii"
        and p["Resource"]["TableWithColumns"]["DatabaseName"] == {"Ref": "CustomersDatabaseB91D8B22"}
    }
    assert sorted(tagged.values()) == [["email"], ["street"]]
    assert tagged[SINGLE_TABLE_ID] == ["email"]


def test_each_table_with_rules_has_its_own_ruleset(templates: dict) -> None:
    rulesets = {
        p["Name"]: p["Ruleset"] for p in _of_type(templates["Sales-Catalog"], "AWS::Glue::DataQualityRuleset").values()
    }
    assert "sales_customers" in rulesets  # the table named after the product keeps its ruleset's name
    assert rulesets["sales_customers.addresses"] == 'Rules = [\n    RowCount > 0,\n    IsComplete "customer_id"\n]'
    assert not any(name.endswith(".segments") for name in rulesets)  # no rules, no ruleset


def _selects(template: dict, principal: str) -> dict[str, list[str]]:
    found = {}
    for p in _of_type(template, "AWS::LakeFormation::PrincipalPermissions").values():
        columns = p["Resource"].get("TableWithColumns")
        if p["Principal"]["DataLakePrincipalIdentifier"] == principal and "SELECT" in p["Permissions"] and columns:
            name = columns["Name"]
            found[name if isinstance(name, str) else name["Ref"]] = columns["ColumnNames"]
    return found


def test_a_subscription_naming_two_tables_selects_those_without_their_pii(templates: dict) -> None:
    catalog = _selects(templates["Sales-Catalog"], MARKETING)
    names = {
        lid: p["TableInput"]["Name"] for lid, p in _of_type(templates["Sales-Catalog"], "AWS::Glue::Table").items()
    }
    # include lists: every column of the table but its pii ones, in the contract's order
    readable = {"customers": ["customer_id", "segment", "country"], "addresses": ["customer_id", "city"]}
    assert {names.get(k, k): v for k, v in catalog.items()} == readable
    analyst = {
        columns["Name"]: columns["ColumnNames"]
        for p in _of_type(templates["Marketing-Access"], "AWS::LakeFormation::PrincipalPermissions").values()
        if "SELECT" in p["Permissions"]
        and (columns := p["Resource"].get("TableWithColumns", {}))
        and columns["DatabaseName"] == "sales_customers"
    }
    assert analyst == readable


def test_doctor_and_plan_declare_each_table_and_grant(mesh: Mesh) -> None:
    database = next(d for d in blueprint(mesh).databases if d.name == "sales_customers")
    assert [(t.name, t.pii_columns) for t in database.tables] == [
        ("customers", ("email",)),
        ("addresses", ("street",)),
        ("segments", ()),
    ]
    to_marketing = {
        (g.resource.table, g.permissions, g.resource.only_columns)
        for g in blueprint(mesh).grants
        if g.consumer == "marketing" and g.product == "sales.customers"
    }
    assert to_marketing == {
        ("", ("DESCRIBE",), ()),
        ("customers", ("DESCRIBE",), ()),
        ("customers", ("SELECT",), ("country", "customer_id", "segment")),
        ("addresses", ("DESCRIBE",), ()),
        ("addresses", ("SELECT",), ("city", "customer_id")),
    }


def test_graph_and_search_show_the_tables(mesh: Mesh) -> None:
    assert '[("customers: customers, addresses, segments")]' in graph.mermaid(mesh)
    assert "|granted: customers, addresses|" in graph.mermaid(mesh)
    entry = next(e for e in search.entries_from_mesh(mesh) if e.product == "customers")
    assert ("addresses.street", "") in entry.columns
    assert [h.entry.product for h in search.search(search.entries_from_mesh(mesh), "", column="street")] == [
        "customers"
    ]


def test_a_subscription_to_a_table_the_contract_lacks_is_refused_with_one_line(tmp_path: Path) -> None:
    mesh_file = copy_example_mesh(tmp_path)
    add_tables(mesh_file, read_by_marketing=["customers", "orders"])
    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_file)
    assert [str(p).removeprefix(f"{tmp_path}/") for p in raised.value.problems] == [
        "domains/marketing.yaml: consumes[0].tables[1]: sales.customers has no table 'orders' "
        "(its tables: customers, addresses, segments)"
    ]


def test_a_topic_in_the_contract_is_refused_naming_it(tmp_path: Path) -> None:
    mesh_file = copy_example_mesh(tmp_path)
    edit_yaml(tmp_path / EVERY_ROW[0], every_row)
    edit_yaml(
        tmp_path / CONTRACT,
        lambda doc: doc["schema"].append(
            {
                "name": "customer_events",
                "physicalType": "topic",
                "properties": [{"name": "id", "logicalType": "string"}],
            }
        ),
    )
    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_file)
    assert [str(p).removeprefix(f"{tmp_path}/") for p in raised.value.problems] == [
        "domains/sales/contracts/customers.yaml: schema[1].physicalType: object 'customer_events' is a topic, not a "
        "table: the mesh publishes tables only (remove it or describe it in another contract)"
    ]


def test_the_portal_page_shows_each_table_and_its_rules(mesh: Mesh) -> None:
    page = pages.product_page(mesh, mesh.domain("sales"), mesh.product("sales", "customers"), mesh.shares(), [])
    assert [
        h for h in ("<h2>Table customers</h2>", "<h2>Table addresses</h2>", "<h2>Table segments</h2>") if h in page
    ] == ["<h2>Table customers</h2>", "<h2>Table addresses</h2>", "<h2>Table segments</h2>"]
    assert "<li><code>addresses: RowCount &gt; 0</code></li>" in page
