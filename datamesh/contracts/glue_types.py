"""ODCS logical types to Glue (Hive) column types."""

from __future__ import annotations

from typing import Any

from open_data_contract_standard.model import SchemaProperty

from datamesh.config.models import Column


class UnmappableType(ValueError):
    """A property whose type has no Glue equivalent (or an invalid physical type)."""


# ODCS integer formats (Rust integer names; i32 is the standard's default) to the smallest
# signed Hive type holding every value.
_INTEGER_FORMATS = {
    "i8": "tinyint", "u8": "smallint", "i16": "smallint", "u16": "int", "i32": "int",
    "u32": "bigint", "i64": "bigint", "u64": "decimal(20,0)", "i128": "decimal(38,0)", "u128": "decimal(38,0)",
}


def _integer(options: dict[str, Any]) -> str:
    return _INTEGER_FORMATS[str(options.get("format", "i32"))]


def _number(options: dict[str, Any]) -> str:
    return "float" if options.get("format") == "f32" else "double"


def glue_type(prop: SchemaProperty) -> str:
    """The Glue type of a property.

    An explicit ``physicalType`` wins when it is a valid Glue type; otherwise the logical
    type decides: integer -> int, or by ``logicalTypeOptions.format`` the smallest type
    that holds it (i64 -> bigint, i8 -> tinyint...); number -> double (f32 -> float; use
    ``physicalType: decimal(p,s)`` for exact decimals); time -> string
    (Hive has no time type), array -> array<items>, object -> struct<fields>,
    map -> map<key,value>.
    """
    if prop.physicalType:
        try:
            return Column.model_validate({"name": "x", "type": prop.physicalType}).type
        except ValueError as exc:
            raise UnmappableType(f"physicalType {prop.physicalType!r} is not a Glue type") from exc
    options = prop.logicalTypeOptions or {}
    logical = (prop.logicalType or "").lower()
    simple = {"string": "string", "boolean": "boolean", "date": "date", "timestamp": "timestamp", "time": "string"}
    if logical in simple:
        return simple[logical]
    if logical == "integer":
        return _integer(options)
    if logical == "number":
        return _number(options)
    if logical == "array":
        if prop.items is None:
            raise UnmappableType("array needs items")
        return f"array<{glue_type(prop.items)}>"
    if logical == "object":
        if not prop.properties:
            raise UnmappableType("object needs properties")
        return "struct<" + ",".join(f"{p.name}:{glue_type(p)}" for p in prop.properties) + ">"
    if logical == "map":
        if prop.map is None or prop.map.key is None or prop.map.value is None:
            raise UnmappableType("map needs map.key and map.value")
        return f"map<{glue_type(prop.map.key)},{glue_type(prop.map.value)}>"
    raise UnmappableType(f"logicalType {prop.logicalType!r} has no Glue type" if logical
                         else "needs a logicalType or physicalType")
