"""Doctor's check of the governance catalog's data cells filters: each one a granted share's approval makes,
with its rows and columns, and none of the mesh's that no granted share asks for.

The filters are read with Lake Formation's ``ListDataCellsFilter``, once per table of the mesh's databases
that the governance catalog holds (the API reference lists filters "on a table"). The operation documents
no not-found answer, so any failure of it is "cannot read"; a filter the listing lacks is missing. A filter
on those tables named as the mesh names its filters (:func:`naming.data_filter`) that no granted share
explains is extra. The grants on the filters are judged with every other grant: to the consumer account by
:func:`grants.check_share_grants`, to the consumer's principals by :func:`grants.check_consumer_grants`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from datamesh.aws.sessions import items
from datamesh.doctor.findings import Finding, Status
from datamesh.names import naming

if TYPE_CHECKING:
    from datamesh.blueprint import Blueprint
    from datamesh.blueprint.filters import DataFilter

CHECK = "data-filter"


def _rows(spec: Mapping[str, Any]) -> str:
    expression = spec.get("RowFilter", {}).get("FilterExpression")
    return "every row" if expression is None else f"rows {expression}"


def _columns(spec: Mapping[str, Any]) -> str:
    if "ColumnNames" in spec:
        return f"columns {', '.join(sorted(spec['ColumnNames']))}"
    excluded = sorted(spec.get("ColumnWildcard", {}).get("ExcludedColumnNames", []))
    return f"every column but {', '.join(excluded)}" if excluded else "every column"


def _differences(expected: Mapping[str, Any], found: Mapping[str, Any]) -> list[str]:
    return [
        f"{what}: expected {shape(expected)}, found {shape(found)}"
        for what, shape in (("rows", _rows), ("columns", _columns))
        if shape(expected) != shape(found)
    ]


def _judged(wanted: DataFilter, found: Mapping[str, Any] | None) -> Finding:
    producer, product = wanted.product.split(".", 1)
    resource = f"{wanted.name} on {wanted.database}.{wanted.table}"
    expected = wanted.api()
    if found is None:
        return Finding(
            producer,
            product,
            CHECK,
            resource,
            Status.MISSING,
            f"expected for {wanted.consumer}: {_rows(expected)}; {_columns(expected)}",
        )
    differences = _differences(expected, found)
    if differences:
        return Finding(producer, product, CHECK, resource, Status.DIFFERENT, "; ".join(differences))
    return Finding(producer, product, CHECK, resource, Status.OK)


def check(blueprint: Blueprint, lakeformation: Any, tables: Mapping[str, Iterable[str]]) -> list[Finding]:
    """The filters of the governance catalog compared with the blueprint's.

    :param tables: the tables the governance catalog holds, by mesh database (as the table check read
        them); a filter expected on a table not among them is missing, as its table is.
    """
    catalog = blueprint.mesh.config.governance_account
    owned = naming.data_filter(blueprint.mesh.config.name, "*")
    products = {db.name: (db.domain, db.product) for db in blueprint.databases}
    listed: dict[tuple[str, str, str], dict[str, Any]] = {}
    for database, names in sorted(tables.items()):
        for table in sorted(names):
            where = {"CatalogId": catalog, "DatabaseName": database, "Name": table}
            for found in items(lakeformation, "list_data_cells_filter", "DataCellsFilters", Table=where):
                listed[database, table, found["Name"]] = found
    wanted = {(f.database, f.table, f.name): f for f in blueprint.data_filters}
    findings = [_judged(f, listed.get(key)) for key, f in wanted.items()]
    findings += [
        Finding(
            *products.get(database, ("", database)),
            CHECK,
            f"{name} on {database}.{table}",
            Status.EXTRA,
            f"{_rows(found)}; {_columns(found)}: a filter named as the mesh's that no granted share asks for",
        )
        for (database, table, name), found in sorted(listed.items())
        if (database, table, name) not in wanted and fnmatchcase(name, owned)
    ]
    return findings
