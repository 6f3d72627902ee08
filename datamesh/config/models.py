"""Typed models of the parameter files: ``mesh.yaml`` and ``domains/<name>.yaml``.

The same models validate the files and produce the JSON Schemas editors use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal

import botocore.loaders
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from datamesh.config.engines import Engine, filtering_gap
from datamesh.contracts import Contract, ContractTable
from datamesh.contracts.loading import ContractColumn, pii_partition_key
from datamesh.names import glue_grammar, naming
from datamesh.names.glue_grammar import COLUMN_NAME

ACCOUNT_ID = r"^\d{12}$"
DOMAIN_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
PRODUCT_NAME = r"^[a-z][a-z0-9_]*$"
MESH_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
REGION = r"^[a-z]{2}(-[a-z]+)+-\d$"
SUBSCRIPTION = r"^[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
ORGANIZATION_ID = r"^o-[a-z0-9]{10,32}$"
OU_ID = r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$"


def _accepted_by_aws(*kinds: str) -> AfterValidator:
    """A value AWS takes as each of ``kinds`` (:func:`naming.name_rule`), or the first reason it would not."""

    def check(value: str) -> str:
        for kind in kinds:
            problem = naming.name_problem(kind, value)
            if problem:
                raise ValueError(problem)
        return value

    return AfterValidator(check)


LfTagValue = Annotated[str, _accepted_by_aws("LF-tag value")]
TagValue = Annotated[str, _accepted_by_aws("tag value")]
"""A resource tag's value (``datamesh:owner``, ``datamesh:cost-centre``...)."""
Level = Annotated[str, _accepted_by_aws("LF-tag value", "tag value")]
"""A confidentiality level: the value of the LF-tag and of the resource tag ``datamesh:confidentiality``."""
RoleName = Annotated[str, _accepted_by_aws("role")]


@cache
def aws_regions() -> frozenset[str]:
    """Every region of every AWS partition, from the endpoint data botocore ships (no network)."""
    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    return frozenset(region for partition in endpoints["partitions"] for region in partition["regions"])


class _Strict(BaseModel):
    """Base for every parameter-file model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StorageFormat(str, Enum):
    """File format the producer writes a data product in."""

    PARQUET = "parquet"
    ORC = "orc"
    JSON = "json"
    CSV = "csv"
    AVRO = "avro"


class Permission(str, Enum):
    """Lake Formation permission a consumer may ask for on a data product."""

    SELECT = "SELECT"
    DESCRIBE = "DESCRIBE"


class Taxonomy(_Strict):
    """The LF-tag taxonomy. ``domain`` values come from the domain files."""

    confidentiality: list[Level] = Field(
        min_length=1,
        description="Confidentiality levels, ordered from least to most confidential.",
    )
    tags: dict[str, list[LfTagValue]] = Field(
        default_factory=dict,
        description="Further LF-tags (key to allowed values) the organisation uses.",
    )

    @field_validator("confidentiality")
    @classmethod
    def _levels_unique(cls, levels: list[str]) -> list[str]:
        if glue_grammar.duplicate_name(levels):  # Lake Formation stores LF-tag values in lower case
            raise ValueError(
                "levels must be unique, whatever their case (Lake Formation stores LF-tag values in lower case)"
            )
        return levels

    @field_validator("tags")
    @classmethod
    def _reserved_keys(cls, tags: dict[str, list[str]]) -> dict[str, list[str]]:
        reserved = {"domain", "confidentiality", "pii"} & set(tags)
        if reserved:
            raise ValueError(f"{', '.join(sorted(reserved))} is managed by the mesh itself")
        for key, values in tags.items():
            if not re.match(PRODUCT_NAME, key) or not values:
                raise ValueError(f"tag {key!r} needs a lower-case key and at least one value")
            problem = naming.name_problem("LF-tag key", key)
            if problem:
                raise ValueError(problem)
            if glue_grammar.duplicate_name(values):
                raise ValueError(
                    f"tag {key!r}: values must be unique, whatever their case (Lake Formation stores "
                    "LF-tag values in lower case)"
                )
        return tags


class LakeFormationSettings(_Strict):
    """Who administers Lake Formation in every account of the mesh."""

    admin_role_names: list[RoleName] = Field(
        default_factory=list,
        description=(
            "IAM role names made Lake Formation admins in every account the mesh touches "
            "(appended to admins set outside the mesh). The roles must exist."
        ),
    )
    cdk_qualifier: str = Field(
        default="hnb659fds",
        pattern=r"^[a-z0-9]{1,10}$",
        description="Qualifier of the CDK bootstrap; its CloudFormation execution role is "
        "made a Lake Formation admin so that deploys can grant. Defaults to CDK's default.",
    )


MeshTag = Literal["mesh", "domain", "owner", "confidentiality", "cost-centre"]


class PolicySettings(_Strict):
    """How the organisation tunes the mesh policies (see docs/governance.md)."""

    sharing_limit: str = Field(
        default="internal",
        description="Most confidential level a product may have and still be open to every domain "
        "(shared_with: all); above it the producer must name the domains it approves. Defaults to internal.",
    )
    pii_min_confidentiality: str = Field(
        default="confidential",
        description="Lowest confidentiality level of a product with pii columns. Defaults to confidential.",
    )
    required_tags: list[MeshTag] = Field(
        default_factory=lambda: ["mesh", "domain", "owner", "confidentiality", "cost-centre"],
        description="Tags (datamesh:<name>) every taggable resource must carry. Defaults to all five.",
    )


class Organization(_Strict):
    """The AWS Organization every account of the mesh belongs to."""

    id: str = Field(pattern=ORGANIZATION_ID, description="Organization id, e.g. o-a1b2c3d4e5.")
    ou: str | None = Field(
        default=None, pattern=OU_ID, description="Organizational unit of the mesh's accounts, if one."
    )


IDENTITY_STORE_ENTITY = r"^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$"
"""A user's or group's id in an identity store (Identity Store API reference: ``Group.GroupId``, ``User.UserId``)."""


class IdentityCenter(_Strict):
    """The organization's IAM Identity Center instance, whose users and groups may read as consumers' principals."""

    instance_arn: str = Field(
        pattern=r"^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$",
        description="ARN of the IAM Identity Center instance (SSO Admin API reference: InstanceArn).",
    )
    identity_store_id: str = Field(
        pattern=r"^d-[0-9a-f]{10}$", description="The instance's identity store, e.g. d-1234567890."
    )
    account: str | None = Field(
        default=None,
        pattern=ACCOUNT_ID,
        description="The account that administers the instance (the organization's management account or its "
        "delegated administrator), where `meshctl doctor` reads the identity store. Defaults to the governance "
        "account.",
    )


class DeliverySettings(_Strict):
    """Where the mesh is delivered from: the tooling account's pipeline and the bootstrap StackSet (docs/delivery.md)."""

    tooling_account: str = Field(
        pattern=ACCOUNT_ID,
        description="12-digit id of the tooling account: it runs the deployment pipeline, and every "
        "account's CDK bootstrap trusts it (instead of the governance account) to deploy.",
    )
    repository: str = Field(
        pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
        description="The repository the pipeline deploys, as owner/name.",
    )
    connection_arn: str = Field(
        pattern=r"^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection/[0-9a-f-]{36}$",
        description="ARN of the CodeConnections (CodeStar) connection to the repository's host, "
        "created once in the tooling account's console.",
    )
    branch: str = Field(default="main", min_length=1, description="Branch whose merges deploy. Defaults to main.")
    approve_governance: bool = Field(
        default=True,
        description="A person approves in the pipeline before the governance wave deploys. Defaults to true.",
    )
    deploy_shards: int = Field(
        default=20,
        ge=1,
        le=50,
        description="CodeBuild actions per wave, each deploying a share of the wave's stacks; at most "
        "50, CodePipeline's limit of actions per stage. Defaults to 20.",
    )


class MonitoringSettings(_Strict):
    """Who hears about failing quality rules and stale products besides each domain's owner."""

    platform_email: TagValue | None = Field(
        default=None,
        pattern=EMAIL,
        description="The platform team's address, subscribed to every producing domain's alerts topic. "
        "Defaults to none: only the domain's owner.email is told.",
    )


class MeshConfig(_Strict):
    """``mesh.yaml``: the organisation-wide settings of one data mesh."""

    name: str = Field(pattern=MESH_NAME, max_length=16, description="Mesh name, a prefix of every physical name.")
    region: str = Field(pattern=REGION, description="AWS region every account of the mesh uses.")

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        if region not in aws_regions():
            raise ValueError(f"{region!r} is not an AWS region (botocore's endpoint data lists none by that name)")
        return region

    governance_account: str = Field(pattern=ACCOUNT_ID, description="12-digit id of the central governance account.")
    lake_formation: LakeFormationSettings = Field(default_factory=LakeFormationSettings)
    taxonomy: Taxonomy
    policies: PolicySettings = Field(default_factory=PolicySettings)
    organization: Organization | None = Field(
        default=None,
        description="Set when every account of the mesh is in this AWS Organization and its management account "
        "enabled AWS RAM sharing with it: cross-account grants then need no invitation, and `cdk deploy --all` "
        "deploys the mesh. Without it, `meshctl deploy` accepts the consumers' invitations between waves.",
    )
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)
    identity_center: IdentityCenter | None = Field(
        default=None,
        description="The IAM Identity Center instance whose users and groups consumers list as principals. "
        "Defaults to none: principals are IAM roles.",
    )
    delivery: DeliverySettings | None = Field(
        default=None,
        description="Delivery from a tooling account; needs `organization` (the pipeline accepts no AWS RAM "
        "invitations). Defaults to none: deploys run from the governance account.",
    )

    @property
    def deploying_account(self) -> str:
        """The account that deploys every stack: every account's CDK bootstrap trusts it."""
        return self.delivery.tooling_account if self.delivery else self.governance_account


class Owner(_Strict):
    """The team accountable for a domain."""

    team: str = Field(min_length=1)
    email: TagValue = Field(pattern=EMAIL, description="The team's address; the resource tag datamesh:owner.")
    cost_centre: TagValue = Field(
        default="unassigned", min_length=1, description="The resource tag datamesh:cost-centre. Defaults to unassigned."
    )


class Column(_Strict):
    """One column of a data product's table."""

    name: str = Field(pattern=COLUMN_NAME, max_length=255)
    type: str = Field(description="Glue/Hive type, e.g. string, bigint, decimal(10,2), array<string>.")
    description: str = Field(
        default="", max_length=glue_grammar.MAX_COMMENT, description="Column comment (Glue allows 255 characters)."
    )
    pii: bool = Field(default=False, description="Personal data: tagged pii=true and withheld from consumers' SELECT.")
    confidentiality: str | None = Field(
        default=None,
        description="A taxonomy level for this column alone (LF-tag on the column), at most the "
        "product's. Defaults to the product's level.",
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        try:
            return glue_grammar.glue_type(value)
        except glue_grammar.InvalidGlueType as exc:
            raise ValueError(f"{value.strip()!r} is not a Glue column type: {exc}") from None

    @classmethod
    def of(cls, column: ContractColumn) -> Column:
        """The column a contract's property defines."""
        return cls(
            name=column.name,
            type=column.type,
            description=column.description,
            pii=column.pii,
            confidentiality=column.classification,
        )


class Decision(_Strict):
    """A producer's recorded answer to one consumer's request (``meshctl approve`` / ``deny``)."""

    consumer: str = Field(pattern=DOMAIN_NAME, description="The requesting domain.")
    decision: Literal["approved", "denied"]
    by: str = Field(pattern=EMAIL, description="Who decided.")
    date: dt.date = Field(description="When it was decided (YYYY-MM-DD).")
    reason: str = ""
    rows: str | None = Field(
        default=None,
        min_length=1,
        max_length=2047,
        description="An approval's row filter, e.g. \"region = 'EU'\": the consumer reads only the rows it keeps "
        "(a Lake Formation data cells filter; PartiQL's subset Lake Formation accepts). Defaults to every row.",
    )
    withhold: list[str] = Field(
        default_factory=list,
        description="Columns an approval withholds besides the pii ones (a data cells filter). Defaults to none.",
    )

    @model_validator(mode="after")
    def _filters_only_approve(self) -> Decision:
        if self.decision == "denied" and (self.rows is not None or self.withhold):
            raise ValueError("rows and withhold narrow an approval; a denial grants nothing to narrow")
        return self

    @property
    def filters(self) -> bool:
        """The approval grants a slice of the table: some rows, or fewer columns than the pii rule leaves."""
        return self.rows is not None or bool(self.withhold)


@dataclass(frozen=True)
class ProductTable:
    """One table of a product's database: inline columns, or one schema object of its contract."""

    name: str
    description: str
    columns: tuple[Column, ...]
    partition_keys: tuple[Column, ...]
    source: ContractTable | None = None
    """The contract's schema object the table comes from, if any."""
    folder: str = ""
    """Where the table's files are below the product's prefix: nothing for a single table, else ``<name>/``
    (Athena reads every file under a table's location, so no table may lie inside another's)."""

    @property
    def pii_columns(self) -> list[str]:
        """Names of the columns flagged ``pii``, in table order (partition keys not included)."""
        return [c.name for c in self.columns if c.pii]

    @property
    def pii_columns_and_partition_keys(self) -> list[str]:
        """Names of the columns and partition keys flagged ``pii``."""
        return [*self.pii_columns, *(k.name for k in self.partition_keys if k.pii)]


class Product(_Strict):
    """A data product: one Glue database in the central catalog holding its tables.

    A contract with several table-like schema objects gives one table per object, named
    after it; a contract with one object, or inline ``columns``, gives one table named
    after the product.
    """

    name: str = Field(pattern=PRODUCT_NAME, max_length=64)
    description: str = Field(
        default="",
        max_length=glue_grammar.MAX_DESCRIPTION,
        description="Required unless the contract gives it (Glue allows 2048 characters).",
    )
    confidentiality: str
    format: StorageFormat = StorageFormat.PARQUET
    contract: str | dict[str, Any] | None = Field(
        default=None,
        description="The product's data contract (ODCS v3): a path relative to the domain "
        "file's folder, or the contract inline. Its schema gives the table's columns, partition "
        "keys and description, so those are not written here. Defaults to none.",
    )
    columns: list[Column] = Field(default_factory=list, description="Required unless a contract gives them.")
    partition_keys: list[Column] = Field(default_factory=list)
    monitoring: bool = Field(
        default=True,
        description="Run the contract's quality rules on schedule and raise an alarm when the newest data is older "
        "than the contract's latency, telling the domain's owner. false turns both off (costs: docs/governance.md). "
        "Defaults to true; a product without a contract has nothing to monitor.",
    )
    shared_with: Literal["all"] | list[str] = Field(
        default_factory=list,
        description="'all' opens the product to every domain; a list names the domains the "
        "producer approved. Defaults to nobody.",
    )
    decisions: list[Decision] = Field(
        default_factory=list,
        description="The producer's answers to requests, one per consumer; an approval must "
        "match shared_with. Defaults to none.",
    )

    @model_validator(mode="after")
    def _decisions_match_sharing(self) -> Product:
        consumers = [d.consumer for d in self.decisions]
        duplicates = sorted({c for c in consumers if consumers.count(c) > 1})
        if duplicates:
            raise ValueError(f"more than one decision for {', '.join(duplicates)}")
        for d in self.decisions:
            if (d.decision == "approved") != self.approves(d.consumer):
                shared = "shares with" if self.approves(d.consumer) else "does not share with"
                raise ValueError(f"decision {d.decision!r} for {d.consumer!r} but the product {shared} it")
        return self

    _contract: Contract | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _schema_from_one_place(self) -> Product:
        if self.contract is not None and (self.columns or self.partition_keys):
            raise ValueError("columns and partition_keys come from the contract; remove them here")
        if self.contract is None and not (self.columns and self.description):
            raise ValueError("needs a contract, or a description and at least one column")
        return self

    @field_validator("partition_keys")
    @classmethod
    def _no_pii_partition_key(cls, keys: list[Column]) -> list[Column]:
        for key in keys:
            if key.pii:
                raise ValueError(pii_partition_key(key.name))
        return keys

    @model_validator(mode="after")
    def _unique_columns(self) -> Product:
        names = [c.name for c in [*self.columns, *self.partition_keys]]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate column names: {', '.join(duplicates)}")
        return self

    @property
    def data_contract(self) -> Contract | None:
        """The parsed contract, once the loader resolved it."""
        return self._contract

    def with_contract(self, contract: Contract) -> Product:
        """This product with its tables taken from ``contract`` (``columns`` and ``partition_keys``: the first's)."""
        first = contract.tables[0]
        product = self.model_copy(
            update={
                "description": self.description or contract.description or first.name or self.name,
                "columns": [Column.of(c) for c in first.columns],
                "partition_keys": [Column.of(c) for c in first.partition_keys],
            }
        )
        product._contract = contract
        return product

    @property
    def tables(self) -> tuple[ProductTable, ...]:
        """The product's tables, in contract order."""
        contract = self._contract
        if contract is None or len(contract.tables) == 1:
            return (
                ProductTable(
                    self.name,
                    self.description,
                    tuple(self.columns),
                    tuple(self.partition_keys),
                    contract.tables[0] if contract else None,
                ),
            )
        return tuple(
            ProductTable(
                t.name,
                t.description or self.description,
                tuple(Column.of(c) for c in t.columns),
                tuple(Column.of(c) for c in t.partition_keys),
                t,
                f"{t.name}/",
            )
            for t in contract.tables
        )

    @property
    def table_names(self) -> list[str]:
        return [t.name for t in self.tables]

    def tables_named(self, names: Sequence[str]) -> tuple[ProductTable, ...]:
        """The tables a subscription's ``tables`` names, in product order; every table when it names none."""
        return tuple(t for t in self.tables if not names or t.name in names)

    @property
    def is_open(self) -> bool:
        return self.shared_with == "all"

    @property
    def pii_columns(self) -> list[str]:
        """Names of the columns flagged ``pii`` in any table, in table order (partition keys not included)."""
        return list(dict.fromkeys(c for t in self.tables for c in t.pii_columns))

    @property
    def pii_columns_and_partition_keys(self) -> list[str]:
        """Names of the columns and partition keys flagged ``pii`` in any table."""
        return list(dict.fromkeys(c for t in self.tables for c in t.pii_columns_and_partition_keys))

    def approves(self, consumer: str) -> bool:
        return self.is_open or consumer in self.shared_with

    def decision_for(self, consumer: str) -> Decision | None:
        return next((d for d in self.decisions if d.consumer == consumer), None)


class Principal(_Strict):
    """Who in a consumer domain reads its subscriptions, and the engine it reads with."""

    name: str = Field(pattern=DOMAIN_NAME, max_length=64, description="How the domain's subscriptions name it.")
    role: RoleName | None = Field(
        default=None,
        description="An existing IAM role of the domain's account, by name (`meshctl doctor` checks that it exists). "
        "Defaults to the mesh's analyst role of the domain.",
    )
    identity_center_group: str | None = Field(
        default=None,
        pattern=IDENTITY_STORE_ENTITY,
        description="An IAM Identity Center group of the mesh's instance, by its GroupId: its users query "
        "through trusted identity propagation. Defaults to none.",
    )
    identity_center_user: str | None = Field(
        default=None,
        pattern=IDENTITY_STORE_ENTITY,
        description="An IAM Identity Center user of the mesh's instance, by its UserId. Defaults to none.",
    )
    engine: Engine = Field(default=Engine.ATHENA, description="What it reads with. Defaults to athena.")
    engine_version: str | None = Field(
        default=None,
        pattern=r"^\d{1,3}(\.\d{1,3}){1,2}$",
        description="The engine's version, where filtering depends on it: required for glue (5.0 and later "
        "enforce filtering), read for emr (6.15.0 and later). Defaults to none.",
    )

    @model_validator(mode="after")
    def _one_identity(self) -> Principal:
        named = [k for k in ("role", "identity_center_group", "identity_center_user") if getattr(self, k)]
        if len(named) > 1:
            raise ValueError(f"a principal is one of role, identity_center_group, identity_center_user, not {named}")
        if self.identity_center is not None and self.engine is not Engine.ATHENA:
            raise ValueError(
                "an Identity Center principal reads with athena (an Identity Center-enabled workgroup, through "
                "trusted identity propagation)"
            )
        return self

    @property
    def identity_center(self) -> tuple[str, str] | None:
        """``("group", id)`` or ``("user", id)`` for an Identity Center principal; None for a role."""
        if self.identity_center_group:
            return ("group", self.identity_center_group)
        if self.identity_center_user:
            return ("user", self.identity_center_user)
        return None

    @model_validator(mode="after")
    def _glue_has_a_version(self) -> Principal:
        if self.engine is Engine.GLUE and self.engine_version is None:
            raise ValueError("engine glue needs engine_version: Glue enforces Lake Formation's filtering from 5.0")
        return self

    @property
    def filtering_gap(self) -> str | None:
        """Why its engine would not enforce a grant that withholds columns or rows; None when it would."""
        return filtering_gap(self.engine, self.engine_version)


ANALYST = Principal(name="analyst")
"""The principal of a domain that lists none: the mesh's analyst role, reading with Athena."""


class Subscription(_Strict):
    """A consumer's request to use another domain's product."""

    product: str = Field(pattern=SUBSCRIPTION, description="<domain>.<product>")
    permissions: list[Permission] = Field(
        default_factory=lambda: [Permission.SELECT, Permission.DESCRIBE], min_length=1
    )
    reason: str = Field(default="", description="Why the domain needs the product, for the producer's review.")
    expires: dt.date | None = Field(
        default=None, description="From this day (YYYY-MM-DD) on the subscription grants nothing. Defaults to never."
    )
    tables: list[str] = Field(
        default_factory=list,
        description="The product's tables the domain asks for, each a table its contract defines. Defaults to every table.",
    )
    principals: list[str] = Field(
        default_factory=list,
        description="Names of the domain's principals that get the subscription. Defaults to all of them.",
    )

    @field_validator("tables")
    @classmethod
    def _unique_tables(cls, tables: list[str]) -> list[str]:
        if len(set(tables)) != len(tables):
            raise ValueError("tables must be unique")
        return tables

    @property
    def producer(self) -> str:
        return self.product.split(".", 1)[0]

    @property
    def product_name(self) -> str:
        return self.product.split(".", 1)[1]


class DomainConfig(_Strict):
    """``domains/<name>.yaml``: one business domain, producer and/or consumer."""

    name: str = Field(pattern=DOMAIN_NAME, max_length=24)
    account: str = Field(pattern=ACCOUNT_ID)
    owner: Owner
    products: list[Product] = Field(default_factory=list)
    consumes: list[Subscription] = Field(default_factory=list)
    principals: list[Principal] = Field(
        default_factory=list,
        description="Who reads the domain's subscriptions: a principal without `role` is the mesh's analyst role. "
        "Defaults to the analyst role alone, reading with Athena.",
    )

    @model_validator(mode="after")
    def _has_a_role(self) -> DomainConfig:
        if not self.products and not self.consumes:
            raise ValueError("a domain needs products, consumes, or both")
        return self

    @property
    def readers(self) -> tuple[Principal, ...]:
        """The principals that read the domain's subscriptions: those listed, else the analyst role."""
        return tuple(self.principals) or (ANALYST,)

    def readers_of(self, subscription: Subscription) -> tuple[Principal, ...]:
        """The principals a subscription goes to, in the domain's order."""
        return tuple(p for p in self.readers if not subscription.principals or p.name in subscription.principals)

    @property
    def is_producer(self) -> bool:
        return bool(self.products)

    @property
    def is_consumer(self) -> bool:
        return bool(self.consumes)
