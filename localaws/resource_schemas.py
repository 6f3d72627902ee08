"""CloudFormation resource provider schemas, as cfn-lint bundles them.

cfn-lint keeps one schema per resource type under ``data/schemas/resources/<hash>.json``
and, per region, a ``providers/<region>.json`` naming each type's schema; a region
without its own file uses us-east-1's, as cfn-lint does. A schema's
``createOnlyProperties`` are the properties whose change replaces the resource; its
``replacementStrategy`` says whether the old one is deleted before or after the new one
is created (the default).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import cfnlint

_SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
_ABSENT = object()


@functools.cache
def _provider(region: str) -> dict[str, str]:
    path = _SCHEMAS / "providers" / f"{region}.json"
    if not path.exists():
        path = _SCHEMAS / "providers" / "us-east-1.json"
    return json.loads(path.read_text())


@functools.cache
def schema(resource_type: str, region: str) -> dict[str, Any]:
    """The provider schema of ``resource_type``; empty for a type CloudFormation has none for."""
    schema_id = _provider(region).get(resource_type)
    if schema_id is None:
        return {}
    return json.loads((_SCHEMAS / "resources" / f"{schema_id}.json").read_text())


def create_only(resource_type: str, region: str) -> list[str]:
    """The type's create-only property paths, e.g. ``TableInput/Name``."""
    return [p.removeprefix("/properties/") for p in schema(resource_type, region).get("createOnlyProperties", [])]


def deletes_first(resource_type: str, region: str) -> bool:
    """Whether a replacement deletes the old resource before creating the new one (the
    schema's ``replacementStrategy: delete_then_create``, for resources that can exist only
    once, e.g. one Lake Formation grant per principal and resource)."""
    return schema(resource_type, region).get("replacementStrategy") == "delete_then_create"


def _at(properties: dict[str, Any], path: str) -> Any:
    node: Any = properties
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            return _ABSENT
        node = node[part]
    return node


def replacing_changes(resource_type: str, region: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The create-only properties that differ between ``old`` and ``new`` (adding or
    removing one counts): a non-empty answer means the update replaces the resource."""
    return [p for p in create_only(resource_type, region) if _at(old, p) != _at(new, p)]
