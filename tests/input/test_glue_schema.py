"""Column types, comments and descriptions in domain files: what Glue and Athena reject is refused.

Expected values come from Athena's DDL data types (decimal precision 1-38, char 1-255,
varchar 1-65535, map keys primitive, struct<name:type>) and the Glue API reference (Column
Comment at most 255, Table and Database Description at most 2048). 16 type grammar cases,
3 domain-file column types, 3 lengths.
"""

from __future__ import annotations

import pytest

from datamesh.config.glue_schema import InvalidGlueType, glue_type
from tests.test_config_validation import problems_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DECIMAL(10, 2)", "decimal(10,2)"),
        ("integer", "int"),
        ("array< struct<a:int, B_2:map<string,array<bigint>>> >", "array<struct<a:int,B_2:map<string,array<bigint>>>>"),
        ("varchar(65535)", "varchar(65535)"),
        ("decimal(38,38)", "decimal(38,38)"),
    ],
)
def test_types_glue_accepts_in_canonical_form(text, expected):
    assert glue_type(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("varchar", "varchar needs a length, e.g. varchar(20); or use string"),
        ("char(256)", "char length must be a number from 1 to 255, not '256'"),
        ("struct<a int>", "struct field 'a' needs ':' before its type"),
        ("array<foo>", "unknown type 'foo'"),
        ("decimal(40,2)", "decimal precision must be a number from 1 to 38, not '40'"),
        ("decimal(5,6)", "decimal scale must be a number from 0 to 5, not '6'"),
        ("struct<a b:int>", "struct field 'a' needs ':' before its type"),
        ("struct<`a:b`:int>", "unexpected '`'"),
        ("map<array<int>,string>", "a map key must be a primitive type, not 'array<int>'"),
        ("string)", "unexpected ')' after 'string'"),
        ("array<" * 40 + "int" + ">" * 40, "nested more than 32 levels deep"),
    ],
)
def test_types_glue_or_athena_reject(text, reason):
    with pytest.raises(InvalidGlueType, match=f"^{reason.replace('(', '[(]').replace(')', '[)]')}$"):
        glue_type(text)


def inline(column=None, **product):
    def edit(doc):
        doc["products"][0].pop("contract")
        doc["products"][0].update({"description": "Inline", "columns": [{"name": "a", "type": "string",
                                                                         **(column or {})}], **product})
        return doc
    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (inline({"type": "varchar"}), "products[0].columns[0].type: 'varchar' is not a Glue column type: varchar "
                                      "needs a length, e.g. varchar(20); or use string"),
        (inline({"type": "struct<a int>"}), "products[0].columns[0].type: 'struct<a int>' is not a Glue column type: "
                                            "struct field 'a' needs ':' before its type"),
        (inline({"type": "decimal(40,2)"}), "products[0].columns[0].type: 'decimal(40,2)' is not a Glue column type: "
                                            "decimal precision must be a number from 1 to 38, not '40'"),
        (inline({"description": "x" * 256}), "products[0].columns[0].description: String should have at most 255 "
                                             "characters"),
        (inline(description="x" * 2049), "products[0].description: String should have at most 2048 characters"),
    ],
)
def test_domain_file_columns_glue_would_reject(mesh_copy, edit, expected):
    assert [p.split(": ", 1)[1] for p in problems_of(mesh_copy(("domains/sales.yaml", edit)))] == [expected]


def test_a_contract_description_longer_than_glue_allows(mesh_copy):
    def long_purpose(doc):
        doc["description"] = {"purpose": "x" * 2049}
        return doc

    found = problems_of(mesh_copy(("domains/sales/contracts/orders.yaml", long_purpose)))
    assert [p.split(": ", 1)[1] for p in found] == [
        "description.purpose: 2049 characters: a Glue table description holds at most 2048"]
