"""ODCS quality rules to a Glue Data Quality ruleset (DQDL).

Library metrics become DQDL rules: the common "none at all" cases use the readable rule
types (``IsComplete``, ``IsUnique``, ``ColumnValues ... in``/``matches``), everything else a
``CustomSql`` count (or percentage with ``unit: percent``) compared with the contract's
operator. ``sql`` rules become ``CustomSql``; ``text`` rules are documentation and
produce nothing; ``custom`` rules for the ``glue`` engine are passed through when they are
exactly one rule.

Every value from a contract reaches the ruleset through a quoting function, never as
raw text (DQDL's lexer, awslabs/dqdl ``CommonLexerRules.g4``: a quoted string is ``"``
then ``\\"``, ``\\\\`` or any character, then ``"``; Glue removes those escapes only inside
``in [...]`` lists, so elsewhere a value must not need them):

- strings in an ``in`` list: ``\\`` and ``"`` escaped with a backslash;
- the SQL of a ``CustomSql`` rule: generated with identifiers in backticks (a backtick
  doubled) and string literals in single quotes, where ``'``, ``"``, ``\\`` and control
  characters are written as ``char(n)`` (Spark SQL and SQLite alike), so the SQL holds no
  character that DQDL or Spark would read as an escape;
- numbers: only finite numbers, in plain decimal notation (booleans and text are refused).

A ``pattern`` is found in the value (as JSON Schema's ``pattern`` and Spark's ``rlike``);
only a pattern anchored with ``^...$`` becomes ``ColumnValues ... matches``, whose meaning
is then the same whether DQDL matches the whole value or a part of it.

Nulls follow DQDL (Glue guide, ColumnValues, "Null behavior"): a null fails
``ColumnValues ... in``/``matches`` unless ``NULL`` is listed, so ``validValues`` counts a
null as invalid unless it lists ``null``; the ``CustomSql`` counts mean the same.
``mustBeBetween: [a, b]`` is inclusive, as SQL's BETWEEN (DQDL's ``between`` is exclusive,
so it is written as ``>= a`` and ``<= b``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from open_data_contract_standard.model import DataQuality

from datamesh.contracts.loading import Contract, ContractTable


class UnsupportedRule(ValueError):
    """A quality rule the mesh cannot express in DQDL."""


_SQL_UNSAFE = {"'", '"', "\\", "`"}


def dqdl_list_string(value: str) -> str:
    """A string inside a DQDL ``in [...]`` list, where Glue removes backslash escapes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dqdl_string(value: str) -> str:
    """A DQDL quoted string that Glue reads back unchanged (no escapes needed)."""
    if '"' in value or value.endswith("\\"):
        raise UnsupportedRule("a DQDL string cannot hold a double quote or end in a backslash")
    return f'"{value}"'


def sql_identifier(name: str) -> str:
    """A Spark SQL identifier in backticks."""
    return "`" + name.replace("`", "``") + "`"


def sql_string(value: str) -> str:
    """A SQL string literal built from quote-free pieces and ``char(n)`` for the risky characters."""
    pieces: list[str] = []
    plain = ""
    for char in value:
        if char in _SQL_UNSAFE or ord(char) < 32 or ord(char) == 127:
            if plain:
                pieces.append(f"'{plain}'")
                plain = ""
            pieces.append(f"char({ord(char)})")
        else:
            plain += char
    if plain or not pieces:
        pieces.append(f"'{plain}'")
    return pieces[0] if len(pieces) == 1 else "(" + " || ".join(pieces) + ")"


def _sql_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return sql_string(value)
    raise UnsupportedRule(f"values must be strings, numbers or booleans, not {type(value).__name__}")


def _number(value: object) -> str:
    """A DQDL number: digits, an optional minus and fraction, never an exponent (awslabs/dqdl ``atomicNumber``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UnsupportedRule(f"{value!r} is not a number")
    return str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")


@dataclass(frozen=True)
class Comparison:
    """What a measured value must satisfy: ``op`` one of = != > >= < <=, or a range."""

    op: str
    bounds: tuple[float | int, ...]

    def dqdl(self, subject: str) -> str:
        """``subject`` compared, as one DQDL rule (a composite for ranges)."""
        if self.op == "between":
            return f"({subject} >= {_number(self.bounds[0])}) and ({subject} <= {_number(self.bounds[1])})"
        if self.op == "not between":
            return f"({subject} < {_number(self.bounds[0])}) or ({subject} > {_number(self.bounds[1])})"
        return f"{subject} {self.op} {_number(self.bounds[0])}"


def comparison(rule: DataQuality) -> Comparison:
    """The rule's operator (``mustBe``...), with numbers only."""
    simple = {
        "mustBe": "=",
        "mustNotBe": "!=",
        "mustBeGreaterThan": ">",
        "mustBeGreaterOrEqualTo": ">=",
        "mustBeLessThan": "<",
        "mustBeLessOrEqualTo": "<=",
    }
    for field, op in simple.items():
        value = getattr(rule, field)
        if value is not None:
            _number(value)
            return Comparison(op, (value,))
    for field, op in (("mustBeBetween", "between"), ("mustNotBeBetween", "not between")):
        values = getattr(rule, field)
        if values:
            for value in values:
                _number(value)
            return Comparison(op, tuple(sorted(values)))
    raise UnsupportedRule("needs an operator such as mustBe or mustBeLessThan")


def _custom_sql(sql: str, check: Comparison) -> str:
    return check.dqdl(f"CustomSql {dqdl_string(sql)}")


def _sql_count(condition: str, percent: bool) -> str:
    if percent:
        return f"select 100.0 * sum(case when {condition} then 1 else 0 end) / count(*) from primary"
    return f"select count(*) from primary where {condition}"


def _in_list(column: str, values: list[object]) -> str:
    return f"{column} in ({', '.join(_sql_value(v) for v in values)})" if values else "false"


def _whole_value(pattern: str) -> bool:
    """Whether ``pattern`` is anchored at both ends (and has no top-level choice), so it means the same
    whether matched against the whole value (DQDL ``matches``) or found in it (Spark ``rlike``, ODCS)."""
    return (
        pattern.startswith("^")
        and pattern.endswith("$")
        and not pattern.endswith("\\$")
        and "|" not in pattern
        and '"' not in pattern
    )


def _invalid_values(column: str, name: str, args: dict[str, object], rule: DataQuality, percent: bool) -> str:
    valid, pattern = args.get("validValues"), args.get("pattern")
    none_allowed = rule.mustBe == 0 and not percent
    if valid is not None:
        if not isinstance(valid, list):
            raise UnsupportedRule("arguments.validValues must be a list")
        present = [v for v in valid if v is not None]
        null_valid = len(present) < len(valid)
        if none_allowed and present and all(isinstance(v, str) for v in present):
            listed = [dqdl_list_string(v) for v in present] + (["NULL"] if null_valid else [])  # type: ignore[arg-type]
            return f"ColumnValues {dqdl_string(name)} in [{', '.join(listed)}]"
        listed_sql = _in_list(column, present)
        condition = (
            f"{column} is not null and not ({listed_sql})" if null_valid else f"{column} is null or not ({listed_sql})"
        )
    elif pattern is not None:
        if not isinstance(pattern, str):
            raise UnsupportedRule("arguments.pattern must be a string")
        if none_allowed and _whole_value(pattern):
            return f"ColumnValues {dqdl_string(name)} matches {dqdl_string(pattern)}"
        condition = f"{column} is null or not ({column} rlike {sql_string(pattern)})"
    else:
        raise UnsupportedRule("invalidValues needs arguments.validValues or arguments.pattern")
    return _custom_sql(_sql_count(condition, percent), comparison(rule))


def _column_rule(name: str, rule: DataQuality) -> str:
    metric = rule.metric or rule.rule
    args = rule.arguments or {}
    percent = (rule.unit or "rows") == "percent"
    none_allowed = rule.mustBe == 0 and not percent
    column = sql_identifier(name)
    if metric == "nullValues":
        if none_allowed:
            return f"IsComplete {dqdl_string(name)}"
        condition = f"{column} is null"
    elif metric == "duplicateValues":
        if none_allowed:
            return f"IsUnique {dqdl_string(name)}"
        condition = f"{column} in (select {column} from primary group by {column} having count(*) > 1)"
    elif metric == "invalidValues":
        return _invalid_values(column, name, args, rule, percent)
    elif metric == "missingValues":
        missing = args.get("missingValues", [None, ""])
        if not isinstance(missing, list):
            raise UnsupportedRule("arguments.missingValues must be a list")
        present = [v for v in missing if v is not None]
        condition = (
            " or ".join(
                ([f"{column} is null"] if None in missing else []) + ([_in_list(column, present)] if present else [])
            )
            or "false"
        )
    else:
        raise UnsupportedRule(f"metric {metric!r} is not supported on a column")
    return _custom_sql(_sql_count(condition, percent), comparison(rule))


def _table_rule(rule: DataQuality, columns: set[str]) -> str:
    metric = rule.metric or rule.rule
    if metric == "rowCount":
        return comparison(rule).dqdl("RowCount")
    if metric == "duplicateValues":
        names = (rule.arguments or {}).get("properties") or []
        if not names or not isinstance(names, list):
            raise UnsupportedRule("duplicateValues on a table needs arguments.properties")
        unknown = [n for n in names if str(n).lower() not in columns]
        if unknown:
            raise UnsupportedRule(f"arguments.properties: {unknown[0]!r} is not a column of the table")
        keys = ", ".join(sql_identifier(str(n).lower()) for n in names)
        sql = f"select count(*) from (select {keys} from primary group by {keys} having count(*) > 1)"
        return _custom_sql(sql, comparison(rule))
    raise UnsupportedRule(f"metric {metric!r} is not supported on a table")


def _one_rule(text: str) -> str:
    """``text`` when it is exactly one DQDL rule: brackets balanced outside strings, no list separator."""
    depth, position = 0, 0
    while position < len(text):
        char = text[position]
        if char == '"':
            position += 1
            while position < len(text) and text[position] != '"':
                position += 2 if text[position] == "\\" else 1
            if position >= len(text):
                raise UnsupportedRule("implementation has an unterminated string")
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth < 0:
                raise UnsupportedRule(f"implementation closes a {char!r} it did not open: give one DQDL rule")
        elif char == "," and depth == 0 or char == "#":
            raise UnsupportedRule("implementation must be one DQDL rule (no ',' between rules, no comments)")
        position += 1
    if depth or not text:
        raise UnsupportedRule("implementation must be one complete DQDL rule")
    return text


def _rule(rule: DataQuality, column: str | None, columns: set[str]) -> str | None:
    kind = rule.type or ("library" if (rule.metric or rule.rule) else "text")
    if kind == "text":
        return None
    if kind == "sql":  # the standard's schema requires the query
        query = str(rule.query).replace("{object}", "primary")
        if '"' in query or "\\" in query:
            raise UnsupportedRule(
                "query: a CustomSql statement cannot hold a double quote or a backslash "
                "(DQDL keeps escapes in it as written); use single quotes"
            )
        return _custom_sql(query, comparison(rule))
    if kind == "custom":
        if (rule.engine or "").lower() not in {"glue", "dqdl", "glue-data-quality"}:
            return None
        if not isinstance(rule.implementation, str):
            raise UnsupportedRule("a glue custom rule needs its DQDL rule as implementation")
        return _one_rule(" ".join(rule.implementation.split()))
    if kind == "library":
        return _column_rule(column, rule) if column else _table_rule(rule, columns)
    raise UnsupportedRule(f"quality type {kind!r} is not supported")


def _located_rules(table: ContractTable) -> Iterable[tuple[str, DataQuality, str | None]]:
    for i, rule in enumerate(table.quality):
        yield f"{table.field}.quality[{i}]", rule, None
    for column in table.all_columns:
        for i, rule in enumerate(column.quality):
            yield f"{column.field}.quality[{i}]", rule, column.name


def problems(contract: Contract) -> list[tuple[str, str]]:
    """Quality rules of any table that cannot become DQDL, as (field path, reason)."""
    found = []
    for table in contract.tables:
        columns = {c.name for c in table.all_columns}
        for field, rule, column in _located_rules(table):
            try:
                _rule(rule, column, columns)
            except UnsupportedRule as exc:
                found.append((field, str(exc)))
    return found


def rules(table: ContractTable) -> list[str]:
    """Every DQDL rule of one table of a contract, table rules first, then by column."""
    columns = {c.name for c in table.all_columns}
    found = (_rule(rule, column, columns) for _, rule, column in _located_rules(table))
    return [r for r in found if r]


def ruleset(table: ContractTable) -> str | None:
    """The DQDL document of one table of a contract, or ``None`` when it states no checkable rule."""
    found = rules(table)
    return "Rules = [\n    " + ",\n    ".join(found) + "\n]" if found else None
