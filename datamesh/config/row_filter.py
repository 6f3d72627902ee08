"""Row filter expressions as Lake Formation accepts them, read with a bounded parser.

The subset is AWS Lake Formation Developer Guide, "PartiQL support in row filter expressions": a simple
expression compares a column (top-level, partition or nested) with a constant (never with another
column) using ``=, >, <, >=, <=, <>, !=, BETWEEN, IN, LIKE, NOT, IS [NOT] NULL``; composite
expressions join parenthesised ones with AND/OR; no functions; string constants in single quotes; the
whole expression under 2048 characters; columns of STRING, CHAR, VARCHAR, INT, LONG, BIGINT, FLOAT,
DECIMAL, DOUBLE, BOOLEAN or STRUCT type; no IS [NOT] NULL on a partition column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 2047  # "must be less than 2048 characters"
MAX_DEPTH = 32  # parentheses and NOTs nested deeper are refused before any recursion can run away
FILTERABLE_TYPES = (
    "string",
    "char",
    "varchar",
    "int",
    "long",
    "bigint",
    "float",
    "decimal",
    "double",
    "boolean",
    "struct",
)
_COMPARISONS = ("=", ">", "<", ">=", "<=", "<>", "!=")
_KEYWORDS = {"and", "or", "not", "between", "in", "like", "is", "null", "true", "false"}
_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><>|!=|>=|<=|[=<>(),])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*))"
)


class RowFilterError(ValueError):
    """The expression is not one Lake Formation accepts; the message names the token or column."""


@dataclass(frozen=True)
class Token:
    kind: str  # string, number, op, word, end
    text: str
    at: int

    @property
    def keyword(self) -> str | None:
        return self.text.lower() if self.kind == "word" and self.text.lower() in _KEYWORDS else None


def tokens(expression: str) -> list[Token]:
    if len(expression) > MAX_LENGTH:
        raise RowFilterError(f"{len(expression)} characters; Lake Formation takes fewer than 2048")
    found, at = [], 0
    while expression[at:].strip():
        match = _TOKEN.match(expression, at)
        if match is None:
            rest = expression[at:].strip()
            raise RowFilterError(f"unexpected {rest[:20]!r} at character {len(expression) - len(rest) + 1}")
        kind = match.lastgroup or ""
        found.append(Token(kind, match.group(kind), match.start(kind)))
        at = match.end()
    return [*found, Token("end", "", len(expression))]


@dataclass(frozen=True)
class Reference:
    """A column the expression reads, and whether it is tested for NULL."""

    column: str  # as written; a nested column is dotted
    null_test: bool


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = tokens(expression)
        self.at = 0
        self.references: list[Reference] = []

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.token
        self.at += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.text.lower() != text:
            raise RowFilterError(f"expected {text.upper() if text.isalpha() else text!r}, found {_shown(token)}")

    def expression(self, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise RowFilterError(f"nested more than {MAX_DEPTH} deep")
        self.term(depth)
        while self.token.keyword == "or":
            self.take()
            self.term(depth)

    def term(self, depth: int) -> None:
        self.factor(depth)
        while self.token.keyword == "and":
            self.take()
            self.factor(depth)

    def factor(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise RowFilterError(f"nested more than {MAX_DEPTH} deep")
        if self.token.keyword == "not":
            self.take()
            self.factor(depth + 1)
        elif self.token.text == "(":
            self.take()
            self.expression(depth + 1)
            self.expect(")")
        else:
            self.predicate()

    def predicate(self) -> None:
        column = self.take()
        if column.kind != "word" or column.keyword:
            raise RowFilterError(f"expected a column, found {_shown(column)}")
        if self.token.text == "(":
            raise RowFilterError(f"{column.text}(...): Lake Formation allows no functions in a row filter")
        operator = self.take()
        negated = operator.keyword == "not"
        if negated:
            operator = self.take()
        if operator.kind == "op" and operator.text in _COMPARISONS and not negated:
            self.constant(column)
        elif operator.keyword == "between":
            self.constant(column)
            self.expect("and")
            self.constant(column)
        elif operator.keyword == "in":
            self.expect("(")
            self.constant(column)
            while self.token.text == ",":
                self.take()
                self.constant(column)
            self.expect(")")
        elif operator.keyword == "like":
            if self.take().kind != "string":
                raise RowFilterError(f"LIKE after {column.text} takes a quoted pattern")
        elif operator.keyword == "is" and not negated:
            if self.token.keyword == "not":
                self.take()
            self.expect("null")
            self.references.append(Reference(column.text, True))
            return
        else:
            raise RowFilterError(f"expected a comparison after {column.text}, found {_shown(operator)}")
        self.references.append(Reference(column.text, False))

    def constant(self, column: Token) -> None:
        value = self.take()
        if value.kind in ("string", "number") or value.keyword in ("true", "false"):
            return
        if value.kind == "word" and not value.keyword:
            raise RowFilterError(
                f"{column.text} compared with {value.text}: Lake Formation compares columns with "
                "constants only (a string constant is in single quotes)"
            )
        raise RowFilterError(f"expected a constant after {column.text}, found {_shown(value)}")


def _shown(token: Token) -> str:
    return "the end" if token.kind == "end" else repr(token.text)


def references(expression: str) -> list[Reference]:
    """The columns ``expression`` reads, in order; :class:`RowFilterError` when Lake Formation would refuse it."""
    parser = _Parser(expression)
    parser.expression()
    if parser.token.kind != "end":
        raise RowFilterError(f"unexpected {_shown(parser.token)} at character {parser.token.at + 1}")
    return parser.references


def problem(expression: str, columns: dict[str, str], partition_keys: set[str]) -> str | None:
    """Why Lake Formation would refuse ``expression`` on a table of ``columns`` (name to Glue type), or None."""
    try:
        found = references(expression)
    except RowFilterError as exc:
        return str(exc)
    for reference in found:
        top = reference.column.split(".")[0]
        if top not in columns:
            return f"no column {top!r} in the table (its columns: {', '.join(columns)})"
        kind = re.split(r"[(<]", columns[top], maxsplit=1)[0].strip().lower()
        if "." in reference.column and kind != "struct":
            return f"{top} is {columns[top]}, not a struct with fields"
        if kind not in FILTERABLE_TYPES:
            return f"column {top} is {columns[top]}, a type Lake Formation's row filters do not take"
        if reference.null_test and top in partition_keys:
            return f"IS [NOT] NULL on partition column {top}, which Lake Formation refuses"
    return None
