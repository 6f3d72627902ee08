"""Classifies the changes between two versions of a contract as breaking or not."""

from __future__ import annotations

from dataclasses import dataclass

from datamesh.contracts.loading import Contract, ContractColumn, ContractTable
from datamesh.names.glue_grammar import INTEGERS, sized

_FLOATS = ("float", "double")
_TEXT = ("char", "varchar")


@dataclass(frozen=True)
class Change:
    """One difference between two contract versions."""

    column: str | None
    what: str
    breaking: bool
    table: str | None = None
    """The table changed, in a contract with several tables (before or after the change)."""

    @property
    def where(self) -> str:
        """``table t column c``, ``table t``, ``column c`` or nothing."""
        return " ".join(f"{kind} {name}" for kind, name in (("table", self.table), ("column", self.column)) if name)

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{'BREAKING' if self.breaking else 'compatible'}: {where}{self.what}"


def widens(old: str, new: str) -> bool:
    """Whether every value of type ``old`` fits type ``new`` (same type included)."""
    if old == new:
        return True
    for family in (INTEGERS, _FLOATS):
        if old in family and new in family:
            return family.index(new) >= family.index(old)
    if old in INTEGERS[:3] and new == "double":
        return True
    old_sized, new_sized = sized(old), sized(new)
    if old_sized and new_sized and old_sized[0] == new_sized[0] == "decimal":
        (op, os_), (np_, ns) = old_sized[1], new_sized[1]
        return ns >= os_ and np_ - ns >= op - os_
    if old_sized and old_sized[0] in _TEXT:
        if new == "string":
            return True
        if new_sized and new_sized[0] in _TEXT:
            return new_sized[1][0] >= old_sized[1][0] and (old_sized[0], new_sized[0]) != ("varchar", "char")
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


def _table_changes(old: ContractTable, new: ContractTable, table: str | None) -> list[Change]:
    found: list[Change] = []
    old_cols = {c.name: c for c in old.all_columns}
    new_cols = {c.name: c for c in new.all_columns}
    for name in old_cols.keys() - new_cols.keys():
        found.append(Change(name, "removed (or renamed)", True, table))
    for name in new_cols.keys() - old_cols.keys():
        found.append(Change(name, "added", False, table))
    for name in old_cols.keys() & new_cols.keys():
        found += [Change(c.column, c.what, c.breaking, table) for c in _column_changes(old_cols[name], new_cols[name])]
    old_keys, new_keys = [c.name for c in old.partition_keys], [c.name for c in new.partition_keys]
    if old_keys != new_keys:
        found.append(Change(None, f"partition keys changed from {old_keys} to {new_keys}", True, table))
    if old.quality != new.quality or any(
        old_cols[n].quality != new_cols[n].quality for n in old_cols.keys() & new_cols.keys()
    ):
        found.append(Change(None, "quality rules changed", False, table))
    return found


def diff(old: Contract, new: Contract) -> list[Change]:
    """Every change from ``old`` to ``new``; breaking ones break some consumer or producer.

    A contract's only table is compared with the other's only table; with several on
    either side tables are matched by name: a removed table is breaking, an added one not.
    """
    found: list[Change] = []
    if len(old.tables) == 1 and len(new.tables) == 1:
        (before,), (after,) = old.tables, new.tables
        if before.name != after.name:
            found.append(Change(None, f"table renamed from {before.name} to {after.name}", True))
        found += _table_changes(before, after, None)
    else:
        old_tables, new_tables = {t.name: t for t in old.tables}, {t.name: t for t in new.tables}
        for name in old_tables.keys() - new_tables.keys():
            found.append(Change(None, "removed (or renamed)", True, name))
        for name in new_tables.keys() - old_tables.keys():
            found.append(Change(None, "added", False, name))
        for name in old_tables.keys() & new_tables.keys():
            found += _table_changes(old_tables[name], new_tables[name], name)
    if (old.freshness, old.owner) != (new.freshness, new.owner):
        found.append(Change(None, "freshness or owner changed", False))
    return sorted(found, key=lambda c: (not c.breaking, c.table or "", c.column or "", c.what))


def needs_major_version(old: Contract, new: Contract, changes: list[Change]) -> bool:
    """Whether ``changes`` (from ``old`` to ``new``) break something without a new major version."""
    return new.major <= old.major and any(c.breaking for c in changes)


def unannounced_breaking(old: Contract, new: Contract) -> list[Change]:
    """Breaking changes made without bumping the contract's major version."""
    changes = diff(old, new)
    return [c for c in changes if c.breaking] if needs_major_version(old, new, changes) else []
