"""ODCS v3 contracts shaped like those other tools write load, with the Glue types their ODCS types mean.

Six contract files (tests/config/contracts/: PostgreSQL export, Avro import, Iceberg
table, CSV file, dbt on Snowflake, BigQuery export), read through the mesh's own file
reader; 14 type cases, 4 name and option cases, 2 table cases, 3 keys that do not fit.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from datamesh.config.errors import Problem
from datamesh.config.loader import read_mapping
from datamesh.contracts import dqdl, load_contract
from tests.contracts.conftest import BASE

CONTRACTS = Path(__file__).parent / "contracts"

EXPECTED = {
    "postgres_export.yaml": [
        ("uniqueid", "string"),
        ("account_name", "string"),
        ("notes", "string"),
        ("balance", "decimal(12,2)"),
        ("big_balance", "double"),
        ("visits", "int"),
        ("events", "bigint"),
        ("active", "boolean"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
        ("birthday", "date"),
        ("settings", "string"),
        ("avatar", "binary"),
        ("opens_at", "string"),
        ("ratio", "float"),
        ("score", "double"),
    ],
    "avro_import.yaml": [
        ("event_id", "string"),
        ("ts", "timestamp"),
        ("count", "int"),
        ("amount", "double"),
        ("weight", "float"),
        ("payload", "binary"),
        ("user", "struct<id:bigint,Email:string>"),
        ("tags", "array<string>"),
        ("attributes", "map<string,bigint>"),
    ],
    "iceberg_table.yaml": [
        ("order_id", "bigint"),
        ("total", "decimal(10,2)"),
        ("placed_at", "timestamp"),
        ("items", "array<struct<sku:string,qty:int>>"),
        ("shipping", "struct<city:string,zip:string>"),
        ("uid", "string"),
        ("raw", "binary"),
        ("day", "date"),
    ],
    "csv_file.yaml": [
        ("rate_date", "date"),
        ("currency", "string"),
        ("rate", "double"),
        ("units", "smallint"),
        ("published_at", "timestamp"),
        ("published_time", "string"),
        ("embedding", "array<double>"),
    ],
    "dbt_snowflake.yaml": [
        ("customer_id", "decimal(38,0)"),
        ("customer_name", "string"),
        ("lifetime_value", "decimal(18,2)"),
        ("first_order_at", "timestamp"),
        ("last_seen", "timestamp"),
        ("profile", "string"),
        ("is_active", "boolean"),
        ("score", "float"),
    ],
    "bigquery_export.yaml": [
        ("session_id", "string"),
        ("hits", "bigint"),
        ("revenue", "double"),
        ("revenue_exact", "double"),
        ("started", "timestamp"),
        ("duration", "double"),
        ("area", "string"),
        ("pages", "array<struct<path:string,seconds:bigint>>"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_contracts_of_other_tools_load_with_their_glue_types(name):
    problems: list[Problem] = []
    data = read_mapping(CONTRACTS / name, problems)
    assert problems == []
    contract, found = load_contract(data)
    assert found == []
    assert [(c.name, c.type) for c in contract.all_columns] == EXPECTED[name]
    assert dqdl.problems(contract) == []


def test_the_csv_contract_keeps_null_and_empty_as_valid_values():
    contract, _ = load_contract(read_mapping(CONTRACTS / "csv_file.yaml", []))
    assert 'ColumnValues "currency" in ["EUR", "USD", "", NULL]' in dqdl.rules(contract.tables[0])


def load(prop):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = [{"name": "c", **prop}]
    return load_contract(doc)


@pytest.mark.parametrize(
    ("prop", "reason"),
    [
        ({"physicalType": "varchar"}, None),  # another system's varchar: a string
        (
            {"physicalType": "struct<a int>"},
            "column 'c': physicalType 'struct<a int>' is not a Glue type (struct field 'a' needs ':' before its type) "
            "nor a known type of another system; add a logicalType",
        ),
        (
            {"physicalType": "array<foo>"},
            "column 'c': physicalType 'array<foo>' is not a Glue type (unknown type 'foo') nor a known type of another "
            "system; add a logicalType",
        ),
        ({"physicalType": "decimal(40,2)"}, None),  # a number too precise for Glue: a double, as its logicalType
        (
            {"logicalType": "object", "properties": [{"name": "a b", "logicalType": "string"}]},
            "column 'c': nested field name 'a b' must be letters, digits and underscores (set physicalName to the "
            "field's name in the data)",
        ),
        (
            {"logicalType": "object", "properties": [{"name": "a:b", "logicalType": "string"}]},
            "column 'c': nested field name 'a:b' must be letters, digits and underscores (set physicalName to the "
            "field's name in the data)",
        ),
        (
            {"logicalType": "object", "properties": [{"name": "a,b", "logicalType": "string"}]},
            "column 'c': nested field name 'a,b' must be letters, digits and underscores (set physicalName to the "
            "field's name in the data)",
        ),
        (
            {
                "logicalType": "object",
                "properties": [{"name": "A", "logicalType": "string"}, {"name": "a", "logicalType": "string"}],
            },
            "column 'c': object has the field 'a' twice (Glue ignores case)",
        ),
        ({"logicalType": "object"}, "column 'c': object needs properties (a Glue struct has at least one field)"),
        ({"logicalType": "array"}, "column 'c': array needs items"),
        (
            {
                "logicalType": "map",
                "map": {
                    "key": {"logicalType": "array", "items": {"logicalType": "string"}},
                    "value": {"logicalType": "string"},
                },
            },
            "column 'c': a map key must be a primitive type, not 'array<string>'",
        ),
        (
            {"physicalType": "GEOGRAPHY"},
            "column 'c': physicalType 'GEOGRAPHY' is not a Glue type (unknown type 'geography') nor a known type of "
            "another system; add a logicalType",
        ),
        ({}, "column 'c': needs a logicalType or physicalType"),
        (
            {"logicalType": "string", "description": "x" * 256},
            "256 characters: a Glue column comment holds at most 255",
        ),
    ],
)
def test_what_cannot_be_a_glue_column_is_one_line(prop, reason):
    contract, problems = load(prop)
    if reason is None:
        assert problems == [] and contract.tables[0].columns[0].type in ("string", "double")
    else:
        assert contract is None and [r for _, r in problems] == [reason]


@pytest.mark.parametrize("physical", ["json", "JSONB", "VARIANT", "super"])
@pytest.mark.parametrize("logical", ["object", "array"])
def test_an_undeclared_json_document_is_its_text(logical, physical):
    contract, problems = load({"logicalType": logical, "physicalType": physical})
    assert problems == [] and contract.tables[0].columns[0].type == "string"


@pytest.mark.parametrize("logical", ["object", "array"])
def test_only_a_json_document_without_fields_is_text(logical):
    declared = (
        {"properties": [{"name": "a", "logicalType": "integer"}]}
        if logical == "object"
        else {"items": {"logicalType": "integer"}}
    )
    contract, problems = load({"logicalType": logical, "physicalType": "jsonb", **declared})
    assert problems == [] and contract.tables[0].columns[0].type == (
        "struct<a:int>" if logical == "object" else "array<int>"
    )


@pytest.mark.parametrize("logical", ["object", "array"])
def test_an_undeclared_document_of_another_type_is_still_refused(logical):
    _, problems = load({"logicalType": logical, "physicalType": "text"})
    assert [r for _, r in problems] == [
        {
            "object": "column 'c': object needs properties (a Glue struct has at least one field)",
            "array": "column 'c': array needs items",
        }[logical]
    ]


@pytest.mark.parametrize(
    ("prop", "field", "reason"),
    [
        (
            {"name": "Bad Name", "logicalType": "string"},
            "schema[0].properties[0].name",
            "'Bad Name' is not a valid Glue column name: letters, digits and _, at most 255 "
            "(set physicalName to the column's name in the table)",
        ),
        (
            {"name": "x", "physicalName": "a-b", "logicalType": "string"},
            "schema[0].properties[0].physicalName",
            "'a-b' is not a valid Glue column name: letters, digits and _, at most 255 "
            "(set physicalName to the column's name in the table)",
        ),
        ({"name": "x", "physicalType": "bigint", "logicalTypeOptions": {"format": "i64"}}, "", None),
        (
            {"name": "x", "logicalType": "integer", "logicalTypeOptions": {"format": "f32"}},
            "schema[0].properties[0].logicalTypeOptions.format",
            "not valid ODCS: 'f32' is not one of",
        ),
    ],
)
def test_names_and_options(prop, field, reason):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = [prop]
    contract, problems = load_contract(doc)
    if reason is None:
        assert problems == [] and contract.tables[0].columns[0].type == "bigint"
    else:
        assert [(f, r[: len(reason)]) for f, r in problems] == [(field, reason)]


def test_a_long_table_description_is_refused():
    doc = copy.deepcopy(BASE)
    doc["description"] = {"purpose": "x" * 2049}
    assert load_contract(doc) == (
        None,
        [("description.purpose", "2049 characters: a Glue table description holds at most 2048")],
    )


def test_two_objects_of_one_name_are_refused_with_one_line():
    doc = copy.deepcopy(BASE)
    doc["schema"].append(copy.deepcopy(doc["schema"][0]))
    assert load_contract(doc) == (None, [("schema", f"duplicate table {doc['schema'][0]['name']!r}")])


def test_a_topic_beside_a_table_is_refused_naming_the_object():
    doc = copy.deepcopy(BASE)
    doc["schema"].append({"name": "order_events", "physicalType": "topic", "properties": [{"name": "id"}]})
    assert load_contract(doc) == (
        None,
        [
            (
                "schema[1].physicalType",
                "object 'order_events' is a topic, not a table: "
                "the mesh publishes tables only (remove it or describe it in another contract)",
            )
        ],
    )


def test_a_file_without_properties_is_refused_naming_the_object():
    doc = copy.deepcopy(BASE)
    doc["schema"].append({"name": "exports", "physicalType": "file"})
    assert load_contract(doc) == (
        None,
        [("schema[1].properties", "object 'exports' has no properties: a table needs at least one")],
    )


def test_each_table_like_object_becomes_a_table_with_its_own_columns():
    doc = copy.deepcopy(BASE)
    doc["schema"].append(
        {
            "name": "Order_Lines",
            "physicalType": "table",
            "description": "One line per item",
            "properties": [
                {"name": "line_id", "logicalType": "integer"},
                {"name": "sku", "logicalType": "string", "tags": ["pii"]},
            ],
        }
    )
    contract, problems = load_contract(doc)
    assert problems == []
    assert [t.name for t in contract.tables] == [doc["schema"][0]["name"].lower(), "order_lines"]
    lines = contract.tables[1]
    assert (lines.field, lines.description) == ("schema[1]", "One line per item")
    assert [(c.name, c.type, c.pii, c.field) for c in lines.columns] == [
        ("line_id", "int", False, "schema[1].properties[0]"),
        ("sku", "string", True, "schema[1].properties[1]"),
    ]


@pytest.mark.parametrize(
    ("prop", "rule", "expected"),
    [
        (
            {"name": "x", "logicalType": "string", "items": {"logicalType": "string"}},
            None,
            ("schema[0].properties[0].items", "not valid ODCS: 'items' needs logicalType array"),
        ),
        (
            {"name": "x", "physicalType": "int", "map": {}},
            None,
            ("schema[0].properties[0].map", "not valid ODCS: 'map' needs logicalType map"),
        ),
        (
            {"name": "x", "logicalType": "string"},
            {"metric": "nullValues", "mustBe": 0, "query": "select 1"},
            ("schema[0].quality[0].query", "not valid ODCS: 'query' belongs in a rule of type sql"),
        ),
    ],
)
def test_a_key_that_does_not_fit_its_type_is_named(prop, rule, expected):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = [prop]
    doc["schema"][0]["quality"] = [rule] if rule else []
    assert load_contract(doc) == (None, [expected])
