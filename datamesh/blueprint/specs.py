"""The typed specs a blueprint is made of: plain frozen dataclasses, no CDK."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from datamesh import naming


@dataclass(frozen=True)
class StackSpec:
    """One CloudFormation stack: ``inputs`` digests what it is built from (equal inputs, equal template)."""

    id: str
    name: str
    kind: str  # governance, storage, catalog, access or pipeline
    wave: str  # Governance, Storage, Catalog, Access; Pipeline for the tooling account's own
    account: str
    domain: str
    inputs: str
    depends_on: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # stack ids; the manifest's, not the template's


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
    """

    database: str
    table: str = ""
    excluded_columns: tuple[str, ...] = ()
    only_columns: tuple[str, ...] = ()
    catalog: str = dataclasses.field(default="", compare=False)
    listed: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # included columns in the files' order
    data_filter: str = ""

    @classmethod
    def columns_of(cls, database: str, table: str, included: tuple[str, ...], catalog: str) -> Resource:
        """Some columns of a table, an include list (compared sorted, rendered in the given order)."""
        return cls(database, table, only_columns=tuple(sorted(included)), catalog=catalog, listed=included)

    def api(self, catalog: str) -> dict[str, Any]:
        """The shape Lake Formation's API takes and returns."""
        if not self.table:
            return {"Database": {"CatalogId": catalog, "Name": self.database}}
        if self.data_filter:
            return {"DataCellsFilter": {"TableCatalogId": catalog, "DatabaseName": self.database,
                                        "TableName": self.table, "Name": self.data_filter}}
        if self.only_columns:
            return {"TableWithColumns": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table,
                                         "ColumnNames": list(self.only_columns)}}
        if self.excluded_columns:
            return {"TableWithColumns": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table,
                                         "ColumnWildcard": {"ExcludedColumnNames": list(self.excluded_columns)}}}
        if self.table == "*":
            return {"Table": {"CatalogId": catalog, "DatabaseName": self.database, "TableWildcard": {}}}
        return {"Table": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table}}

    def cfn(self, database: str | None = None, table: str | None = None) -> dict[str, Any]:
        """The shape ``AWS::LakeFormation::PrincipalPermissions`` takes; ``database`` and ``table``
        replace the names (e.g. by ``Ref`` tokens, so that the grant waits for them)."""
        catalog = self.catalog
        database = database or self.database
        table = table or self.table
        if not self.table:
            return {"database": {"catalogId": catalog, "name": database}}
        if self.data_filter:
            return {"dataCellsFilter": {"tableCatalogId": catalog, "databaseName": database, "tableName": table,
                                        "name": self.data_filter}}
        if self.only_columns:
            return {"tableWithColumns": {"catalogId": catalog, "databaseName": database, "name": table,
                                         "columnNames": list(self.listed or self.only_columns)}}
        if self.table == "*":
            return {"table": {"catalogId": catalog, "databaseName": database, "tableWildcard": {}}}
        return {"table": {"catalogId": catalog, "databaseName": database, "name": table}}

    @classmethod
    def from_api(cls, resource: dict[str, Any]) -> Resource | None:
        """The resource of a ``list_permissions`` entry; None for kinds the mesh does not grant."""
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
        if not self.table:
            return f"database {self.database}"
        if self.data_filter:
            return f"data filter {self.data_filter} on table {self.database}.{self.table}"
        if self.excluded_columns:
            return f"table {self.database}.{self.table} (all columns but {', '.join(self.excluded_columns)})"
        if self.only_columns:
            return f"table {self.database}.{self.table} (columns {', '.join(self.only_columns)})"
        return f"table {self.database}.{self.table}"


@dataclass(frozen=True, order=True)
class Grant:
    """Lake Formation permissions to ``principal`` (an account id or a role ARN), granted by ``catalog``'s account.

    ``consumer`` and ``product`` (``<producer>.<product>``) say which share or product it serves;
    ``consumer`` is empty for a producer's own grants.
    """

    consumer: str
    product: str
    principal: str
    resource: Resource
    permissions: tuple[str, ...]
    grantable: tuple[str, ...] = ()
    catalog: str = ""

    @property
    def on_table(self) -> str:
        """What a grant on a table is named for: ``Describe`` when it holds DESCRIBE on the whole table (with
        SELECT too when no column is withheld), else ``Select``; so a column becoming pii, or ceasing to be,
        changes the grant on the table in place of replacing it by another with its identity."""
        return "Describe" if "DESCRIBE" in self.permissions and not self.resource.only_columns else "Select"

    def __str__(self) -> str:
        return f"{self.consumer or self.product} ({self.principal}): {', '.join(self.permissions)} on {self.resource}"


@dataclass(frozen=True, order=True)
class Link:
    """A resource link in a consumer's catalog to a product's database in the governance catalog."""

    consumer: str
    account: str
    name: str
    target_catalog: str
    target_database: str


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str = ""


@dataclass(frozen=True)
class QualityRuleset:
    """A Glue Data Quality ruleset on one table."""

    name: str
    description: str
    rules: str


@dataclass(frozen=True)
class StorageFormat:
    """How Glue reads and writes a table's files."""

    input_format: str
    output_format: str
    serde: str
    serde_parameters: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    """A table of a product's database; only name, location, columns and partition keys take part in equality
    (what ``glue:GetTable`` answers), the rest is what the stacks render."""

    name: str
    location: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]
    pii_columns: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # tagged pii=true in the catalog
    description: str = dataclasses.field(default="", compare=False)
    comments: tuple[tuple[str, str], ...] = dataclasses.field(default=(), compare=False)  # column -> comment
    parameters: tuple[tuple[str, str], ...] = dataclasses.field(default=(), compare=False)
    storage: StorageFormat | None = dataclasses.field(default=None, compare=False)
    column_levels: tuple[tuple[str, tuple[str, ...]], ...] = dataclasses.field(default=(), compare=False)
    quality: QualityRuleset | None = dataclasses.field(default=None, compare=False)
    primary: bool = dataclasses.field(default=True, compare=False)  # named after its product


@dataclass(frozen=True)
class Database:
    """A product's database and its tables in the governance catalog."""

    domain: str
    product: str
    name: str
    location: str
    lf_tags: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]
    description: str = dataclasses.field(default="", compare=False)
    confidentiality: str = dataclasses.field(default="", compare=False)


@dataclass(frozen=True)
class Bucket:
    name: str
    account: str
    domain: str
    key_alias: str | None  # None: S3-managed keys (an access-log bucket)
    logs_to: str | None


@dataclass(frozen=True)
class Key:
    alias: str
    account: str
    domain: str


@dataclass(frozen=True)
class Role:
    name: str
    account: str
    domain: str

    @property
    def arn(self) -> str:
        return naming.role_arn(self.account, self.name)


@dataclass(frozen=True)
class Workgroup:
    name: str
    account: str
    domain: str
    results_bucket: str
    key_alias: str
