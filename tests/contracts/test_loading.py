"""Reading contracts: the ODCS schema first, then what the mesh needs, one problem each."""

from __future__ import annotations

from datamesh.contracts import load_contract


def test_reads_columns_partitions_sla_and_owner(contract_doc):
    doc = contract_doc(
        properties=[
            {"name": "order_id", "logicalType": "string", "required": True, "description": "Id"},
            {"name": "email", "logicalType": "string", "tags": ["PII"], "classification": "confidential"},
            {"name": "day", "logicalType": "date", "partitioned": True, "partitionKeyPosition": 2},
            {"name": "region", "logicalType": "string", "partitioned": True, "partitionKeyPosition": 1},
        ]
    )
    doc["slaProperties"] = [{"property": "latency", "value": 4, "unit": "h"}]
    doc["team"] = {"name": "Sales", "members": [{"username": "ann@example.com", "role": "owner"}]}
    doc["description"] = {"purpose": "All orders."}
    contract, problems = load_contract(doc)
    assert problems == []
    assert [(c.name, c.type, c.required, c.pii, c.classification) for c in contract.tables[0].columns] == [
        ("order_id", "string", True, False, None),
        ("email", "string", False, True, "confidential"),
    ]
    assert [c.name for c in contract.tables[0].partition_keys] == ["region", "day"]
    assert (contract.id, contract.version, contract.major, contract.status) == ("c-1", "1.0.0", 1, "active")
    assert (contract.freshness, contract.owner, contract.description) == (
        "latency=4h",
        "ann@example.com",
        "All orders.",
    )


def test_owner_from_a_v3_0_team_list(contract_doc):
    doc = contract_doc()
    doc["team"] = [{"username": "bob@example.com", "role": "owner"}]
    contract, _ = load_contract(doc)
    assert contract.owner == "bob@example.com"


def test_not_a_mapping():
    assert load_contract(["x"]) == (None, [("", "a contract must be a mapping (an ODCS v3 document)")])


def test_standard_schema_violations_name_the_field(contract_doc):
    doc = contract_doc(properties=[{"name": "a", "logicalType": "text"}])
    doc["kind"] = "Contract"
    contract, problems = load_contract(doc)
    assert contract is None
    fields = dict(problems)
    assert fields["kind"].startswith("not valid ODCS: 'Contract' is not one of")
    assert fields["schema[0].properties[0].logicalType"].startswith("not valid ODCS: 'text' is not one of")


def test_missing_required_field(contract_doc):
    doc = contract_doc()
    del doc["version"]
    _, problems = load_contract(doc)
    assert problems == [("", "not valid ODCS: 'version' is a required property")]


def test_mesh_requirements(contract_doc):
    doc = contract_doc()
    doc.update(apiVersion="v2.2.2", version="one", status="")
    _, problems = load_contract(doc)
    assert dict(problems) == {
        "apiVersion": "must be an ODCS v3 version such as v3.1.0",
        "version": "must be semantic (MAJOR.MINOR.PATCH)",
        "status": "required field is missing",
    }


def test_duplicate_and_invalid_columns(contract_doc):
    _, problems = load_contract(
        contract_doc(
            properties=[
                {"name": "a", "logicalType": "string"},
                {"name": "a", "logicalType": "integer"},
                {"name": "Bad Name", "logicalType": "string"},
                {"name": "v", "logicalType": "array"},
            ]
        )
    )
    assert problems == [
        (
            "schema[0].properties[2].name",
            "'Bad Name' is not a valid Glue column name: letters, digits and _, at most "
            "255 (set physicalName to the column's name in the table)",
        ),
        ("schema[0].properties[3]", "column 'v': array needs items"),
        ("schema[0].properties", "duplicate column 'a'"),
    ]


def test_table_without_properties(contract_doc):
    _, problems = load_contract(contract_doc(properties=[]))
    assert problems == [("schema[0].properties", "object 'orders' has no properties: a table needs at least one")]


def test_a_pii_field_nested_in_a_column_withholds_the_whole_column(contract_doc):
    doc = contract_doc(
        properties=[
            {"name": "order_id", "logicalType": "string"},
            {
                "name": "buyer",
                "logicalType": "object",
                "properties": [
                    {"name": "country", "logicalType": "string"},
                    {"name": "email", "logicalType": "string", "tags": ["pii"]},
                ],
            },
            {
                "name": "contacts",
                "logicalType": "array",
                "items": {
                    "name": "contact",
                    "logicalType": "object",
                    "properties": [{"name": "phone", "logicalType": "string", "tags": ["PII"]}],
                },
            },
            {"name": "lines", "logicalType": "array", "items": {"name": "line", "logicalType": "string"}},
        ]
    )
    contract, problems = load_contract(doc)
    assert problems == []
    assert {c.name: c.pii for c in contract.tables[0].columns} == {
        "order_id": False,
        "buyer": True,
        "contacts": True,
        "lines": False,
    }
