"""Reading template values: resource types, references, ``Fn::Join`` strings and policy documents."""

from __future__ import annotations

from typing import Any

KEY = "AWS::KMS::Key"
DATABASE = "AWS::Glue::Database"
TABLE = "AWS::Glue::Table"


def refers_to(value: Any, logical_id: str) -> bool:
    """Whether a resolved value is ``{"Ref": logical_id}`` or ``{"Fn::GetAtt": [logical_id, ...]}``."""
    if not isinstance(value, dict):
        return False
    return value.get("Ref", (value.get("Fn::GetAtt") or [None])[0]) == logical_id


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str:
    """A resolved string value with ``Fn::Join`` flattened and other tokens as ``${...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(text(part) for part in parts)
    if isinstance(value, dict) and value.get("Ref") == "AWS::Partition":
        return "aws"
    return "${token}"


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of a resolved policy document."""
    return as_list((document or {}).get("Statement"))


def allows(statement: dict[str, Any]) -> bool:
    return statement.get("Effect") == "Allow"


def actions(statement: dict[str, Any]) -> list[str]:
    return [text(a) for a in as_list(statement.get("Action"))]


def resources(statement: dict[str, Any]) -> list[str]:
    return [text(r) for r in as_list(statement.get("Resource"))]
