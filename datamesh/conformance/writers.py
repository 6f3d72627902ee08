"""Rows to the bytes of one file in a product's format, with a real writer.

Parquet, ORC and CSV through pyarrow, Avro through fastavro, JSON (one object per line,
as the OpenX JSON SerDe reads it) through Python's json. pyarrow and fastavro are imported
when a file is written, not when meshctl starts.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from datamesh.conformance.values import split_type
from datamesh.names.glue_grammar import sized

_ARROW_INTEGERS = {"tinyint": "int8", "smallint": "int16", "int": "int32", "bigint": "int64"}
_AVRO_PRIMITIVES = {
    "string": "string",
    "tinyint": "int",
    "smallint": "int",
    "int": "int",
    "bigint": "long",
    "boolean": "boolean",
    "double": "double",
    "float": "float",
    "binary": "bytes",
}


def arrow_type(glue_type: str) -> Any:
    """The pyarrow type holding a Glue type's values as Athena reads them from Parquet and ORC."""
    import pyarrow as pa

    kind, arguments = split_type(glue_type)
    size = sized(kind)
    if kind in _ARROW_INTEGERS:
        return getattr(pa, _ARROW_INTEGERS[kind])()
    if kind == "string" or (size and size[0] in ("char", "varchar")):
        return pa.string()
    if size and size[0] == "decimal":
        return pa.decimal128(*size[1])
    simple = {
        "boolean": pa.bool_(),
        "double": pa.float64(),
        "float": pa.float32(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("ms"),
        "binary": pa.binary(),
    }
    if kind in simple:
        return simple[kind]
    if kind == "array":
        return pa.list_(arrow_type(arguments[0]))
    if kind == "map":
        return pa.map_(arrow_type(arguments[0]), arrow_type(arguments[1]))
    if kind == "struct":
        return pa.struct([(name, arrow_type(type_)) for name, type_ in (a.split(":", 1) for a in arguments)])
    raise ValueError(f"no Arrow type for {glue_type!r}")


def arrow_table(columns: tuple[tuple[str, str], ...], rows: tuple[dict[str, Any], ...]) -> Any:
    import pyarrow as pa

    schema = pa.schema([(name, arrow_type(type_)) for name, type_ in columns])
    return pa.Table.from_pylist(list(rows), schema=schema)


def avro_type(glue_type: str, name: str) -> Any:
    """The Avro type (nullable) of a Glue type, as Hive's AvroSerDe maps them."""
    kind, arguments = split_type(glue_type)
    size = sized(kind)
    if kind in _AVRO_PRIMITIVES:
        found: Any = _AVRO_PRIMITIVES[kind]
    elif size and size[0] in ("char", "varchar"):
        found = "string"
    elif size and size[0] == "decimal":
        found = {"type": "bytes", "logicalType": "decimal", "precision": size[1][0], "scale": size[1][1]}
    elif kind == "date":
        found = {"type": "int", "logicalType": "date"}
    elif kind == "timestamp":
        found = {"type": "long", "logicalType": "timestamp-millis"}
    elif kind == "array":
        found = {"type": "array", "items": avro_type(arguments[0], f"{name}_item")}
    elif kind == "map" and arguments[0] == "string":
        found = {"type": "map", "values": avro_type(arguments[1], f"{name}_value")}
    elif kind == "struct":
        found = {
            "type": "record",
            "name": name,
            "fields": [
                {"name": n, "type": avro_type(t, f"{name}_{n}")} for n, t in (a.split(":", 1) for a in arguments)
            ],
        }
    else:
        raise ValueError(f"no Avro type for {glue_type!r}")
    return ["null", found]


def _avro_value(value: Any, glue_type: str) -> Any:
    kind, arguments = split_type(glue_type)
    if value is None:
        return None
    if kind == "map":
        return {k: _avro_value(v, arguments[1]) for k, v in value}
    if kind == "array":
        return [_avro_value(v, arguments[0]) for v in value]
    if kind == "struct":
        return {n: _avro_value(value[n], t) for n, t in (a.split(":", 1) for a in arguments)}
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]  # the OpenX SerDe's timestamp text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list):
        if value and isinstance(value[0], tuple):
            return {str(k): _json_value(v) for k, v in value}
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


def encode(file_format: str, columns: tuple[tuple[str, str], ...], rows: tuple[dict[str, Any], ...]) -> bytes:
    """The file's bytes: ``columns`` (name, Glue type) and one dict per row."""
    buffer = io.BytesIO()
    if file_format == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(arrow_table(columns, rows), buffer)
    elif file_format == "orc":
        from pyarrow import orc

        orc.write_table(arrow_table(columns, rows), buffer)
    elif file_format == "csv":
        from pyarrow import csv

        # The table's LazySimpleSerDe splits on commas, does not unquote, and reads \N as null.
        csv.write_csv(arrow_table(columns, rows), buffer, csv.WriteOptions(quoting_style="none", null_string="\\N"))
    elif file_format == "avro":
        import fastavro

        schema = {
            "type": "record",
            "name": "row",
            "fields": [{"name": name, "type": avro_type(type_, name)} for name, type_ in columns],
        }
        fastavro.writer(
            buffer, fastavro.parse_schema(schema), [{n: _avro_value(row[n], t) for n, t in columns} for row in rows]
        )
    elif file_format == "json":
        for row in rows:
            buffer.write((json.dumps({n: _json_value(row[n]) for n, _ in columns}, sort_keys=False) + "\n").encode())
    else:
        raise ValueError(f"unknown format {file_format!r}")
    return buffer.getvalue()
