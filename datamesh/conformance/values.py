"""Values of a Glue column type, deterministic from a random generator, and strings matching a pattern."""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from decimal import Decimal
from typing import Any

from datamesh.names.glue_grammar import INTEGERS, sized

try:  # Python 3.11 moved the regular expression parser; its AST is what a sample is drawn from
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python before 3.11
    import sre_parse as _sre  # type: ignore[no-redef]

_INTEGER_BITS = {"tinyint": 8, "smallint": 16, "int": 32, "bigint": 64}
EPOCH = dt.date(2024, 1, 1)
"""First day of generated dates and timestamps when a column states none (fixed, so files do not depend on today)."""
_MAX_REPEAT = 8


class Ungeneratable(ValueError):
    """A column no value can be generated for, with the reason."""


def split_type(canonical: str) -> tuple[str, list[str]]:
    """``map<string,array<int>>`` -> ``("map", ["string", "array<int>"])``; a struct's arguments are ``name:type``."""
    if "<" not in canonical:
        return canonical, []
    head, inner = canonical.split("<", 1)
    parts, depth, current = [], 0, ""
    for char in inner[:-1]:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "<"
        depth -= char == ">"
        current += char
    return head, [*parts, current]


def _letters(index: int, length: int) -> str:
    """``index`` written in upper-case letters, ``length`` of them (distinct for distinct indexes that fit)."""
    out = ""
    for _ in range(length):
        index, digit = divmod(index, 26)
        out = string.ascii_uppercase[digit] + out
    return out


def text(column: str, glue_type: str, index: int) -> str:
    """A distinct string per ``index`` that fits the type's length."""
    size = sized(glue_type)
    if size is None:
        return f"{column}-{index:04d}"
    length = size[1][0]
    if size[0] == "char":
        return _letters(index, length)
    value = f"{column}-{index:04d}"
    return value if len(value) <= length else _letters(index, length)


def value(column: str, glue_type: str, index: int, rng: random.Random, options: dict[str, Any] | None = None) -> Any:
    """A value of ``glue_type`` for row ``index``: distinct per row for strings, integers, dates and timestamps,
    never negative, and within ``logicalTypeOptions`` ``minimum`` and ``maximum`` where given."""
    options = options or {}
    kind, arguments = split_type(glue_type)
    if kind in INTEGERS:
        low = int(options.get("minimum", 0))
        high = int(options.get("maximum", 2 ** (_INTEGER_BITS[kind] - 1) - 1))
        return min(low + index + 1, high)
    if kind in ("string",) or (sized(kind) or ("",))[0] in ("char", "varchar"):
        return text(column, glue_type, index)
    if kind.startswith("decimal("):
        precision, scale = sized(kind)[1]  # type: ignore[index]
        whole = rng.randrange(0, 10 ** min(precision - scale, 6))
        return (Decimal(whole) + Decimal(rng.randrange(0, 10**scale)) / Decimal(10**scale)).quantize(
            Decimal(1).scaleb(-scale)
        )
    if kind in ("double", "float"):
        return rng.randrange(0, 100_000) / 100
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "date":
        return EPOCH + dt.timedelta(days=index)
    if kind == "timestamp":
        return dt.datetime.combine(EPOCH, dt.time()) + dt.timedelta(hours=index, seconds=rng.randrange(3600))
    if kind == "binary":
        return f"{column}-{index}".encode()
    if kind == "array":
        return [value(column, arguments[0], index, rng)]
    if kind == "map":
        return [(value(column, arguments[0], index, rng), value(column, arguments[1], index, rng))]
    if kind == "struct":
        fields = [a.split(":", 1) for a in arguments]
        return {name: value(name, type_, index, rng) for name, type_ in fields}
    raise Ungeneratable(f"no sample values for type {glue_type!r}")


def matching(pattern: str, rng: random.Random) -> str:
    """A string in which ``pattern`` is found (as ``re.search`` and Spark's ``rlike`` find it)."""
    try:
        sample = "".join(_draw(_sre.parse(pattern), rng))
    except (re.error, Ungeneratable) as exc:
        raise Ungeneratable(f"cannot draw a value matching {pattern!r}: {exc}") from None
    if re.search(pattern, sample) is None:
        raise Ungeneratable(f"cannot draw a value matching {pattern!r} (drew {sample!r})")
    return sample


def not_matching(pattern: str, length: int | None) -> str | None:
    """A string of ``length`` characters (or a short one) in which ``pattern`` is not found, if there is one."""
    for char in "!-0a A~":
        candidate = char * (length or 3)
        if re.search(pattern, candidate) is None:
            return candidate
    return None


_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_SPACE": " ",
}


def _choices(items: list[tuple[Any, Any]]) -> str:
    """Every character a character class ``[...]`` accepts, from printable ASCII."""
    negate = any(str(op) == "NEGATE" for op, _ in items)
    accepted = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            accepted.add(chr(arg))
        elif name == "RANGE":
            accepted.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif name == "CATEGORY":
            if str(arg) not in _CATEGORIES:
                raise Ungeneratable(f"character category {arg}")
            accepted.update(_CATEGORIES[str(arg)])
    if negate:
        accepted = set(string.ascii_letters + string.digits) - accepted
    if not accepted:
        raise Ungeneratable("an empty character class")
    return "".join(sorted(accepted))


def _draw(parsed: Any, rng: random.Random) -> list[str]:
    out: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("x")
        elif name == "IN":
            out.append(rng.choice(_choices(arg)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, inner = arg
            count = rng.randint(low, max(low, min(high, low + _MAX_REPEAT)))
            for _ in range(count):
                out += _draw(inner, rng)
        elif name == "SUBPATTERN":
            out += _draw(arg[-1], rng)
        elif name == "ATOMIC_GROUP":
            out += _draw(arg, rng)
        elif name == "BRANCH":
            out += _draw(rng.choice(arg[1]), rng)
        elif name == "AT":
            continue
        else:
            raise Ungeneratable(f"pattern element {name}")
    return out
