"""Lake Formation's resources as the mesh grants them: the shapes of its API and of CloudFormation."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Resource:
    """A Lake Formation resource: a database, a table (``*``: all), all columns but some, or some columns.

    The mesh grants SELECT on a whole ``Table``, or on an include list of columns (``only_columns``,
    rendered as ``TableWithColumns`` with ``ColumnNames``) when columns are withheld: Lake Formation
    refuses an exclude list with the grant option. ``excluded_columns`` is only read back from an
    account (:meth:`from_api`), to judge a grant made outside the mesh.
    ``catalog``: the account whose catalog holds it (the governance account, or a consumer's for
    its resource link); not compared, as ``from_api`` reads one catalog at a time.
    ``data_filter``: the name of a data cells filter on the table, when the resource is that filter.
    ``location``: the ARN of a registered data location, when the resource is that location
    (``DATA_LOCATION_ACCESS``); ``database`` is then empty.
    """

    database: str
    table: str = ""
    excluded_columns: tuple[str, ...] = ()
    only_columns: tuple[str, ...] = ()
    catalog: str = dataclasses.field(default="", compare=False)
    listed: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # included columns in the files' order
    data_filter: str = ""
    location: str = ""

    @classmethod
    def data_location(cls, arn: str, catalog: str) -> Resource:
        """A registered data location (an S3 ARN) of ``catalog``'s account."""
        return cls("", catalog=catalog, location=arn)

    @classmethod
    def columns_of(cls, database: str, table: str, included: tuple[str, ...], catalog: str) -> Resource:
        """Some columns of a table, an include list (compared sorted, rendered in the given order)."""
        return cls(database, table, only_columns=tuple(sorted(included)), catalog=catalog, listed=included)

    def api(self, catalog: str) -> dict[str, Any]:
        """The shape Lake Formation's API takes and returns."""
        if self.location:
            return {"DataLocation": {"CatalogId": catalog, "ResourceArn": self.location}}
        if not self.table:
            return {"Database": {"CatalogId": catalog, "Name": self.database}}
        if self.data_filter:
            return {
                "DataCellsFilter": {
                    "TableCatalogId": catalog,
                    "DatabaseName": self.database,
                    "TableName": self.table,
                    "Name": self.data_filter,
                }
            }
        if self.only_columns:
            return {
                "TableWithColumns": {
                    "CatalogId": catalog,
                    "DatabaseName": self.database,
                    "Name": self.table,
                    "ColumnNames": list(self.only_columns),
                }
            }
        if self.excluded_columns:
            return {
                "TableWithColumns": {
                    "CatalogId": catalog,
                    "DatabaseName": self.database,
                    "Name": self.table,
                    "ColumnWildcard": {"ExcludedColumnNames": list(self.excluded_columns)},
                }
            }
        if self.table == "*":
            return {"Table": {"CatalogId": catalog, "DatabaseName": self.database, "TableWildcard": {}}}
        return {"Table": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table}}

    def cfn(self, database: str | None = None, table: str | None = None) -> dict[str, Any]:
        """The shape ``AWS::LakeFormation::PrincipalPermissions`` takes; ``database`` and ``table``
        replace the names (e.g. by ``Ref`` tokens, so that the grant waits for them)."""
        catalog = self.catalog
        database = database or self.database
        table = table or self.table
        if self.location:
            return {"dataLocation": {"catalogId": catalog, "resourceArn": self.location}}
        if not self.table:
            return {"database": {"catalogId": catalog, "name": database}}
        if self.data_filter:
            return {
                "dataCellsFilter": {
                    "tableCatalogId": catalog,
                    "databaseName": database,
                    "tableName": table,
                    "name": self.data_filter,
                }
            }
        if self.only_columns:
            return {
                "tableWithColumns": {
                    "catalogId": catalog,
                    "databaseName": database,
                    "name": table,
                    "columnNames": list(self.listed or self.only_columns),
                }
            }
        if self.table == "*":
            return {"table": {"catalogId": catalog, "databaseName": database, "tableWildcard": {}}}
        return {"table": {"catalogId": catalog, "databaseName": database, "name": table}}

    @classmethod
    def from_api(cls, resource: dict[str, Any]) -> Resource | None:
        """The resource of a ``list_permissions`` entry; None for kinds the mesh does not grant."""
        if "DataLocation" in resource:
            return cls("", location=resource["DataLocation"]["ResourceArn"])
        if "Database" in resource:
            return cls(resource["Database"]["Name"])
        if "Table" in resource:
            table = resource["Table"]
            return cls(table["DatabaseName"], table.get("Name") or "*")
        if "DataCellsFilter" in resource:
            spec = resource["DataCellsFilter"]
            return cls(spec["DatabaseName"], spec["TableName"], data_filter=spec["Name"])
        if "TableWithColumns" in resource:
            spec = resource["TableWithColumns"]
            if "ColumnWildcard" not in spec:
                return cls(spec["DatabaseName"], spec["Name"], only_columns=tuple(sorted(spec.get("ColumnNames", []))))
            excluded = spec["ColumnWildcard"].get("ExcludedColumnNames", [])
            return cls(spec["DatabaseName"], spec["Name"], tuple(sorted(excluded)))
        return None

    def exposed(self, pii_columns: Iterable[str]) -> tuple[str, ...]:
        """The columns of ``pii_columns`` that SELECT on this resource reads (all of them on a whole table)."""
        if self.only_columns:
            return tuple(c for c in pii_columns if c in self.only_columns)
        return tuple(c for c in pii_columns if c not in self.excluded_columns)

    def __str__(self) -> str:
        if self.location:
            return f"data location {self.location}"
        if not self.table:
            return f"database {self.database}"
        if self.data_filter:
            return f"data filter {self.data_filter} on table {self.database}.{self.table}"
        if self.excluded_columns:
            return f"table {self.database}.{self.table} (all columns but {', '.join(self.excluded_columns)})"
        if self.only_columns:
            return f"table {self.database}.{self.table} (columns {', '.join(self.only_columns)})"
        return f"table {self.database}.{self.table}"
