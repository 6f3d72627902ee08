"""Reads an ODCS v3 contract: the standard's own JSON Schema first, then what the mesh needs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from open_data_contract_standard.model import DataQuality, OpenDataContractStandard, SchemaObject, SchemaProperty
from pydantic import ValidationError

from datamesh.contracts import odcs_schema
from datamesh.contracts.glue_types import UnmappableType, glue_type
from datamesh.contracts.sla import SCHEDULE_PROPERTIES, STALENESS_PROPERTIES, Sla, pick, sla
from datamesh.names.glue_grammar import COLUMN_NAME, MAX_COMMENT, MAX_DESCRIPTION

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)([-+].*)?$")
MAX_NAME = 255  # Glue's limit on a table or column name
# Schema object kinds (physicalType) that are not tables: the mesh cannot publish them as one.
NOT_TABLES = frozenset({"topic", "stream", "queue", "event", "api", "endpoint"})


def pii_partition_key(name: str) -> str:
    """Why a partition key may not be pii: consumers' SELECT withholds pii, and Lake Formation
    applies no column filtering to partition keys (Lake Formation guide, "Data filtering
    limitations", notes on column-level filtering), so every consumer would see it."""
    return (
        f"partition key {name!r} is tagged pii, but Lake Formation cannot withhold a partition key from a "
        "grant (no column filtering on partition keys): drop the pii tag or make it a column"
    )


@dataclass(frozen=True)
class ContractColumn:
    """A top-level property of one of the contract's tables, with its Glue type."""

    name: str
    field: str
    type: str
    description: str
    required: bool
    pii: bool
    classification: str | None
    quality: tuple[DataQuality, ...]
    logical_type: str = ""
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict, hash=False)
    """The property's ``logicalTypeOptions`` (format, minimum, maximum...)."""


@dataclass(frozen=True)
class ContractTable:
    """A table-like schema object of a contract: its columns, partition keys and table rules."""

    name: str
    """The object's name in Glue: its ``physicalName``, else its ``name``, in lower case."""
    field: str
    """Where the object is in the contract (``schema[<i>]``)."""
    description: str
    columns: tuple[ContractColumn, ...]
    partition_keys: tuple[ContractColumn, ...]
    quality: tuple[DataQuality, ...]

    @property
    def all_columns(self) -> tuple[ContractColumn, ...]:
        return self.columns + self.partition_keys


@dataclass(frozen=True)
class Contract:
    """What the mesh uses of one product's contract."""

    id: str
    version: str
    status: str
    tables: tuple[ContractTable, ...]
    description: str
    freshness: str | None  # the staleness SLA as written
    owner: str | None
    staleness: Sla | None = None  # how old the newest data may be: latency (or freshness), else frequency
    cadence: Sla | None = None  # how often the producer publishes, so how often rules run: frequency, else latency

    @property
    def major(self) -> int:
        return int(SEMVER.match(self.version).group(1))  # type: ignore[union-attr]

    @property
    def all_columns(self) -> tuple[ContractColumn, ...]:
        """The columns and partition keys of every table."""
        return tuple(c for t in self.tables for c in t.all_columns)


def _owner(doc: OpenDataContractStandard) -> str | None:
    team = doc.team
    members = team.members if team is not None and not isinstance(team, list) else team
    owner = next((m for m in members or [] if (m.role or "").lower() == "owner"), None)
    if owner is not None:
        return owner.username or owner.name
    return getattr(team, "name", None)


def _service_levels(doc: OpenDataContractStandard) -> dict[str, Sla]:
    """The contract's frequency, latency and freshness properties, the first of each name."""
    found: dict[str, Sla] = {}
    for item in doc.slaProperties or []:
        name = (item.property or "").lower()
        if name in (*STALENESS_PROPERTIES, *SCHEDULE_PROPERTIES) and item.value is not None:
            found.setdefault(name, sla(item.property or name, item.value, item.unit))
    return found


def _glue_name(prop: SchemaProperty) -> str | None:
    """The column's name in Glue: its ``physicalName``, else its ``name``, in lower case.

    Glue keeps table and column names in lower case and Athena matches them without regard
    to case, so ``UniqueID`` is the column ``uniqueid``.
    """
    name = (prop.physicalName or prop.name or "").lower()
    return name if re.match(COLUMN_NAME, name) and len(name) <= MAX_NAME else None


def _tagged_pii(prop: SchemaProperty) -> bool:
    """Whether the property or any field nested in it (object properties, array items) is tagged pii.

    The mesh withholds whole columns, so a pii field inside a struct withholds its top-level column.
    """
    if "pii" in {t.lower() for t in prop.tags or []}:
        return True
    return any(_tagged_pii(p) for p in prop.properties or []) or (prop.items is not None and _tagged_pii(prop.items))


def _column(prop: SchemaProperty, field: str, problems: list[tuple[str, str]]) -> ContractColumn | None:
    name = _glue_name(prop)
    if name is None:
        key = "physicalName" if prop.physicalName else "name"
        problems.append(
            (
                f"{field}.{key}",
                f"{getattr(prop, key)!r} is not a valid Glue column name: letters, digits "
                "and _, at most 255 (set physicalName to the column's name in the table)",
            )
        )
        return None
    try:
        column_type = glue_type(prop)
    except UnmappableType as exc:
        problems.append((field, f"column {name!r}: {exc}"))
        return None
    description = prop.description or prop.businessName or ""
    if len(description) > MAX_COMMENT:
        problems.append(
            (
                f"{field}.description",
                f"{len(description)} characters: a Glue column comment holds at most {MAX_COMMENT}",
            )
        )
        return None
    return ContractColumn(
        name=name,
        field=field,
        type=column_type,
        description=description,
        required=bool(prop.required),
        pii=_tagged_pii(prop),
        classification=prop.classification,
        quality=tuple(prop.quality or ()),
        logical_type=(prop.logicalType or "").lower(),
        options=dict(prop.logicalTypeOptions or {}),
    )


def load_contract(data: Any) -> tuple[Contract | None, list[tuple[str, str]]]:
    """Parse a contract document; returns it, or the problems as (field path, reason)."""
    if not isinstance(data, dict):
        return None, [("", "a contract must be a mapping (an ODCS v3 document)")]
    problems = odcs_schema.problems(data)
    if problems:
        return None, problems
    try:
        doc = OpenDataContractStandard.model_validate(data)
    except ValidationError as exc:  # what the JSON Schema lets through but the standard's model does not
        return None, [(".".join(map(str, e["loc"])), f"not valid ODCS: {e['msg']}") for e in exc.errors()[:1]]
    for key, ok, reason in (
        ("apiVersion", (doc.apiVersion or "").startswith("v3."), "must be an ODCS v3 version such as v3.1.0"),
        ("kind", doc.kind == "DataContract", "must be DataContract"),
        ("version", bool(SEMVER.match(doc.version or "")), "must be semantic (MAJOR.MINOR.PATCH)"),
        ("status", bool(doc.status), "required field is missing"),
        ("schema", bool(doc.schema_), "must describe at least one table"),
    ):
        if not ok:
            problems.append((key, reason))
    if problems:
        return None, problems
    named = len(doc.schema_ or []) > 1  # a contract's only table is named after its product
    tables = [
        t for i, obj in enumerate(doc.schema_ or []) if (t := _table(obj, f"schema[{i}]", named, problems)) is not None
    ]
    names = [t.name for t in tables]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(("schema", f"duplicate table {name!r}"))
    first = doc.schema_[0]  # type: ignore[index]
    description = (doc.description.purpose if doc.description else None) or first.description or ""
    too_long = (
        "description.purpose" if doc.description and doc.description.purpose else "schema[0].description",
        f"{len(description)} characters: a Glue table description holds at most {MAX_DESCRIPTION}",
    )
    if len(description) > MAX_DESCRIPTION and too_long not in problems:  # the first object's own check may have said it
        problems.append(too_long)
    if problems:
        return None, problems
    levels = _service_levels(doc)
    staleness = pick(levels, STALENESS_PROPERTIES, SCHEDULE_PROPERTIES)
    return Contract(
        id=str(doc.id),
        version=str(doc.version),
        status=str(doc.status),
        tables=tuple(tables),
        description=description,
        freshness=staleness.text if staleness else None,
        owner=_owner(doc),
        staleness=staleness,
        cadence=pick(levels, SCHEDULE_PROPERTIES, STALENESS_PROPERTIES),
    ), []


def _table(obj: SchemaObject, field: str, named: bool, problems: list[tuple[str, str]]) -> ContractTable | None:
    """One schema object as a table, or ``None`` with a problem when it is not one.

    :param named: whether the table takes the object's name (checked as a Glue name).
    """
    label = obj.name or obj.physicalName or field
    kind = (obj.physicalType or "").lower()
    if kind in NOT_TABLES:
        problems.append(
            (
                f"{field}.physicalType",
                f"object {label!r} is a {kind}, not a table: the mesh publishes "
                "tables only (remove it or describe it in another contract)",
            )
        )
        return None
    if not obj.properties:
        problems.append((f"{field}.properties", f"object {label!r} has no properties: a table needs at least one"))
        return None
    name = (obj.physicalName or obj.name or "").lower()
    if named and (not re.match(COLUMN_NAME, name) or len(name) > MAX_NAME):
        key = "physicalName" if obj.physicalName else "name"
        problems.append(
            (
                f"{field}.{key}",
                f"{getattr(obj, key)!r} is not a valid Glue table name: letters, digits and _, at most 255",
            )
        )
        return None
    count = len(problems)
    columns: list[tuple[ContractColumn, SchemaProperty]] = []
    for i, prop in enumerate(obj.properties):
        column = _column(prop, f"{field}.properties[{i}]", problems)
        if column is not None:
            columns.append((column, prop))
    names = [c.name for c, _ in columns]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        problems.append((f"{field}.properties", f"duplicate column {duplicate!r}"))
    problems.extend((f"{c.field}.tags", pii_partition_key(c.name)) for c, p in columns if p.partitioned and c.pii)
    description = obj.description or obj.businessName or ""
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            (
                f"{field}.description",
                f"{len(description)} characters: a Glue table description holds at most {MAX_DESCRIPTION}",
            )
        )
    if len(problems) > count:
        return None
    partitioned = sorted(((c, p) for c, p in columns if p.partitioned), key=lambda cp: cp[1].partitionKeyPosition or 0)
    return ContractTable(
        name=name,
        field=field,
        description=description,
        columns=tuple(c for c, p in columns if not p.partitioned),
        partition_keys=tuple(c for c, _ in partitioned),
        quality=tuple(obj.quality or ()),
    )
