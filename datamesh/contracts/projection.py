"""Athena partition projection for the partition keys of a product's tables, derived from its parameter files.

Athena computes a projected table's partitions from table properties instead of reading
them from the Glue Data Catalog, so files a producer writes under
``<location><key>=<value>/`` are queryable without anyone registering a partition
(Athena user guide, "Partition projection with Amazon Athena"). Each key's projection
type comes from what the contract or the inline column says about it
("Supported types for partition projection"):

- ``enum``: the contract lists the allowed values (an ``invalidValues`` quality rule with
  ``arguments.validValues`` and ``mustBe: 0``), or the key is a ``boolean``;
- ``date``: the key is a ``date`` (values ``yyyy-MM-dd``), or a string or timestamp whose
  logical type is ``date`` or ``timestamp`` with a ``logicalTypeOptions.format``, and ``logicalTypeOptions.minimum`` gives
  the first value; the range ends at ``logicalTypeOptions.maximum``, or ``NOW``;
- ``integer``: an integer key with ``logicalTypeOptions.minimum`` and ``maximum``;
- ``injected``: any other string, date, timestamp or integer key; every query must then filter the
  key with one value.

Floating-point, decimal, binary and complex keys cannot be projected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from datamesh.contracts.loading import ContractColumn, ContractTable
from datamesh.names.glue_grammar import INTEGERS, sized

HIVE_DATE = "yyyy-MM-dd"
# DateTimeFormatter pattern letters, finest first, to the ChronoUnit of one step.
_UNITS = (
    ("S", "MILLISECONDS"),
    ("s", "SECONDS"),
    ("m", "MINUTES"),
    ("Hhk", "HOURS"),
    ("dDE", "DAYS"),
    ("w", "WEEKS"),
    ("ML", "MONTHS"),
    ("yuY", "YEARS"),
)
# The pattern letters Python can check a minimum against; other patterns are passed through.
_STRPTIME = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}


class Unprojectable(ValueError):
    """A partition key Athena cannot project, with the reason."""


class Key(Protocol):
    """A partition key: an inline column of a domain file, or one its contract defines."""

    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...


class Table(Protocol):
    """A product's table: its partition keys, and the contract's schema object it comes from, if any."""

    @property
    def partition_keys(self) -> Sequence[Key]: ...
    @property
    def source(self) -> ContractTable | None: ...


def _allowed_values(column: ContractColumn) -> list[str] | None:
    for rule in column.quality:
        args = rule.arguments or {}
        if (
            (rule.metric or rule.rule) == "invalidValues"
            and rule.mustBe == 0
            and (rule.unit or "rows") == "rows"
            and args.get("validValues")
        ):
            return [str(v) for v in args["validValues"]]
    return None


def _pattern_letters(pattern: str) -> str:
    """The pattern letters of a DateTimeFormatter pattern, without quoted literals."""
    return re.sub(r"'[^']*'", "", pattern)


def interval_unit(pattern: str) -> str:
    """The finest unit a date pattern shows: one projected partition per step of it."""
    letters = _pattern_letters(pattern)
    for chars, unit in _UNITS:
        if any(c in letters for c in chars):
            return unit
    raise Unprojectable(f"date format {pattern!r} shows no date or time field")


def python_format(pattern: str) -> str | None:
    """The ``strptime``/``strftime`` format of a date pattern, or None when it has letters Python's lacks."""
    python, rest = pattern, pattern
    for java, py in _STRPTIME.items():
        python, rest = python.replace(java, py), rest.replace(java, "")
    return None if re.search(r"[A-Za-z]", rest) else python


def _check_date(value: str, pattern: str, what: str) -> None:
    python = python_format(pattern)
    if python is None:
        return
    try:
        dt.datetime.strptime(value, python)
    except ValueError:
        raise Unprojectable(f"{what} {value!r} is not in the key's format {pattern!r}") from None


def _date(name: str, pattern: str, options: Mapping[str, Any]) -> dict[str, str]:
    first, last = str(options["minimum"]), str(options.get("maximum", "NOW"))
    _check_date(first, pattern, "logicalTypeOptions.minimum")
    if last != "NOW":
        _check_date(last, pattern, "logicalTypeOptions.maximum")
    return {
        f"projection.{name}.type": "date",
        f"projection.{name}.format": pattern,
        f"projection.{name}.range": f"{first},{last}",
        f"projection.{name}.interval": "1",
        f"projection.{name}.interval.unit": interval_unit(pattern),
    }


def key_projection(column: Key, contract: ContractColumn | None) -> dict[str, str]:
    """The ``projection.<key>.*`` table properties of one partition key.

    :raises Unprojectable: when Athena has no projection type for the key.
    """
    name, glue_type = column.name, column.type
    options = contract.options if contract else {}
    values = _allowed_values(contract) if contract else None
    if glue_type == "boolean":
        values = values or ["true", "false"]
    if values is not None:
        return {f"projection.{name}.type": "enum", f"projection.{name}.values": ",".join(values)}
    if glue_type == "date":
        pattern = str(options.get("format", HIVE_DATE))
        if pattern != HIVE_DATE:
            raise Unprojectable(
                f"a date key's values are {HIVE_DATE}; for format {pattern!r} declare physicalType: string"
            )
        return _date(name, pattern, options) if "minimum" in options else _injected(name)
    if glue_type in ("string", "timestamp") or (sized(glue_type) or ("",))[0] in ("char", "varchar"):
        if contract and contract.logical_type in ("date", "timestamp") and "format" in options and "minimum" in options:
            return _date(name, str(options["format"]), options)
        return _injected(name)
    if glue_type in INTEGERS:
        if "minimum" in options and "maximum" in options:
            return {
                f"projection.{name}.type": "integer",
                f"projection.{name}.range": f"{int(options['minimum'])},{int(options['maximum'])}",
            }
        return _injected(name)
    raise Unprojectable(f"Athena cannot project a {glue_type} key (enum, date, integer and injected only)")


def _injected(name: str) -> dict[str, str]:
    return {f"projection.{name}.type": "injected"}


def _contract_keys(table: Table) -> dict[str, ContractColumn]:
    return {c.name: c for c in table.source.partition_keys} if table.source else {}


def projection_parameters(table: Table, location: str) -> dict[str, str]:
    """Table properties that turn on partition projection, or none for an unpartitioned table.

    :param location: the table's ``s3://`` location, ending in ``/``.
    :raises Unprojectable: for a key Athena cannot project (``projection_problems`` reports it first).
    """
    if not table.partition_keys:
        return {}
    contract = _contract_keys(table)
    parameters = {"projection.enabled": "true"}
    for key in table.partition_keys:
        parameters.update(key_projection(key, contract.get(key.name)))
    parameters["storage.location.template"] = location + "".join(
        f"{k.name}=${{{k.name}}}/" for k in table.partition_keys
    )
    return parameters


def projection_problems(table: Table) -> Iterable[tuple[str, str]]:
    """(partition key name, reason) for each key of ``table`` Athena cannot project."""
    contract = _contract_keys(table)
    for key in table.partition_keys:
        try:
            key_projection(key, contract.get(key.name))
        except Unprojectable as exc:
            yield key.name, str(exc)
