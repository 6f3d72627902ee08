"""What ``meshctl sample-data`` writes: per table, rows that keep its contract, where its producer writes them.

Everything comes from the blueprint (a table's location, columns, partition keys, format and
partition projection) and from the contract's schema object the table comes from (required
properties, allowed values, patterns, row counts, uniqueness). Each table gets one partition
of good rows; a table whose contract states a rule this module can break, and whose
partition keys project a second value, gets a second partition that breaks that one rule.
An unpartitioned table gets no failing file: every file under its location is the table.
Files are the same, byte for byte, for the same seed and files.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from open_data_contract_standard.model import DataQuality

from datamesh.blueprint import Table, blueprint
from datamesh.config import Mesh
from datamesh.conformance import values
from datamesh.conformance.values import Ungeneratable
from datamesh.contracts import dqdl
from datamesh.contracts.loading import ContractColumn, ContractTable
from datamesh.contracts.projection import python_format
from datamesh.names import naming
from datamesh.names.glue_grammar import INTEGERS, sized

DEFAULT_ROWS = 10
EXTENSIONS = {"parquet": "parquet", "orc": "orc", "avro": "avro", "json": "json", "csv": "csv"}
_STEPS = {
    "DAYS": dt.timedelta(days=1),
    "HOURS": dt.timedelta(hours=1),
    "MINUTES": dt.timedelta(minutes=1),
    "SECONDS": dt.timedelta(seconds=1),
    "WEEKS": dt.timedelta(weeks=1),
}


@dataclass(frozen=True)
class SampleFile:
    """One file of sample rows in one partition of a table (``partition``: key and value as in the path)."""

    key: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, Any], ...]
    partition: tuple[tuple[str, str], ...] = ()
    breaks: str = ""
    """The quality rule the file breaks on purpose (its place in the contract), or nothing."""


@dataclass(frozen=True)
class TableSample:
    """The files of one table of a product, in its producer's data bucket."""

    domain: str
    product: str
    table: str
    account: str
    bucket: str
    format: str
    files: tuple[SampleFile, ...]
    prefix: str
    """The table's location in the bucket, ending in ``/``."""
    partition_types: tuple[tuple[str, str], ...]
    """Each partition key and its Glue type."""
    note: str = ""
    """Why no file breaks a rule, when none does."""

    @property
    def name(self) -> str:
        return f"{naming.database(self.domain, self.product)}.{self.table}"


def _valid_values(column: ContractColumn | None) -> list[Any] | None:
    for rule in column.quality if column else ():
        args = rule.arguments or {}
        if (rule.metric or rule.rule) == "invalidValues" and args.get("validValues"):
            present = [v for v in args["validValues"] if v is not None]
            return present or None
    return None


def _pattern(column: ContractColumn | None) -> str | None:
    for rule in column.quality if column else ():
        pattern = (rule.arguments or {}).get("pattern")
        if (rule.metric or rule.rule) == "invalidValues" and isinstance(pattern, str):
            return pattern
    return None


def _row_count(source: ContractTable | None, wanted: int) -> int:
    """``wanted``, or the nearest count the table's ``rowCount`` rules allow."""
    checks = [dqdl.comparison(r) for r in (source.quality if source else ()) if (r.metric or r.rule) == "rowCount"]

    def allowed(n: int) -> bool:
        return all(_holds(n, c) for c in checks)

    for n in (*range(wanted, wanted + 1000), *range(wanted - 1, 0, -1)):
        if allowed(n):
            return n
    raise values.Ungeneratable("no row count of 1 to 1000 keeps the rowCount rules")


def _holds(n: float, check: dqdl.Comparison) -> bool:
    low = check.bounds[0]
    if check.op in ("between", "not between"):
        inside = check.bounds[0] <= n <= check.bounds[1]
        return inside if check.op == "between" else not inside
    return {"=": n == low, "!=": n != low, ">": n > low, ">=": n >= low, "<": n < low, "<=": n <= low}[check.op]


def _column_values(
    name: str, glue_type: str, column: ContractColumn | None, first: int, count: int, rng: random.Random
) -> list[Any]:
    allowed, pattern = _valid_values(column), _pattern(column)
    options = dict(column.options) if column else {}
    if allowed is not None:
        return [rng.choice(allowed) for _ in range(count)]
    if pattern is not None:
        drawn: list[str] = []
        for _ in range(count):
            for _attempt in range(20):  # distinct where the pattern allows it
                sample = values.matching(pattern, rng)
                if sample not in drawn:
                    break
            drawn.append(sample)
        return drawn
    return [values.value(name, glue_type, first + i, rng, options) for i in range(count)]


def _rows(
    table: Table, source: ContractTable | None, first: int, count: int, rng: random.Random
) -> list[dict[str, Any]]:
    contract = {c.name: c for c in source.columns} if source else {}
    columns = {
        name: _column_values(name, type_, contract.get(name), first, count, rng) for name, type_ in table.columns
    }
    return [{name: columns[name][i] for name, _ in table.columns} for i in range(count)]


def _length(glue_type: str) -> int | None:
    size = sized(glue_type)
    return size[1][0] if size and size[0] in ("char", "varchar") else None


def _break_column(rows: list[dict[str, Any]], name: str, glue_type: str, rule: DataQuality) -> bool:
    metric, args = rule.metric or rule.rule, rule.arguments or {}
    if metric == "nullValues":
        for row in rows:
            row[name] = None
        return True
    if metric == "duplicateValues" and len(rows) > 1:
        rows[1][name] = rows[0][name]
        return True
    if metric == "invalidValues" and glue_type.split("(")[0] in ("string", "char", "varchar"):
        allowed = args.get("validValues")
        if isinstance(allowed, list):
            candidate = "!" * (_length(glue_type) or 7)
            if candidate in allowed:
                return False
        elif isinstance(args.get("pattern"), str):
            fixed = _length(glue_type) if glue_type.startswith("char") else None
            candidate = values.not_matching(args["pattern"], fixed)
            if candidate is None:
                return False
        else:
            return False
        rows[0][name] = candidate
        return True
    return False


def _break(rows: list[dict[str, Any]], table: Table, source: ContractTable | None) -> str:
    """Breaks one rule of ``source`` in ``rows`` (a ``mustBe: 0`` count of rows); its place in the contract."""
    if source is None:
        return ""
    types = dict(table.columns)
    for column in source.columns:
        for i, rule in enumerate(column.quality):
            if (
                rule.mustBe == 0
                and (rule.unit or "rows") == "rows"
                and column.name in types
                and _break_column(rows, column.name, types[column.name], rule)
            ):
                return f"{column.field}.quality[{i}] ({rule.metric or rule.rule} of {column.name})"
    for i, rule in enumerate(source.quality):
        names = [str(n).lower() for n in (rule.arguments or {}).get("properties") or []]
        if (
            (rule.metric or rule.rule) == "duplicateValues"
            and rule.mustBe == 0
            and len(rows) > 1
            and names
            and all(n in types for n in names)
        ):
            for n in names:
                rows[1][n] = rows[0][n]
            return f"{source.field}.quality[{i}] (duplicateValues of {', '.join(names)})"
    return ""


def _key_values(name: str, glue_type: str, parameters: dict[str, str]) -> list[str]:
    """The first one or two values of a partition key in its projection range, as written in the path."""
    kind = parameters.get(f"projection.{name}.type", "injected")
    if kind == "enum":
        return parameters[f"projection.{name}.values"].split(",")[:2]
    if kind == "integer":
        low, high = (int(v) for v in parameters[f"projection.{name}.range"].split(","))
        return [str(v) for v in range(low, min(low + 1, high) + 1)]
    if kind == "date":
        pattern = parameters[f"projection.{name}.format"]
        first, last = parameters[f"projection.{name}.range"].split(",")
        python = python_format(pattern)
        if python is None:
            raise values.Ungeneratable(f"partition key {name}: cannot write dates in format {pattern!r}")
        start = dt.datetime.strptime(first, python)
        following = _step(start, parameters[f"projection.{name}.interval.unit"])
        if following is None or (last != "NOW" and following > dt.datetime.strptime(last, python)):
            return [first]
        return [first, following.strftime(python)]
    if glue_type == "date" or glue_type == "timestamp":
        return [values.EPOCH.isoformat(), (values.EPOCH + dt.timedelta(days=1)).isoformat()]
    if glue_type in INTEGERS:
        return ["1", "2"]
    if glue_type == "boolean":
        return ["true", "false"]
    return ["sample", "sample2"]


def _step(start: dt.datetime, unit: str) -> dt.datetime | None:
    if unit in _STEPS:
        return start + _STEPS[unit]
    if unit == "MONTHS":
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    if unit == "YEARS":
        return start.replace(year=start.year + 1)
    return None


def _partitions(table: Table) -> list[tuple[tuple[str, str], ...]]:
    """The good partition, and a second one when a key projects a second value."""
    if not table.partition_keys:
        return [()]
    parameters = dict(table.parameters)
    choices = [(name, _key_values(name, type_, parameters)) for name, type_ in table.partition_keys]
    good = tuple((name, found[0]) for name, found in choices)
    for index, (_name, found) in enumerate(choices):
        if len(found) > 1:
            return [good, tuple((n, found[1] if i == index else v) for i, (n, v) in enumerate(good))]
    return [good]


def _prefix(table: Table) -> str:
    return table.location.split("/", 3)[3]  # s3://bucket/<prefix>


def _file_key(table: Table, partition: tuple[tuple[str, str], ...], name: str, extension: str) -> str:
    return _prefix(table) + "".join(f"{k}={v}/" for k, v in partition) + f"{name}.{extension}"


def plan(mesh: Mesh, seed: int, rows: int = DEFAULT_ROWS) -> list[TableSample]:
    """The sample files of every table of every product, in the blueprint's order."""
    samples = []
    for db in blueprint(mesh).databases:
        domain, product = mesh.domain(db.domain), mesh.product(db.domain, db.product)
        sources = {t.name: t.source for t in product.tables}
        bucket = db.location.split("/")[2]
        for table in db.tables:
            try:
                samples.append(
                    _sample(
                        db.domain,
                        db.product,
                        domain.account,
                        bucket,
                        product.format.value,
                        table,
                        sources.get(table.name),
                        seed,
                        rows,
                    )
                )
            except Ungeneratable as exc:
                raise Ungeneratable(f"{db.name}.{table.name}: {exc}") from None
    return samples


def _sample(
    domain: str,
    product: str,
    account: str,
    bucket: str,
    file_format: str,
    table: Table,
    source: ContractTable | None,
    seed: int,
    rows: int,
) -> TableSample:
    extension = EXTENSIONS[file_format]
    rng = random.Random(f"{seed}:{naming.database(domain, product)}.{table.name}")
    count = _row_count(source, rows)
    partitions = _partitions(table)
    files = [
        SampleFile(
            _file_key(table, partitions[0], f"sample-{seed}", extension),
            table.columns,
            tuple(_rows(table, source, 0, count, rng)),
            partitions[0],
        )
    ]
    note = ""
    if len(partitions) == 1:
        note = (
            "unpartitioned: every file under its location is the table, so no file breaks a rule"
            if not table.partition_keys
            else "its partition keys project one value: no second partition"
        )
    else:
        bad = _rows(table, source, count, count, rng)
        broken = _break(bad, table, source)
        if broken:
            files.append(
                SampleFile(
                    _file_key(table, partitions[1], f"sample-{seed}-breaks-quality", extension),
                    table.columns,
                    tuple(bad),
                    partitions[1],
                    broken,
                )
            )
        else:
            note = "its contract states no rule a sample can break (a mustBe: 0 count of rows)"
    return TableSample(
        domain,
        product,
        table.name,
        account,
        bucket,
        file_format,
        tuple(files),
        _prefix(table),
        table.partition_keys,
        note,
    )
