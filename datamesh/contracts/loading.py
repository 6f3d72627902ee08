"""Reads an ODCS v3 contract: the standard's own JSON Schema first, then what the mesh needs."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from open_data_contract_standard.model import DataQuality, OpenDataContractStandard, SchemaProperty

from datamesh.config.models import COLUMN_NAME, Column
from datamesh.contracts.glue_types import UnmappableType, glue_type

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)([-+].*)?$")
FRESHNESS_PROPERTIES = ("freshness", "latency", "frequency")


@dataclass(frozen=True)
class ContractColumn:
    """A top-level property of the contract's table, with its Glue type."""

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

    def as_column(self) -> Column:
        return Column(name=self.name, type=self.type, description=self.description, pii=self.pii,
                      confidentiality=self.classification)


@dataclass(frozen=True)
class Contract:
    """What the mesh uses of one product's contract."""

    id: str
    version: str
    status: str
    table: str
    description: str
    columns: tuple[ContractColumn, ...]
    partition_keys: tuple[ContractColumn, ...]
    quality: tuple[DataQuality, ...]
    freshness: str | None
    owner: str | None

    @property
    def major(self) -> int:
        return int(SEMVER.match(self.version).group(1))  # type: ignore[union-attr]

    @property
    def all_columns(self) -> tuple[ContractColumn, ...]:
        return self.columns + self.partition_keys


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(resources.files("open_data_contract_standard").joinpath("schema.json").read_text())
    return jsonschema.validators.validator_for(schema)(schema)


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _standard_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Violations of the ODCS JSON Schema, as (field path, reason), one per field."""
    found: dict[str, str] = {}
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        found.setdefault(_path(error.absolute_path), f"not valid ODCS: {error.message}")
    return list(found.items())


def _owner(doc: OpenDataContractStandard) -> str | None:
    team = doc.team
    members = team.members if team is not None and not isinstance(team, list) else team
    owner = next((m for m in members or [] if (m.role or "").lower() == "owner"), None)
    if owner is not None:
        return owner.username or owner.name
    return getattr(team, "name", None)


def _freshness(doc: OpenDataContractStandard) -> str | None:
    for sla in doc.slaProperties or []:
        if (sla.property or "").lower() in FRESHNESS_PROPERTIES and sla.value is not None:
            return f"{sla.property}={sla.value}{sla.unit or ''}"
    return None


def _column(prop: SchemaProperty, field: str, problems: list[tuple[str, str]]) -> ContractColumn | None:
    if not prop.name or not re.match(COLUMN_NAME, prop.name):
        problems.append((f"{field}.name", f"{prop.name!r} is not a valid column name (lower case, digits, _)"))
        return None
    try:
        column_type = glue_type(prop)
    except UnmappableType as exc:
        problems.append((field, f"column {prop.name!r}: {exc}"))
        return None
    return ContractColumn(
        name=prop.name,
        field=field,
        type=column_type,
        description=prop.description or prop.businessName or "",
        required=bool(prop.required),
        pii="pii" in {t.lower() for t in prop.tags or []},
        classification=prop.classification,
        quality=tuple(prop.quality or ()),
        logical_type=(prop.logicalType or "").lower(),
        options=dict(prop.logicalTypeOptions or {}),
    )


def load_contract(data: Any) -> tuple[Contract | None, list[tuple[str, str]]]:
    """Parse a contract document; returns it, or the problems as (field path, reason)."""
    if not isinstance(data, dict):
        return None, [("", "a contract must be a mapping (an ODCS v3 document)")]
    problems = _standard_problems(data)
    if problems:
        return None, problems
    doc = OpenDataContractStandard.model_validate(data)
    for key, ok, reason in (
        ("apiVersion", (doc.apiVersion or "").startswith("v3."), "must be an ODCS v3 version such as v3.1.0"),
        ("kind", doc.kind == "DataContract", "must be DataContract"),
        ("version", bool(SEMVER.match(doc.version or "")), "must be semantic (MAJOR.MINOR.PATCH)"),
        ("status", bool(doc.status), "required field is missing"),
        ("schema", len(doc.schema_ or []) == 1, "must describe exactly one table"),
    ):
        if not ok:
            problems.append((key, reason))
    if problems:
        return None, problems
    table = doc.schema_[0]  # type: ignore[index]
    columns: list[tuple[ContractColumn, SchemaProperty]] = []
    for i, prop in enumerate(table.properties or []):
        column = _column(prop, f"schema[0].properties[{i}]", problems)
        if column is not None:
            columns.append((column, prop))
    if not table.properties:
        problems.append(("schema[0].properties", "the table needs at least one property"))
    names = [c.name for c, _ in columns]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(("schema[0].properties", f"duplicate column {name!r}"))
    if problems:
        return None, problems
    partitioned = sorted(((c, p) for c, p in columns if p.partitioned), key=lambda cp: cp[1].partitionKeyPosition or 0)
    return Contract(
        id=str(doc.id),
        version=str(doc.version),
        status=str(doc.status),
        table=table.name or "",
        description=(doc.description.purpose if doc.description else None) or table.description or "",
        columns=tuple(c for c, p in columns if not p.partitioned),
        partition_keys=tuple(c for c, _ in partitioned),
        quality=tuple(table.quality or ()),
        freshness=_freshness(doc),
        owner=_owner(doc),
    ), []
