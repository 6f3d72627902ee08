"""The ODCS v3 JSON Schema that ships with ``open-data-contract-standard``, checked in linear time.

Validating a whole contract against the bundled schema takes time exponential in how
deeply properties nest: ``SchemaBaseProperty`` has ``unevaluatedProperties: false`` over
an ``allOf`` of eight ``if``/``then`` pairs, and jsonschema evaluates a property's nested
``properties`` (and ``items``, ``map``) once for each subschema that could have evaluated
them, at every level (measured: 7.6 s at depth 8, each level about 3x the one above).
So the schema is cut at each property: a property's children are checked as ``object``
there, and each property of the tree is then validated on its own, which visits every
property once.

The bundled ``if``s test ``properties: {logicalType: {const: ...}}``, which also holds
when ``logicalType`` is absent, so a property with only a ``physicalType`` had to satisfy
every ``then`` at once (``'map' is a required property``, and one ``logicalTypeOptions``
valid for every type). Each ``if`` here also requires ``logicalType``: the ``then`` applies
to the type it names, as the standard describes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

_ANY_OBJECT = {"type": "object"}
MAX_PROPERTY_DEPTH = 32


def _cut(schema: dict[str, Any]) -> None:
    """Children of a property checked as plain objects; each ``if`` applies only to its type."""
    defs = schema["$defs"]
    for part in defs["SchemaBaseProperty"]["allOf"]:
        if "if" in part:
            part["if"]["required"] = ["logicalType"]
            then = part["then"].get("properties", {})
            if "properties" in then:
                then["properties"]["items"] = _ANY_OBJECT
            if "items" in then:
                then["items"] = _ANY_OBJECT
            if "map" in then:
                then["map"]["properties"] = {"key": _ANY_OBJECT, "value": _ANY_OBJECT}
    defs["SchemaItemProperty"]["properties"]["properties"]["items"] = _ANY_OBJECT
    defs["SchemaObject"]["properties"]["properties"]["items"] = _ANY_OBJECT


@cache
def _validators() -> tuple[jsonschema.protocols.Validator, jsonschema.protocols.Validator,
                           jsonschema.protocols.Validator]:
    """Validators of the document, of one property, and of one array item or map key/value."""
    schema = json.loads(resources.files("open_data_contract_standard").joinpath("schema.json").read_text())
    _cut(schema)
    cls = jsonschema.validators.validator_for(schema)

    def part(name: str) -> jsonschema.protocols.Validator:
        return cls({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{name}"})

    return cls(schema), part("SchemaProperty"), part("SchemaItemProperty")


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _children(prop: dict[str, Any], path: str) -> Iterator[tuple[dict[str, Any], str, bool]]:
    """Nested properties of ``prop`` as (property, path, is_item)."""
    nested = prop.get("properties")
    if isinstance(nested, list):
        for i, child in enumerate(nested):
            yield child, f"{path}.properties[{i}]", False
    if isinstance(prop.get("items"), dict):
        yield prop["items"], f"{path}.items", True
    mapping = prop.get("map")
    if isinstance(mapping, dict):
        for key in ("key", "value"):
            if isinstance(mapping.get(key), dict):
                yield mapping[key], f"{path}.map.{key}", True


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Violations of the ODCS JSON Schema, as (field path, reason), the first per field."""
    document, single, item = _validators()
    found: dict[str, str] = {}

    def check(validator: jsonschema.protocols.Validator, instance: Any, prefix: str) -> None:
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            field = ".".join(p for p in (prefix, _path(error.absolute_path)) if p).replace(".[", "[")
            found.setdefault(field, f"not valid ODCS: {error.message}")

    check(document, data, "")
    stack: list[tuple[Any, str, bool, int]] = []
    for i, table in enumerate(data.get("schema") or [] if isinstance(data.get("schema"), list) else []):
        nested = table.get("properties") if isinstance(table, dict) else None
        for j, prop in enumerate(nested if isinstance(nested, list) else []):
            stack.append((prop, f"schema[{i}].properties[{j}]", False, 1))
    while stack:
        prop, path, is_item, depth = stack.pop()
        if depth > MAX_PROPERTY_DEPTH:
            found.setdefault(path, f"properties nested more than {MAX_PROPERTY_DEPTH} levels deep")
            continue
        check(item if is_item else single, prop, path)
        if isinstance(prop, dict):
            stack.extend((child, child_path, child_is_item, depth + 1)
                         for child, child_path, child_is_item in _children(prop, path))
    return sorted(found.items(), key=lambda pair: pair[0])
