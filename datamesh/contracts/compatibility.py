"""Classifies the changes between two versions of a contract as breaking or not."""

from __future__ import annotations

import re
from dataclasses import dataclass

from datamesh.contracts.loading import Contract, ContractColumn

_INTEGERS = ["tinyint", "smallint", "int", "bigint"]
_FLOATS = ["float", "double"]
_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")
_SIZED = re.compile(r"^(char|varchar)\((\d+)\)$")


@dataclass(frozen=True)
class Change:
    """One difference between two contract versions."""

    column: str | None
    what: str
    breaking: bool

    def __str__(self) -> str:
        where = f"column {self.column}: " if self.column else ""
        return f"{'BREAKING' if self.breaking else 'compatible'}: {where}{self.what}"


def widens(old: str, new: str) -> bool:
    """Whether every value of type ``old`` fits type ``new`` (same type included)."""
    if old == new:
        return True
    for family in (_INTEGERS, _FLOATS):
        if old in family and new in family:
            return family.index(new) >= family.index(old)
    if old in _INTEGERS[:3] and new == "double":
        return True
    old_dec, new_dec = _DECIMAL.match(old), _DECIMAL.match(new)
    if old_dec and new_dec:
        (op, os_), (np_, ns) = map(int, old_dec.groups()), map(int, new_dec.groups())
        return ns >= os_ and np_ - ns >= op - os_
    old_sized, new_sized = _SIZED.match(old), _SIZED.match(new)
    if old_sized and new == "string":
        return True
    if old_sized and new_sized:
        return int(new_sized.group(2)) >= int(old_sized.group(2)) and (old_sized.group(1), new_sized.group(1)) != ("varchar", "char")
    return False


def _column_changes(old: ContractColumn, new: ContractColumn) -> list[Change]:
    found = []
    if old.type != new.type:
        if widens(old.type, new.type):
            found.append(Change(old.name, f"type widened from {old.type} to {new.type}", False))
        elif widens(new.type, old.type):
            found.append(Change(old.name, f"type narrowed from {old.type} to {new.type}", True))
        else:
            found.append(Change(old.name, f"type changed from {old.type} to {new.type}", True))
    if not old.required and new.required:
        found.append(Change(old.name, "nullable to required (producers writing nulls break)", True))
    if old.required and not new.required:
        found.append(Change(old.name, "required to nullable (consumers may now read nulls)", True))
    if not old.pii and new.pii:
        found.append(Change(old.name, "became pii: withheld from consumers' SELECT", True))
    if old.pii and not new.pii:
        found.append(Change(old.name, "no longer pii", False))
    if old.classification != new.classification:
        found.append(Change(old.name, f"classification {old.classification} -> {new.classification}", False))
    if old.description != new.description:
        found.append(Change(old.name, "description changed", False))
    return found


def diff(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``; breaking ones break some consumer or producer."""
    found: list[Change] = []
    if old.table != new.table:
        found.append(Change(None, f"table renamed from {old.table} to {new.table}", True))
    old_cols = {c.name: c for c in old.all_columns}
    new_cols = {c.name: c for c in new.all_columns}
    for name in old_cols.keys() - new_cols.keys():
        found.append(Change(name, "removed (or renamed)", True))
    for name in new_cols.keys() - old_cols.keys():
        found.append(Change(name, "added", False))
    for name in old_cols.keys() & new_cols.keys():
        found += _column_changes(old_cols[name], new_cols[name])
    old_keys, new_keys = [c.name for c in old.partition_keys], [c.name for c in new.partition_keys]
    if old_keys != new_keys:
        found.append(Change(None, f"partition keys changed from {old_keys} to {new_keys}", True))
    if old.quality != new.quality or any(old_cols[n].quality != new_cols[n].quality for n in old_cols.keys() & new_cols.keys()):
        found.append(Change(None, "quality rules changed", False))
    if (old.freshness, old.owner) != (new.freshness, new.owner):
        found.append(Change(None, "freshness or owner changed", False))
    return sorted(found, key=lambda c: (not c.breaking, c.column or "", c.what))


def needs_major_version(old: Contract, new: Contract, changes: list[Change]) -> bool:
    """Whether ``changes`` (from ``old`` to ``new``) break something without a new major version."""
    return new.major <= old.major and any(c.breaking for c in changes)


def unannounced_breaking(old: Contract, new: Contract) -> list[Change]:
    """Breaking changes made without bumping the contract's major version."""
    changes = diff(old, new)
    return [c for c in changes if c.breaking] if needs_major_version(old, new, changes) else []
