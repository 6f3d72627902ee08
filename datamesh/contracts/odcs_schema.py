"""The ODCS v3 JSON Schema that ships with ``open-data-contract-standard``, checked in linear time.

Validating a whole contract against the bundled schema takes time exponential in how
deeply properties nest: ``SchemaBaseProperty`` has ``unevaluatedProperties: false`` over
an ``allOf`` of eight ``if``/``then`` pairs, and jsonschema evaluates a property's nested
``properties`` (and ``items``, ``map``) once for each subschema that could have evaluated
them, at every level (measured: 7.6 s at depth 8, each level about 3x the one above).
So the schema is cut at each property: a property's children are checked as ``object``
there, and each property of the tree is then validated on its own, which visits every
property once; and a property's ``unevaluatedProperties: false`` is written as the
equivalent key lists, which cost about a tenth as much.

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
_KEY_NEEDS: dict[str, str] = {}  # what a key only some properties or rules may have needs, for messages
MAX_PROPERTY_DEPTH = 32
MAX_PROPERTIES = 5000  # columns and nested fields of one contract; about 1 ms each to check


def _logical_types(condition: dict[str, Any]) -> set[str]:
    """The logicalType values an ``if`` of SchemaBaseProperty tests for."""
    branches = condition.get("anyOf", [condition])
    return {branch["properties"]["logicalType"]["const"] for branch in branches}


def _cut(schema: dict[str, Any]) -> None:
    """Children of a property checked as plain objects; each ``if`` applies only to its type.

    ``unevaluatedProperties: false`` on a property is replaced by what it means here, which
    jsonschema checks without evaluating every subschema again: the keys a property may
    have (``additionalProperties``), and the keys only one logical type allows (``items``
    needs ``logicalType: array``...) as ``dependentSchemas``.
    """
    defs = schema["$defs"]
    base = defs["SchemaBaseProperty"]
    allowed = dict.fromkeys(defs["SchemaElement"]["properties"], {})
    needs_type: dict[str, set[str]] = {}
    for part in base["allOf"]:
        if "if" not in part:
            continue
        types = _logical_types(part["if"])
        part["if"]["required"] = ["logicalType"]
        then = part["then"].get("properties", {})
        if "properties" in then:
            then["properties"]["items"] = _ANY_OBJECT
        if "items" in then:
            then["items"] = _ANY_OBJECT
        if "map" in then:
            then["map"]["properties"] = {"key": _ANY_OBJECT, "value": _ANY_OBJECT}
        for key in set(then) - set(base["properties"]):
            allowed[key] = {}
            needs_type.setdefault(key, set()).update(types)
    base["properties"] = {**allowed, **base["properties"]}
    base["additionalProperties"] = False
    base["dependentSchemas"] = {
        key: {"required": ["logicalType"], "properties": {"logicalType": {"enum": sorted(types)}}}
        for key, types in needs_type.items()
    }
    _KEY_NEEDS.update({key: f"needs logicalType {' or '.join(sorted(types))}" for key, types in needs_type.items()})
    del base["unevaluatedProperties"], defs["SchemaProperty"]["unevaluatedProperties"]
    del defs["SchemaItemProperty"]["unevaluatedProperties"]
    defs["SchemaItemProperty"]["properties"]["properties"]["items"] = _ANY_OBJECT
    defs["SchemaObject"]["properties"]["properties"]["items"] = _ANY_OBJECT
    _quality_keys(defs)


def _quality_keys(defs: dict[str, Any]) -> None:
    """DataQuality's ``unevaluatedProperties: false`` as key lists: each ``then`` adds keys for its kind of rule."""
    quality = defs["DataQuality"]
    allowed = dict(quality["properties"])
    needs: dict[str, list[dict[str, Any]]] = {}
    for part in quality["allOf"]:
        kind = defs[part["then"]["$ref"].rsplit("/", 1)[1]]
        keys = set(kind["properties"])
        for operators in kind.get("allOf", []):
            keys |= {
                key for branch in defs[operators["$ref"].rsplit("/", 1)[1]]["oneOf"] for key in branch["properties"]
            }
        for key in keys - set(quality["properties"]):
            allowed.setdefault(key, {})
            needs.setdefault(key, []).append(part)
    quality["properties"] = allowed
    quality["additionalProperties"] = False
    quality["dependentSchemas"] = {key: {"anyOf": [part["if"] for part in parts]} for key, parts in needs.items()}
    _KEY_NEEDS.update(
        {
            key: "belongs in a rule of type "
            + " or ".join(part["then"]["$ref"].rsplit("/", 1)[1].removeprefix("DataQuality").lower() for part in parts)
            for key, parts in needs.items()
        }
    )
    del quality["unevaluatedProperties"]


@cache
def _validators() -> tuple[
    jsonschema.protocols.Validator, jsonschema.protocols.Validator, jsonschema.protocols.Validator
]:
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


def _property_tree(data: dict[str, Any]) -> list[tuple[Any, str, bool, int]]:
    """Every property of every schema object, nested ones too, as (property, path, is_item, depth).

    Stops one past :data:`MAX_PROPERTIES`, and does not descend below :data:`MAX_PROPERTY_DEPTH`.
    """
    schema = data.get("schema")
    stack: list[tuple[Any, str, bool, int]] = []
    for i, table in enumerate(schema if isinstance(schema, list) else []):
        nested = table.get("properties") if isinstance(table, dict) else None
        for j, prop in enumerate(nested if isinstance(nested, list) else []):
            stack.append((prop, f"schema[{i}].properties[{j}]", False, 1))
    tree = []
    while stack and len(tree) <= MAX_PROPERTIES:
        prop, path, is_item, depth = entry = stack.pop()
        tree.append(entry)
        if isinstance(prop, dict) and depth <= MAX_PROPERTY_DEPTH:
            stack.extend(
                (child, child_path, child_is_item, depth + 1)
                for child, child_path, child_is_item in _children(prop, path)
            )
    return tree


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Violations of the ODCS JSON Schema, as (field path, reason), the first per field."""
    document, single, item = _validators()
    found: dict[str, str] = {}

    def check(validator: jsonschema.protocols.Validator, instance: Any, prefix: str) -> None:
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            path, message, schema_path = list(error.absolute_path), error.message, list(error.schema_path)
            if "dependentSchemas" in schema_path:  # which key does not fit, rather than how the schema failed
                key = schema_path[schema_path.index("dependentSchemas") + 1]
                path = path[:-1] if error.validator == "enum" else path
                path, message = [*path, key], f"{key!r} {_KEY_NEEDS[key]}"
            field = ".".join(p for p in (prefix, _path(path)) if p).replace(".[", "[")
            found.setdefault(field, f"not valid ODCS: {message}")

    check(document, data, "")
    tree = _property_tree(data)
    if len(tree) > MAX_PROPERTIES:
        found.setdefault(
            "schema",
            f"more than {MAX_PROPERTIES} properties (columns and nested fields): "
            "the mesh reads at most that many per contract",
        )
        return sorted(found.items(), key=lambda pair: pair[0])
    for prop, path, is_item, depth in tree:
        if depth > MAX_PROPERTY_DEPTH:
            found.setdefault(path, f"properties nested more than {MAX_PROPERTY_DEPTH} levels deep")
        else:
            check(item if is_item else single, prop, path)
    return sorted(found.items(), key=lambda pair: pair[0])
