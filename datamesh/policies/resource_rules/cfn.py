"""Reading resolved property values: references, ``Fn::Join`` strings and policy documents."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnResource, Stack


def logical_id(node: CfnResource) -> str:
    return Stack.of(node).resolve(node.logical_id)


def refers_to(value: Any, node: CfnResource) -> bool:
    """Whether a resolved value is ``{"Ref": <node>}`` or ``{"Fn::GetAtt": [<node>, ...]}``."""
    if not isinstance(value, dict):
        return False
    target = value.get("Ref", (value.get("Fn::GetAtt") or [None])[0])
    return target == logical_id(node)


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
