"""Names of Glue databases and tables as resolved values refer to them (literal or ``Ref``)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_glue as glue

from datamesh.config.models import Product
from datamesh.policies.resource_rules.cfn import refers_to
from datamesh.policies.resource_rules.rule import Resource, RuleContext


def database_name(resource: Resource, value: Any, context: RuleContext) -> str | None:
    """The database name ``value`` stands for, following a ``Ref`` within the stack."""
    if isinstance(value, str):
        return value
    for database in context.resources(resource, glue.CfnDatabase):
        if refers_to(value, database.logical_id):
            return (database.properties.get("databaseInput") or {}).get("name")
    return None


def table_name(resource: Resource, value: Any, context: RuleContext) -> str | None:
    """The table name ``value`` stands for, following a ``Ref`` within the stack."""
    if isinstance(value, str):
        return value
    for table in context.resources(resource, glue.CfnTable):
        if refers_to(value, table.logical_id):
            return (table.properties.get("tableInput") or {}).get("name")
    return None


def pii_columns(product: Product) -> list[str]:
    return [c.name for c in [*product.columns, *product.partition_keys] if c.pii]
