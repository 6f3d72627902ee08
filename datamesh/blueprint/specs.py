"""The typed specs a blueprint is made of: plain frozen dataclasses, no CDK."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from datamesh.lakeformation.resources import Resource
from datamesh.names import naming


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
    depends_on: tuple[str, ...] = dataclasses.field(
        default=(), compare=False
    )  # stack ids; the manifest's, not the template's


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
class KeyStatement:
    """One ``Allow`` statement of a key policy, on the key itself (``Resource: *``)."""

    sid: str
    principal: dict[str, str]
    actions: tuple[str, ...]
    conditions: dict[str, dict[str, object]]

    def policy(self) -> dict[str, object]:
        """The statement as a key policy document holds it."""
        return {
            "Sid": self.sid,
            "Effect": "Allow",
            "Principal": dict(self.principal),
            "Action": sorted(self.actions),
            "Resource": "*",
            "Condition": self.conditions,
        }


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
