"""Lake Formation data cells filters, as far as the mesh uses them: ``AWS::LakeFormation::DataCellsFilter``,
the API's ``CreateDataCellsFilter``, ``GetDataCellsFilter``, ``ListDataCellsFilter`` (all of the caller's
catalog, or those of one table), ``UpdateDataCellsFilter`` and ``DeleteDataCellsFilter``, and grants on
them (:mod:`localaws.resources.grants`).

AWS's rules modelled (Lake Formation API reference, ``DataCellsFilter``, ``CreateDataCellsFilter``,
``GetDataCellsFilter``, ``UpdateDataCellsFilter``, ``DeleteDataCellsFilter``; Developer Guide, "Data
filters in Lake Formation"): a filter is made and changed in the catalog of its table's account, by a
data lake admin, on a table that exists; its columns (``ColumnNames``) are columns of the table, or
``ColumnWildcard``, not both; its ``RowFilter`` is a ``FilterExpression`` or ``AllRowsWildcard``, not
both; a second filter of the same name on the same table is ``AlreadyExistsException``; getting,
updating or deleting a filter that does not exist is ``EntityNotFoundException``. The row filter
expression is stored as given, not evaluated. What becomes of the permissions granted on a filter
that is deleted AWS does not document: the local AWS leaves them listed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.lakeformation import urls
from moto.lakeformation.models import LakeFormationBackend
from moto.lakeformation.responses import LakeFormationResponse

from localaws.resources import authority, backends, catalog
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource

Key = tuple[str, str, str]  # database, table, filter name


def filters(lf: LakeFormationBackend) -> dict[Key, dict[str, Any]]:
    """The filters of the account's catalog, by table and name."""
    return lf.__dict__.setdefault("_localaws_data_cells_filters", {})


def require(spec: dict[str, Any], region: str) -> None:
    """Fail as Lake Formation does when a grant names a filter that does not exist."""
    owner = spec["TableCatalogId"]
    key = (spec["DatabaseName"], spec["TableName"], spec["Name"])
    if key not in filters(backends.lakeformation(owner, region)):
        raise Rejected(
            "EntityNotFoundException",
            f"Data cells filter {spec['Name']} on table "
            f"{spec['DatabaseName']}.{spec['TableName']} does not exist in catalog {owner}",
        )


def _one_of(spec: dict[str, Any], first: str, second: str, where: str) -> None:
    if (first in spec) == (second in spec):
        raise Rejected("InvalidInputException", f"{where} takes exactly one of {first} and {second}")


def _allowed(account: str, region: str, owner: str, verb: str, database: str, table: str, name: str) -> None:
    """Only a data lake admin of the table's own account makes, changes or deletes its filters."""
    if owner != account:
        raise Rejected(
            "AccessDeniedException",
            f"Account {account} cannot {verb} a data cells filter in the catalog of account {owner}",
        )
    authority.require(account, region, f"{verb} data cells filter {name} on {database}.{table}")


def _valid(account: str, region: str, table_data: dict[str, Any], verb: str) -> tuple[str, Key]:
    """The table's catalog and the filter's key, once the filter is one Lake Formation accepts."""
    owner = table_data.get("TableCatalogId", account)
    database, table, name = table_data["DatabaseName"], table_data["TableName"], table_data["Name"]
    _allowed(account, region, owner, verb, database, table, name)
    _one_of(table_data, "ColumnNames", "ColumnWildcard", "A data cells filter")
    _one_of(table_data.get("RowFilter") or {}, "FilterExpression", "AllRowsWildcard", "A data cells filter's RowFilter")
    if "ColumnNames" in table_data:
        catalog.require_columns(owner, database, table, list(table_data["ColumnNames"]), region)
    else:
        catalog.table(owner, database, table, region)
    return owner, (database, table, name)


def _not_found(key: Key) -> Rejected:
    database, table, name = key
    return Rejected("EntityNotFoundException", f"Data cells filter {name} on table {database}.{table} does not exist")


def create(account: str, region: str, table_data: dict[str, Any]) -> Key:
    owner, key = _valid(account, region, table_data, "create")
    found = filters(backends.lakeformation(account, region))
    if key in found:
        database, table, name = key
        raise Rejected("AlreadyExistsException", f"Data cells filter {name} already exists on table {database}.{table}")
    found[key] = {**copy.deepcopy(table_data), "TableCatalogId": owner}
    return key


def update(account: str, region: str, table_data: dict[str, Any]) -> None:
    """``UpdateDataCellsFilter``: the filter's rows and columns replaced by ``table_data``'s."""
    owner, key = _valid(account, region, table_data, "update")
    found = filters(backends.lakeformation(account, region))
    if key not in found:
        raise _not_found(key)
    found[key] = {**{k: v for k, v in copy.deepcopy(table_data).items() if k != "VersionId"}, "TableCatalogId": owner}


def delete(account: str, region: str, owner: str, key: Key) -> None:
    """``DeleteDataCellsFilter``."""
    _allowed(account, region, owner, "delete", *key)
    found = filters(backends.lakeformation(account, region))
    if key not in found:
        raise _not_found(key)
    del found[key]


def get(account: str, region: str, owner: str, key: Key) -> dict[str, Any]:
    """``GetDataCellsFilter``: a filter of the caller's catalog."""
    found = filters(backends.lakeformation(account, region)).get(key) if owner == account else None
    if found is None:
        raise _not_found(key)
    return copy.deepcopy(found)


def listed(account: str, region: str, table: dict[str, Any] | None) -> list[dict[str, Any]]:
    """``ListDataCellsFilter``: the filters of the caller's catalog, or of ``table`` only."""
    found = filters(backends.lakeformation(account, region))
    if table is None:
        return [copy.deepcopy(f) for f in found.values()]
    if table.get("CatalogId", account) != account:
        return []
    return [
        copy.deepcopy(f)
        for (database, name, _), f in found.items()
        if database == table["DatabaseName"] and ("TableWildcard" in table or name == table.get("Name"))
    ]


class DataCellsFilter(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::DataCellsFilter``: every property is create-only, so a change replaces it."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::DataCellsFilter"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataCellsFilter:
        made = cls(account_id, region, properties)
        made.key = create(account_id, region, properties)
        # The resource's Ref: TableCatalogId|DatabaseName|TableName|Name (CloudFormation's resource schema).
        made.physical_id = "|".join((properties.get("TableCatalogId", account_id), *made.key))
        return made

    def delete(self, account_id: str, region_name: str) -> None:
        filters(backends.lakeformation(account_id, region_name)).pop(self.key, None)


def _key(self: LakeFormationResponse) -> tuple[str, Key]:
    return (
        self._get_param("TableCatalogId") or self.current_account,
        (self._get_param("DatabaseName"), self._get_param("TableName"), self._get_param("Name")),
    )


def _create_data_cells_filter(self: LakeFormationResponse) -> str:
    create(self.current_account, self.region, self._get_param("TableData"))
    return "{}"


def _update_data_cells_filter(self: LakeFormationResponse) -> str:
    update(self.current_account, self.region, self._get_param("TableData"))
    return "{}"


def _delete_data_cells_filter(self: LakeFormationResponse) -> str:
    delete(self.current_account, self.region, *_key(self))
    return "{}"


def _get_data_cells_filter(self: LakeFormationResponse) -> str:
    return json.dumps({"DataCellsFilter": get(self.current_account, self.region, *_key(self))})


def _list_data_cells_filter(self: LakeFormationResponse) -> str:
    """One page of ``MaxResults`` filters (all when it is not given) from ``NextToken``'s position."""
    found = listed(self.current_account, self.region, self._get_param("Table"))
    start = int(self._get_param("NextToken") or 0)
    size = self._get_int_param("MaxResults") or len(found) or 1
    page: dict[str, Any] = {"DataCellsFilters": found[start : start + size]}
    if start + size < len(found):
        page["NextToken"] = str(start + size)
    return json.dumps(page)


def install() -> None:
    """Serve the data cells filter APIs from moto's Lake Formation endpoint (moto's own list answers none)."""
    for operation in ("Create", "Get", "Update", "Delete", "List"):
        urls.url_paths[f"{{0}}/{operation}DataCellsFilter$"] = LakeFormationResponse.dispatch
    LakeFormationResponse.create_data_cells_filter = _create_data_cells_filter
    LakeFormationResponse.get_data_cells_filter = _get_data_cells_filter
    LakeFormationResponse.update_data_cells_filter = _update_data_cells_filter
    LakeFormationResponse.delete_data_cells_filter = _delete_data_cells_filter
    LakeFormationResponse.list_data_cells_filter = _list_data_cells_filter
