"""Lake Formation data cells filters, as far as the mesh uses them: ``AWS::LakeFormation::DataCellsFilter``,
read back with ``ListDataCellsFilter``, and grants on them (:mod:`localaws.resources.grants`).

AWS's rules modelled (Lake Formation API reference, ``DataCellsFilter`` and ``CreateDataCellsFilter``;
Developer Guide, "Data filters in Lake Formation"): a filter is made in the catalog of its table's
account, by a data lake admin, on a table that exists; its columns (``ColumnNames``) are columns of
the table, or ``ColumnWildcard``, not both; its ``RowFilter`` is a ``FilterExpression`` or
``AllRowsWildcard``, not both; a second filter of the same name on the same table is
``AlreadyExistsException``. The row filter expression is stored as given, not evaluated.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.lakeformation.models import LakeFormationBackend

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


def create(account: str, region: str, table_data: dict[str, Any]) -> Key:
    owner = table_data.get("TableCatalogId", account)
    if owner != account:
        raise Rejected(
            "AccessDeniedException",
            f"Account {account} cannot create a data cells filter in the catalog of account {owner}",
        )
    database, table, name = table_data["DatabaseName"], table_data["TableName"], table_data["Name"]
    authority.require(account, region, f"create data cells filter {name} on {database}.{table}")
    _one_of(table_data, "ColumnNames", "ColumnWildcard", "A data cells filter")
    _one_of(table_data.get("RowFilter") or {}, "FilterExpression", "AllRowsWildcard", "A data cells filter's RowFilter")
    if "ColumnNames" in table_data:
        catalog.require_columns(owner, database, table, list(table_data["ColumnNames"]), region)
    else:
        catalog.table(owner, database, table, region)
    found = filters(backends.lakeformation(account, region))
    key = (database, table, name)
    if key in found:
        raise Rejected("AlreadyExistsException", f"Data cells filter {name} already exists on table {database}.{table}")
    found[key] = {**copy.deepcopy(table_data), "TableCatalogId": owner}
    return key


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


def install() -> None:
    """``ListDataCellsFilter`` answers the filters of the caller's catalog (moto's answers none)."""

    def list_data_cells_filter(self: LakeFormationBackend) -> list[dict[str, Any]]:
        return [copy.deepcopy(f) for f in filters(self).values()]

    LakeFormationBackend.list_data_cells_filter = list_data_cells_filter
