"""ODCS logical types map to the Glue types that hold every value."""

from __future__ import annotations

import pytest
from open_data_contract_standard.model import SchemaProperty

from datamesh.contracts.glue_types import UnmappableType, glue_type


@pytest.mark.parametrize(
    ("prop", "expected"),
    [
        ({"logicalType": "string"}, "string"),
        ({"logicalType": "boolean"}, "boolean"),
        ({"logicalType": "date"}, "date"),
        ({"logicalType": "timestamp"}, "timestamp"),
        ({"logicalType": "time"}, "string"),
        ({"logicalType": "integer"}, "int"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "i8"}}, "tinyint"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "u8"}}, "smallint"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "i16"}}, "smallint"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "u32"}}, "bigint"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "i64"}}, "bigint"),
        ({"logicalType": "integer", "logicalTypeOptions": {"format": "u64"}}, "decimal(20,0)"),
        ({"logicalType": "number"}, "double"),
        ({"logicalType": "number", "logicalTypeOptions": {"format": "f32"}}, "float"),
        ({"logicalType": "number", "physicalType": "DECIMAL(10,2)"}, "decimal(10,2)"),
        ({"logicalType": "string", "physicalType": "varchar(20)"}, "varchar(20)"),
        (
            {"logicalType": "array", "items": {"logicalType": "integer", "logicalTypeOptions": {"format": "i64"}}},
            "array<bigint>",
        ),
        (
            {
                "logicalType": "object",
                "properties": [{"name": "street", "logicalType": "string"}, {"name": "zip", "logicalType": "integer"}],
            },
            "struct<street:string,zip:int>",
        ),
        (
            {"logicalType": "map", "map": {"key": {"logicalType": "string"}, "value": {"logicalType": "number"}}},
            "map<string,double>",
        ),
    ],
)
def test_maps_logical_types(prop, expected):
    assert glue_type(SchemaProperty.model_validate({"name": "c", **prop})) == expected


@pytest.mark.parametrize(
    ("prop", "reason"),
    [
        ({}, "needs a logicalType or physicalType"),
        ({"logicalType": "array"}, "array needs items"),
        ({"logicalType": "object"}, "object needs properties"),
    ],
)
def test_rejects_what_glue_cannot_hold(prop, reason):
    with pytest.raises(UnmappableType, match=reason):
        glue_type(SchemaProperty.model_validate({"name": "c", **prop}))
