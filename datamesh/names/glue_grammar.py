"""What the Glue Data Catalog and Athena accept in a table definition: the one grammar of names and types.

Parameter files (inline columns) and data contracts (ODCS types) are both checked here, so
they cannot disagree; this module imports nothing of the mesh and sits below both.

Limits from the Glue API reference (``Column``, ``TableInput``, ``DatabaseInput``): a
column comment holds at most 255 characters, a table or database description 2048; names
at most 255. Names: Athena's "Name databases, tables, and columns" asks for lower case
(Athena lowers names in DDL and runs queries with lower-case names, so two names that
differ only in case are one name). Types follow Athena's DDL data types ("Data types in
Amazon Athena"): the primitives below, ``decimal(p,s)`` with 1 <= p <= 38 and s <= p,
``char(n)`` with n <= 255, ``varchar(n)`` with n <= 65535, ``array<t>``,
``map<primitive,t>`` and ``struct<name:t,...>``, whose field names are letters, digits and
underscores, each once whatever its case.
"""

from __future__ import annotations

import re

MAX_COMMENT = 255
MAX_DESCRIPTION = 2048
MAX_TYPE_DEPTH = 32

INTEGERS = ("tinyint", "smallint", "int", "bigint")
"""The integer types, narrowest first."""
PRIMITIVES = frozenset({"boolean", *INTEGERS, "float", "double", "string", "date", "timestamp", "binary"})
_ALIASES = {"integer": "int"}  # Athena's DDL accepts both
COLUMN_NAME = r"^[a-z_][a-z0-9_]*$"
"""A table or column name as Glue stores it: lower case."""
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""A struct field name as written in the data; compared without regard to case."""
_SIZED = re.compile(r"(decimal|char|varchar)\((\d+(?:,\d+)?)\)")
_TOKEN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*|\d+|[<>(),:])")


class InvalidGlueType(ValueError):
    """Text that is not a column type Glue and Athena accept; the message says why."""


class _Tokens:
    def __init__(self, text: str):
        self.items: list[str] = []
        position = 0
        while position < len(text.rstrip()):
            match = _TOKEN.match(text, position)
            if match is None:
                raise InvalidGlueType(f"unexpected {text[position:].strip()[:1]!r}")
            self.items.append(match.group(1))
            position = match.end()
        self.index = 0

    def peek(self) -> str:
        return self.items[self.index] if self.index < len(self.items) else ""

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if expected is not None and token.lower() != expected:
            raise InvalidGlueType(f"expected {expected!r} but found {token or 'the end'!r}")
        self.index += 1
        return token

    def number(self, what: str, low: int, high: int) -> int:
        token = self.take()
        if not token.isdigit() or not low <= int(token) <= high:
            raise InvalidGlueType(f"{what} must be a number from {low} to {high}, not {token or 'nothing'!r}")
        return int(token)


def _arguments(tokens: _Tokens, depth: int, count: int) -> list[str]:
    """``<t1,...,tn>``: the ``count`` types of an array or map."""
    tokens.take("<")
    found = [_type(tokens, depth + 1)]
    while len(found) < count:
        tokens.take(",")
        found.append(_type(tokens, depth + 1))
    tokens.take(">")
    return found


def _type(tokens: _Tokens, depth: int) -> str:
    if depth > MAX_TYPE_DEPTH:
        raise InvalidGlueType(f"nested more than {MAX_TYPE_DEPTH} levels deep")
    name = tokens.take().lower()
    name = _ALIASES.get(name, name)
    if name in PRIMITIVES:
        return name
    if name == "decimal":
        if tokens.peek() != "(":
            return "decimal(10,0)"  # Hive's default precision and scale
        tokens.take("(")
        precision = tokens.number("decimal precision", 1, 38)
        scale = 0
        if tokens.peek() == ",":
            tokens.take(",")
            scale = tokens.number("decimal scale", 0, precision)
        tokens.take(")")
        return f"decimal({precision},{scale})"
    if name in ("char", "varchar"):
        if tokens.peek() != "(":
            raise InvalidGlueType(f"{name} needs a length, e.g. {name}(20); or use string")
        tokens.take("(")
        length = tokens.number(f"{name} length", 1, 255 if name == "char" else 65535)
        tokens.take(")")
        return f"{name}({length})"
    if name == "array":
        return f"array<{_arguments(tokens, depth, 1)[0]}>"
    if name == "map":
        key, value = _arguments(tokens, depth, 2)
        if not is_primitive(key):
            raise InvalidGlueType(f"a map key must be a primitive type, not {key!r}")
        return f"map<{key},{value}>"
    if name == "struct":
        tokens.take("<")
        names, types = [], []
        while True:
            field = tokens.take()
            if not FIELD_NAME.fullmatch(field):
                raise InvalidGlueType(f"struct field name {field!r} must be letters, digits and underscores")
            if tokens.peek() != ":":
                raise InvalidGlueType(f"struct field {field!r} needs ':' before its type")
            tokens.take(":")
            names.append(field)
            if duplicate_name(names):
                raise InvalidGlueType(f"struct field {field!r} appears twice (Athena ignores case in names)")
            types.append(_type(tokens, depth + 1))
            if tokens.peek() != ",":
                break
            tokens.take(",")
        tokens.take(">")
        return "struct<" + ",".join(f"{n}:{t}" for n, t in zip(names, types, strict=False)) + ">"
    raise InvalidGlueType(f"unknown type {name!r}" if name else "empty type")


def is_primitive(canonical: str) -> bool:
    """Whether a type in canonical form may be a map key (Athena: ``MAP<primitive_type, data_type>``)."""
    return canonical in PRIMITIVES or canonical.startswith(("decimal(", "char(", "varchar("))


def sized(canonical: str) -> tuple[str, tuple[int, ...]] | None:
    """``decimal(12,2)`` -> ``("decimal", (12, 2))``, ``varchar(20)`` -> ``("varchar", (20,))``; else ``None``.

    :param canonical: a type as :func:`glue_type` returns it.
    """
    match = _SIZED.fullmatch(canonical)
    return (match.group(1), tuple(int(n) for n in match.group(2).split(","))) if match else None


def duplicate_name(names: list[str]) -> str | None:
    """The first of ``names`` that another one equals without regard to case, if any."""
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return name
        seen.add(name.lower())
    return None


def glue_type(text: str) -> str:
    """``text`` as a Glue column type, in canonical form (lower case, no spaces).

    :raises InvalidGlueType: when Glue or Athena would not accept it.
    """
    tokens = _Tokens(text)
    result = _type(tokens, 0)
    if tokens.peek():
        raise InvalidGlueType(f"unexpected {tokens.peek()!r} after {result!r}")
    return result
