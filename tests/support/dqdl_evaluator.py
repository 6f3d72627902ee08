"""An evaluator of DQDL rulesets on SQLite, written from the DQDL documentation, not from the generator.

What each rule type means, as the Glue developer guide describes it ("DQDL reference"
and "DQDL rule type reference"), and how strings are read, as the DQDL grammar
(awslabs/dqdl ``CommonLexerRules.g4``) and its parser listener define it:

- ``Rules = [ rule, rule, ... ]``; a composite rule is ``(rule) and (rule)`` or ``(rule) or (rule)``.
- A quoted string is ``"`` then ``\\"``, ``\\\\`` or any character, then ``"``. Escapes are
  removed only from strings in ``in [...]`` lists; elsewhere the text is kept as written.
- ``IsComplete "c"``: no value of c is null. ``IsUnique "c"``: no value of c occurs twice.
- ``ColumnValues "c" in [...]``: every value is in the list; a null passes only when
  ``NULL`` is listed ("Null behavior"). ``ColumnValues "c" matches "re"``: every value
  matches the regular expression as a whole (Java's ``String.matches``); nulls fail.
- ``RowCount <op> n``: the number of rows. ``CustomSql "sql" <op> n``: the single value the
  Spark SQL statement returns, with the dataset called ``primary``.
- Operators ``= != > >= < <=`` and ``between a and b`` (exclusive, as DQDL's
  ``NumberBasedCondition`` evaluates it).

Spark SQL runs on SQLite after two translations: the table ``primary`` is quoted (a SQLite
keyword) and ``rlike`` (Java ``find`` semantics) becomes SQLite's ``REGEXP`` backed by
Python's ``re.search``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r'\s*(?:(?P<string>"(?:\\["\\]|[^"])*?")|(?P<number>-?\d+(?:\.\d+)?)'
    r"|(?P<op>>=|<=|!=|=|>|<)|(?P<punct>[\[\](),])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))",
    re.S,
)


class DqdlSyntaxError(ValueError):
    pass


@dataclass
class _Token:
    kind: str
    text: str


def tokens(text: str) -> list[_Token]:
    found, position = [], 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise DqdlSyntaxError(f"cannot read {text[position : position + 20]!r}")
        kind = match.lastgroup or ""
        found.append(_Token(kind, match.group(kind)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str):
        self.items = tokens(text)
        self.index = 0

    def peek(self) -> _Token | None:
        return self.items[self.index] if self.index < len(self.items) else None

    def take(self, text: str | None = None, kind: str | None = None) -> _Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text) or (kind is not None and token.kind != kind):
            raise DqdlSyntaxError(f"expected {text or kind}, found {token.text if token else 'the end'!r}")
        self.index += 1
        return token

    def ruleset(self) -> list[Any]:
        self.take("Rules")
        self.take("=")
        self.take("[")
        rules = [self.rule()]
        while self.peek() is not None and self.peek().text == ",":
            self.take(",")
            rules.append(self.rule())
        self.take("]")
        if self.peek() is not None:
            raise DqdlSyntaxError(f"text after the ruleset: {self.peek().text!r}")
        return rules

    def rule(self) -> Any:
        if self.peek() is not None and self.peek().text == "(":
            parts, joiners = [self.parenthesised()], []
            while self.peek() is not None and self.peek().text.lower() in ("and", "or"):
                joiners.append(self.take().text.lower())
                parts.append(self.parenthesised())
            if len(set(joiners)) > 1:
                raise DqdlSyntaxError("mixed and/or without parentheses")
            return ("composite", joiners[0] if joiners else "and", parts)
        kind = self.take(kind="word").text
        if kind in ("IsComplete", "IsUnique"):
            return (kind, raw(self.take(kind="string").text))
        if kind == "ColumnValues":
            column = raw(self.take(kind="string").text)
            verb = self.take(kind="word").text
            if verb == "in":
                self.take("[")
                values = [self.list_value()]
                while self.peek().text == ",":
                    self.take(",")
                    values.append(self.list_value())
                self.take("]")
                return ("in", column, values)
            if verb == "matches":
                return ("matches", column, raw(self.take(kind="string").text))
            raise DqdlSyntaxError(f"unknown ColumnValues condition {verb!r}")
        if kind == "RowCount":
            return ("RowCount", self.condition())
        if kind == "CustomSql":
            return ("CustomSql", raw(self.take(kind="string").text), self.condition())
        raise DqdlSyntaxError(f"unknown rule type {kind!r}")

    def parenthesised(self) -> Any:
        self.take("(")
        inner = self.rule()
        self.take(")")
        return inner

    def list_value(self) -> str | None:
        token = self.take()
        if token.kind == "word" and token.text.upper() == "NULL":
            return None
        if token.kind != "string":
            raise DqdlSyntaxError(f"expected a quoted string in the list, found {token.text!r}")
        return re.sub(r"\\(.)", r"\1", raw(token.text), flags=re.S)  # DQDL removes escapes here only

    def condition(self) -> tuple[str, list[float]]:
        token = self.take()
        if token.text == "between":
            low = float(self.take(kind="number").text)
            self.take("and")
            return ("between", [low, float(self.take(kind="number").text)])
        if token.kind != "op":
            raise DqdlSyntaxError(f"expected an operator, found {token.text!r}")
        return (token.text, [float(self.take(kind="number").text)])


def raw(quoted: str) -> str:
    return quoted[1:-1]


def parse(ruleset: str) -> list[Any]:
    """The rules of a DQDL document, or :class:`DqdlSyntaxError`."""
    return _Parser(ruleset).ruleset()


def _compare(value: float | None, condition: tuple[str, list[float]]) -> bool:
    op, operands = condition
    if value is None:
        return False
    if op == "between":
        return operands[0] < value < operands[1]
    return {
        "=": value == operands[0],
        "!=": value != operands[0],
        ">": value > operands[0],
        ">=": value >= operands[0],
        "<": value < operands[0],
        "<=": value <= operands[0],
    }[op]


def _spark_to_sqlite(sql: str) -> str:
    parts = re.split(r"('[^']*')", sql)  # string literals stay as they are
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"\bprimary\b", '"primary"', parts[i])
        parts[i] = re.sub(r"\brlike\b", "regexp", parts[i], flags=re.I)
    return "".join(parts)


class Dataset:
    """Rows of one table in SQLite, on which rules are evaluated."""

    def __init__(self, columns: list[str], rows: list[tuple[Any, ...]]):
        self.db = sqlite3.connect(":memory:")
        self.db.create_function(
            "regexp", 2, lambda pattern, value: value is not None and re.search(pattern, str(value)) is not None
        )
        self.columns = columns
        self.db.execute(f'create table "primary" ({", ".join(f"`{c}`" for c in columns)})')
        self.db.executemany(f'insert into "primary" values ({", ".join("?" for _ in columns)})', rows)

    def values(self, column: str) -> list[Any]:
        return [row[0] for row in self.db.execute(f'select `{column}` from "primary"')]

    def passes(self, rule: Any) -> bool:
        kind = rule[0]
        if kind == "composite":
            results = [self.passes(part) for part in rule[2]]
            return all(results) if rule[1] == "and" else any(results)
        if kind == "IsComplete":
            return all(v is not None for v in self.values(rule[1]))
        if kind == "IsUnique":
            values = self.values(rule[1])
            return len(values) == len(set(values))
        if kind == "in":
            allowed = rule[2]
            return all(v in allowed if v is not None else None in allowed for v in self.values(rule[1]))
        if kind == "matches":
            return all(v is not None and re.fullmatch(rule[2], str(v)) is not None for v in self.values(rule[1]))
        if kind == "RowCount":
            return _compare(len(self.values(self.columns[0])), rule[1])
        if kind == "CustomSql":
            ((value,),) = self.db.execute(_spark_to_sqlite(rule[1])).fetchall()
            return _compare(value, rule[2])
        raise AssertionError(kind)

    def ruleset_passes(self, ruleset: str) -> bool:
        return all(self.passes(rule) for rule in parse(ruleset))
