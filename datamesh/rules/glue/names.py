"""Names of Glue databases and tables as template values refer to them (literal or ``Ref``)."""

from __future__ import annotations

from typing import Any

from datamesh.rules.engine.cfn import DATABASE, TABLE, refers_to
from datamesh.rules.engine.rule import Resource


def database_name(resource: Resource, value: Any) -> str | None:
    """The database name ``value`` stands for, following a ``Ref`` within the stack."""
    if isinstance(value, str):
        return value
    for database in resource.stack.of_type(DATABASE):
        if refers_to(value, database.logical_id):
            return (database.properties.get("DatabaseInput") or {}).get("Name")
    return None


def table_name(resource: Resource, value: Any) -> str | None:
    """The table name ``value`` stands for, following a ``Ref`` within the stack."""
    if isinstance(value, str):
        return value
    for table in resource.stack.of_type(TABLE):
        if refers_to(value, table.logical_id):
            return (table.properties.get("TableInput") or {}).get("Name")
    return None
