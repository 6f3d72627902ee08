"""Column types, comments and descriptions in domain files: what Glue and Athena reject is refused.

Expected values come from Athena's DDL data types (decimal precision 1-38, char 1-255,
varchar 1-65535, map keys primitive, struct<name:type>) and the Glue API reference (Column
Comment at most 255, Table and Database Description at most 2048). 20 type grammar cases,
3 domain-file column types, 3 lengths; 8 cases where the domain files and the contracts used to disagree.
"""

from __future__ import annotations

import pytest
from open_data_contract_standard.model import SchemaProperty

from datamesh.contracts.glue_types import UnmappableType
from datamesh.contracts.glue_types import glue_type as contract_type
from datamesh.names.glue_grammar import InvalidGlueType, glue_type
from tests.config.test_validation import problems_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DECIMAL(10, 2)", "decimal(10,2)"),
        ("integer", "int"),
        ("array< struct<a:int, B_2:map<string,array<bigint>>> >", "array<struct<a:int,B_2:map<string,array<bigint>>>>"),
        ("varchar(65535)", "varchar(65535)"),
        ("char(255)", "char(255)"),
        ("decimal(10)", "decimal(10,0)"),
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
        ("varchar(65536)", "varchar length must be a number from 1 to 65535, not '65536'"),
        ("decimal(10,2", "expected ')' but found 'the end'"),
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
        doc["products"][0].update(
            {"description": "Inline", "columns": [{"name": "a", "type": "string", **(column or {})}], **product}
        )
        return doc

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            inline({"type": "varchar"}),
            "products[0].columns[0].type: 'varchar' is not a Glue column type: varchar "
            "needs a length, e.g. varchar(20); or use string",
        ),
        (
            inline({"type": "struct<a int>"}),
            "products[0].columns[0].type: 'struct<a int>' is not a Glue column type: "
            "struct field 'a' needs ':' before its type",
        ),
        (
            inline({"type": "decimal(40,2)"}),
            "products[0].columns[0].type: 'decimal(40,2)' is not a Glue column type: "
            "decimal precision must be a number from 1 to 38, not '40'",
        ),
        (
            inline({"description": "x" * 256}),
            "products[0].columns[0].description: String should have at most 255 characters",
        ),
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
        "description.purpose: 2049 characters: a Glue table description holds at most 2048"
    ]


# Where the domain files' grammar and the contracts' mapping used to disagree: a struct whose
# field names differ only in case was a valid inline type but an invalid contract object.
# Athena's "Name databases, tables, and columns" (docs.aws.amazon.com/athena/latest/ug/
# tables-databases-columns-names.html): Athena lowers names in DDL and runs queries with
# lower-case names, so `id` and `ID` are one name; both paths now refuse the pair.
@pytest.mark.parametrize(
    ("text", "field"),
    [("struct<id:int,ID:string>", "ID"), ("struct<a:int,a:int>", "a"), ("array<struct<Zip:string,zIP:int>>", "zIP")],
)
def test_field_names_that_differ_only_in_case_are_refused_inline_and_in_contracts(text, field):
    with pytest.raises(
        InvalidGlueType, match=f"^struct field '{field}' appears twice \\(Athena ignores case in names\\)$"
    ):
        glue_type(text)
    with pytest.raises(UnmappableType, match="appears twice"):
        contract_type(SchemaProperty.model_validate({"name": "c", "physicalType": text}))
    names = [{"name": n, "logicalType": "string"} for n in (field.lower(), field)]
    with pytest.raises(UnmappableType, match=f"object has the field '{field.lower()}' twice"):
        contract_type(SchemaProperty.model_validate({"name": "c", "logicalType": "object", "properties": names}))


# The same decimal bounds on both paths: "Data types in Amazon Athena" (docs.aws.amazon.com/athena/
# latest/ug/data-types.html) gives DECIMAL(precision, scale) a precision of at most 38 and a
# scale up to the precision; another system's NUMBER(p,s) maps to it only within those bounds.
@pytest.mark.parametrize(
    ("physical", "expected"),
    [
        ("NUMBER(38,38)", "decimal(38,38)"),
        ("numeric(12)", "decimal(12,0)"),
        ("NUMBER(39,2)", "double"),
        ("NUMBER(10,-2)", "double"),
        ("NUMBER(5,6)", "double"),
    ],
)
def test_another_systems_decimal_maps_within_athenas_bounds(physical, expected):
    prop = SchemaProperty.model_validate({"name": "c", "logicalType": "number", "physicalType": physical})
    assert contract_type(prop) == expected
