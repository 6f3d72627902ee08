"""ODCS quality rules to a Glue Data Quality ruleset (DQDL).

Library metrics become DQDL rules: the common "none at all" cases use the readable rule
types (``IsComplete``, ``IsUnique``, ``ColumnValues ... in``/``matches``), everything else a
``CustomSql`` count (or percentage with ``unit: percent``) compared with the contract's
operator. ``sql`` rules become ``CustomSql``; ``text`` rules are documentation and
produce nothing; ``custom`` rules for the ``glue`` engine are passed through.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from open_data_contract_standard.model import DataQuality

from datamesh.contracts.loading import Contract


class UnsupportedRule(ValueError):
    """A quality rule the mesh cannot express in DQDL."""


def _literal(value: object) -> str:
    return json.dumps(value)


def _threshold(rule: DataQuality) -> str:
    """The DQDL expression of the rule's operator (``= 0``, ``between 1 and 5``...)."""
    simple = {"mustBe": "=", "mustNotBe": "!=", "mustBeGreaterThan": ">", "mustBeGreaterOrEqualTo": ">=",
              "mustBeLessThan": "<", "mustBeLessOrEqualTo": "<="}
    for field, op in simple.items():
        value = getattr(rule, field)
        if value is not None:
            return f"{op} {value}"
    if rule.mustBeBetween:
        return f"between {rule.mustBeBetween[0]} and {rule.mustBeBetween[1]}"
    if rule.mustNotBeBetween:
        return f"not between {rule.mustNotBeBetween[0]} and {rule.mustNotBeBetween[1]}"
    raise UnsupportedRule("needs an operator such as mustBe or mustBeLessThan")


def _sql_count(condition: str, percent: bool) -> str:
    bad = f"sum(case when {condition} then 1 else 0 end)"
    return f"select 100.0 * {bad} / count(*) from primary" if percent else f"select {bad} from primary"


def _sql_list(values: Iterable[object]) -> str:
    return ", ".join("null" if v is None else "'" + str(v).replace("'", "''") + "'" for v in values)


def _column_rule(column: str, rule: DataQuality) -> str:
    metric = rule.metric or rule.rule
    args = rule.arguments or {}
    percent = (rule.unit or "rows") == "percent"
    none_allowed = rule.mustBe == 0 and not percent
    col = _literal(column)
    if metric == "nullValues":
        if none_allowed:
            return f"IsComplete {col}"
        condition = f"`{column}` is null"
    elif metric == "duplicateValues":
        if none_allowed:
            return f"IsUnique {col}"
        condition = (f"`{column}` in (select `{column}` from primary group by `{column}` having count(*) > 1)")
    elif metric == "invalidValues":
        valid, pattern = args.get("validValues"), args.get("pattern")
        if none_allowed and valid is not None:
            return f"ColumnValues {col} in {_literal(list(valid))}"
        if none_allowed and pattern is not None:
            return f"ColumnValues {col} matches {_literal(pattern)}"
        if valid is not None:
            condition = f"`{column}` not in ({_sql_list(valid)})"
        elif pattern is not None:
            condition = f"not `{column}` rlike '{str(pattern).replace(chr(39), chr(39) * 2)}'"
        else:
            raise UnsupportedRule("invalidValues needs arguments.validValues or arguments.pattern")
    elif metric == "missingValues":
        missing = args.get("missingValues", [None, ""])
        present = [v for v in missing if v is not None]
        condition = " or ".join(
            ([f"`{column}` is null"] if None in missing else []) + ([f"`{column}` in ({_sql_list(present)})"] if present else [])
        ) or "false"
    else:
        raise UnsupportedRule(f"metric {metric!r} is not supported on a column")
    return f"CustomSql {_literal(_sql_count(condition, percent))} {_threshold(rule)}"


def _table_rule(rule: DataQuality) -> str:
    metric = rule.metric or rule.rule
    if metric == "rowCount":
        return f"RowCount {_threshold(rule)}"
    if metric == "duplicateValues":
        columns = (rule.arguments or {}).get("properties") or []
        if not columns:
            raise UnsupportedRule("duplicateValues on a table needs arguments.properties")
        keys = ", ".join(f"`{c}`" for c in columns)
        sql = f"select count(*) from (select {keys} from primary group by {keys} having count(*) > 1)"
        return f"CustomSql {_literal(sql)} {_threshold(rule)}"
    raise UnsupportedRule(f"metric {metric!r} is not supported on a table")


def _rule(rule: DataQuality, column: str | None) -> str | None:
    kind = rule.type or ("library" if (rule.metric or rule.rule) else "text")
    if kind == "text":
        return None
    if kind == "sql":  # the standard's schema requires the query
        return f"CustomSql {_literal(str(rule.query).replace('{object}', 'primary'))} {_threshold(rule)}"
    if kind == "custom":
        if (rule.engine or "").lower() not in {"glue", "dqdl", "glue-data-quality"}:
            return None
        if not isinstance(rule.implementation, str):
            raise UnsupportedRule("a glue custom rule needs its DQDL rule as implementation")
        return rule.implementation.strip()
    if kind == "library":
        return _column_rule(column, rule) if column else _table_rule(rule)
    raise UnsupportedRule(f"quality type {kind!r} is not supported")


def _located_rules(contract: Contract) -> Iterable[tuple[str, DataQuality, str | None]]:
    for i, rule in enumerate(contract.quality):
        yield f"schema[0].quality[{i}]", rule, None
    for column in contract.all_columns:
        for i, rule in enumerate(column.quality):
            yield f"{column.field}.quality[{i}]", rule, column.name


def problems(contract: Contract) -> list[tuple[str, str]]:
    """Quality rules that cannot become DQDL, as (field path, reason)."""
    found = []
    for field, rule, column in _located_rules(contract):
        try:
            _rule(rule, column)
        except UnsupportedRule as exc:
            found.append((field, str(exc)))
    return found


def rules(contract: Contract) -> list[str]:
    """Every DQDL rule of the contract, table rules first, then by column."""
    found = (_rule(rule, column) for _, rule, column in _located_rules(contract))
    return [r for r in found if r]


def ruleset(contract: Contract) -> str | None:
    """The DQDL document of the contract, or ``None`` when it states no checkable rule."""
    found = rules(contract)
    return "Rules = [\n    " + ",\n    ".join(found) + "\n]" if found else None
