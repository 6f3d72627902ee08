"""ODCS v3 property types to Glue (Hive) column types.

The ODCS ``logicalType`` says what a value is; ``physicalType`` says how the source system
stores it, in that system's words. A ``physicalType`` that is a valid Glue type wins
(``decimal(12,2)``, ``varchar(20)``, ``array<string>``). Any other ``physicalType``
(``long``, ``TEXT``, ``timestamptz``, ``NUMBER(10,2)``) is another system's word: the
``logicalType`` decides, and when there is none, the family of the physical type gives
it (a database, Avro, Iceberg or Parquet name: ``long`` is an i64 integer, ``text`` a
string...); a known family of the same logical type also gives the width the options
leave out (``integer`` stored as ``long`` is a bigint). Only what no Glue column can hold
is refused.
"""

from __future__ import annotations

import re
from typing import Any

from open_data_contract_standard.model import SchemaProperty

from datamesh.names.glue_grammar import FIELD_NAME, MAX_TYPE_DEPTH, InvalidGlueType, duplicate_name, is_primitive
from datamesh.names.glue_grammar import glue_type as parse_glue_type


class UnmappableType(ValueError):
    """A property whose type has no Glue equivalent."""


# ODCS integer formats (Rust integer names; i32 is the standard's default) to the smallest
# signed Hive type holding every value.
_INTEGER_FORMATS = {
    "i8": "tinyint",
    "u8": "smallint",
    "i16": "smallint",
    "u16": "int",
    "i32": "int",
    "u32": "bigint",
    "i64": "bigint",
    "u64": "decimal(20,0)",
    "i128": "decimal(38,0)",
    "u128": "decimal(38,0)",
}
# ODCS vector element types (RFC 0042) to the Glue type of one element.
_VECTOR_ELEMENTS = {
    "float32": "float",
    "float16": "float",
    "bfloat16": "float",
    "float64": "double",
    "int8": "tinyint",
    "uint8": "smallint",
    "binary": "boolean",
}

# Physical type names other systems write (SQL databases, Avro, Parquet, Iceberg, Spark,
# dbt adapters), by the logical type and options they mean.
_PHYSICAL_FAMILIES: dict[str, tuple[str, dict[str, Any]]] = {
    **dict.fromkeys(
        (
            "text",
            "varchar",
            "char",
            "nvarchar",
            "nchar",
            "character",
            "character varying",
            "bpchar",
            "citext",
            "clob",
            "nclob",
            "ntext",
            "tinytext",
            "mediumtext",
            "longtext",
            "uuid",
            "json",
            "jsonb",
            "xml",
            "enum",
            "varchar2",
            "nvarchar2",
            "str",
            "utf8",
            "keyword",
        ),
        ("string", {}),
    ),
    **dict.fromkeys(
        ("long", "int64", "int8", "bigserial", "serial8", "uint32", "unsignedint"), ("integer", {"format": "i64"})
    ),
    **dict.fromkeys(
        ("integer", "int", "int32", "int4", "serial", "serial4", "mediumint", "uint16"), ("integer", {"format": "i32"})
    ),
    **dict.fromkeys(
        ("short", "smallint", "int16", "int2", "smallserial", "serial2", "uint8", "year"),
        ("integer", {"format": "i16"}),
    ),
    **dict.fromkeys(("byte", "tinyint", "int1"), ("integer", {"format": "i8"})),
    **dict.fromkeys(("uint64", "hugeint", "ubigint"), ("integer", {"format": "u64"})),
    **dict.fromkeys(("float", "real", "float4", "float32", "single"), ("number", {"format": "f32"})),
    **dict.fromkeys(
        (
            "double",
            "double precision",
            "float8",
            "float64",
            "binary_double",
            "binary_float",
            "number",
            "numeric",
            "decimal",
            "dec",
            "money",
            "smallmoney",
            "bignumeric",
        ),
        ("number", {}),
    ),
    **dict.fromkeys(("boolean", "bool", "bit", "logical"), ("boolean", {})),
    **dict.fromkeys(("date", "date32", "local-date"), ("date", {})),
    **dict.fromkeys(
        (
            "timestamp",
            "timestamptz",
            "timestamp_tz",
            "timestamp_ltz",
            "timestamp_ntz",
            "datetime",
            "datetime2",
            "datetimeoffset",
            "smalldatetime",
            "timestamp with time zone",
            "timestamp without time zone",
            "timestamp with local time zone",
            "timestamp_ms",
            "timestamp_us",
            "timestamp_ns",
            "timestamp-millis",
            "timestamp-micros",
            "instant",
        ),
        ("timestamp", {}),
    ),
    **dict.fromkeys(
        ("time", "timetz", "time with time zone", "time without time zone", "time-millis", "time-micros", "interval"),
        ("time", {}),
    ),
    **dict.fromkeys(
        (
            "binary",
            "varbinary",
            "bytea",
            "blob",
            "bytes",
            "longblob",
            "mediumblob",
            "tinyblob",
            "image",
            "raw",
            "fixed",
            "long raw",
        ),
        ("string", {"format": "binary"}),
    ),
}
# Physical types that store a JSON document (PostgreSQL json and jsonb, Snowflake VARIANT,
# Redshift SUPER): an object or array of one with no declared fields or items is its JSON
# text, a Glue string, which Athena queries with its JSON functions (Athena user guide,
# "Extract JSON data from strings").
_JSON_DOCUMENTS = frozenset({"json", "jsonb", "variant", "super"})
_PRECISE_NUMBER = re.compile(r"^(?:number|numeric|decimal|dec|bignumeric)\s*\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\)$")
_PARAMETERS = re.compile(r"\s*\(.*\)\s*$")


def _physical_family(physical: str) -> tuple[str, dict[str, Any]] | None:
    """The logical type and options a physical type of another system means, if known."""
    name = _PARAMETERS.sub("", " ".join(physical.lower().split()))
    name = re.sub(r"\s*\(\d+\)", "", name)  # timestamp(6) with time zone
    return _PHYSICAL_FAMILIES.get(name)


def _exact_decimal(physical: str) -> str | None:
    """``NUMBER(10,2)``, ``numeric(12)``: the Glue decimal holding it, when Glue has one."""
    match = _PRECISE_NUMBER.match(physical.strip().lower())
    if match is None:
        return None
    try:
        return parse_glue_type(f"decimal({match.group(1)},{match.group(2) or 0})")
    except InvalidGlueType:
        return None


def _field_name(prop: SchemaProperty) -> str:
    name = prop.physicalName or prop.name or ""
    if not FIELD_NAME.fullmatch(name):
        raise UnmappableType(
            f"nested field name {name!r} must be letters, digits and underscores "
            "(set physicalName to the field's name in the data)"
        )
    return name


def _logical(prop: SchemaProperty, logical: str, options: dict[str, Any], depth: int) -> str:
    simple = {"boolean": "boolean", "date": "date", "timestamp": "timestamp", "time": "string"}
    if logical in simple:
        return simple[logical]
    if logical == "string":
        return "binary" if options.get("format") == "binary" else "string"
    if logical == "integer":
        return _INTEGER_FORMATS.get(str(options.get("format", "i32")), "int")
    if logical == "number":
        return "float" if options.get("format") == "f32" else "double"
    if (
        logical in ("array", "object")
        and prop.items is None
        and not prop.properties
        and (prop.physicalType or "").strip().lower() in _JSON_DOCUMENTS
    ):
        return "string"
    if logical == "array":
        if prop.items is None:
            raise UnmappableType("array needs items")
        return f"array<{_property_type(prop.items, depth + 1)}>"
    if logical == "object":
        if not prop.properties:
            raise UnmappableType("object needs properties (a Glue struct has at least one field)")
        names = [_field_name(p) for p in prop.properties]
        duplicate = duplicate_name(names)
        if duplicate is not None:
            raise UnmappableType(f"object has the field {duplicate.lower()!r} twice (Glue ignores case)")
        return (
            "struct<"
            + ",".join(f"{n}:{_property_type(p, depth + 1)}" for n, p in zip(names, prop.properties, strict=False))
            + ">"
        )
    if logical == "map":
        if prop.map is None or prop.map.key is None or prop.map.value is None:
            raise UnmappableType("map needs map.key and map.value")
        key = _property_type(prop.map.key, depth + 1)
        if not is_primitive(key):
            raise UnmappableType(f"a map key must be a primitive type, not {key!r}")
        return f"map<{key},{_property_type(prop.map.value, depth + 1)}>"
    if logical == "vector":
        element = str(options.get("elementType", "float32"))
        return f"array<{_VECTOR_ELEMENTS.get(element, 'float')}>"
    raise UnmappableType(f"logicalType {logical!r} has no Glue type")


def _property_type(prop: SchemaProperty, depth: int) -> str:
    if depth > MAX_TYPE_DEPTH:
        raise UnmappableType(f"nested more than {MAX_TYPE_DEPTH} levels deep")
    physical = (prop.physicalType or "").strip()
    not_glue = ""
    if physical:
        try:
            return parse_glue_type(physical)
        except InvalidGlueType as exc:
            not_glue = str(exc)
            decimal = _exact_decimal(physical)
            if decimal is not None and (prop.logicalType or "number") == "number":
                return decimal
    logical = (prop.logicalType or "").lower()
    options = dict(prop.logicalTypeOptions or {})
    family = _physical_family(physical) if physical else None
    if not logical and physical:
        if family is None:
            raise UnmappableType(
                f"physicalType {physical!r} is not a Glue type ({not_glue}) nor a known type "
                "of another system; add a logicalType"
            )
        logical = family[0]
    if family is not None and family[0] == logical:  # `long` says how wide an integer is
        options = {**family[1], **options}
    if not logical:
        raise UnmappableType("needs a logicalType or physicalType")
    return _logical(prop, logical, options, depth)


def glue_type(prop: SchemaProperty) -> str:
    """The Glue type of a property, following the rules in the module docstring.

    logicalType: string -> string (format binary: binary); integer -> int, or by
    ``logicalTypeOptions.format`` the smallest type that holds it (i64 -> bigint, u64 ->
    decimal(20,0)...); number -> double (f32 -> float; exact decimals come from a
    ``physicalType`` such as ``decimal(12,2)`` or ``NUMBER(12,2)``); boolean, date and
    timestamp -> the same; time -> string (Hive has no time type); array ->
    array<items>; object -> struct<field:type,...> (field names from physicalName or
    name); an object without properties or an array without items whose physicalType is a
    JSON document (json, jsonb, variant, super) -> string, the JSON text; map ->
    map<key,value>; vector -> array of its elementType.
    """
    return _property_type(prop, 0)
