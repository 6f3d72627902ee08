"""Look-ups in the Glue Data Catalog of any account, failing as Glue would."""

from __future__ import annotations

from moto.glue.models import FakeDatabase, FakeTable

from localaws.resources import backends
from localaws.resources.errors import Rejected


def database(catalog_id: str, name: str, region: str) -> FakeDatabase:
    found = backends.glue(catalog_id, region).databases.get(name)
    if found is None:
        raise Rejected("EntityNotFoundException", f"Database {name} not found in catalog {catalog_id}")
    return found


def table(catalog_id: str, database_name: str, name: str, region: str) -> FakeTable:
    found = database(catalog_id, database_name, region).tables.get(name)
    if found is None:
        raise Rejected("EntityNotFoundException", f"Table {database_name}.{name} not found in catalog {catalog_id}")
    return found


def columns(found: FakeTable) -> list[str]:
    """Column names of a table's current version, partition keys included."""
    current = found.as_dict()
    listed = current.get("StorageDescriptor", {}).get("Columns", []) + current.get("PartitionKeys", [])
    return [c["Name"] for c in listed]


def require_columns(catalog_id: str, database_name: str, name: str, wanted: list[str], region: str) -> list[str]:
    """All columns of the table; fails naming those of ``wanted`` it does not have."""
    known = columns(table(catalog_id, database_name, name, region))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise Rejected(
            "EntityNotFoundException",
            f"Table {database_name}.{name} in catalog {catalog_id} has no column(s) {', '.join(unknown)}",
        )
    return known
