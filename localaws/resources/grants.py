"""Lake Formation resources and grants: what exists and what an account already holds.

A resource is CloudFormation's (and the API's) shape, e.g.
``{"Table": {"CatalogId": ..., "DatabaseName": ..., "Name": ...}}``.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.lakeformation.models import Permission

from localaws.resources import backends, catalog, data_cells_filters
from localaws.resources.errors import Rejected

_CATALOG_SCOPED = ("Database", "Table", "TableWithColumns", "DataLocation", "LFTag")


def normalized(resource: dict[str, Any], default_catalog: str) -> dict[str, Any]:
    """The resource with ``CatalogId`` filled in where it was left to default."""
    result = copy.deepcopy(resource)
    for kind in _CATALOG_SCOPED:
        if kind in result:
            result[kind].setdefault("CatalogId", default_catalog)
    return result


def kind_of(resource: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if len(resource) != 1:
        raise Rejected(
            "InvalidInputException", f"A resource names exactly one kind of resource, not {sorted(resource)}"
        )
    kind, spec = next(iter(resource.items()))
    return kind, spec


def owner(resource: dict[str, Any], default_catalog: str) -> str:
    """The account whose catalog holds the resource (a data cells filter: its table's)."""
    _, spec = kind_of(resource)
    return spec.get("CatalogId") or spec.get("TableCatalogId") or default_catalog


def require(resource: dict[str, Any], region: str) -> None:
    """Fail as Lake Formation does when a (normalized) resource does not exist."""
    kind, spec = kind_of(resource)
    if kind == "Database":
        catalog.database(spec["CatalogId"], spec["Name"], region)
    elif kind == "Table" and "Name" in spec:
        catalog.table(spec["CatalogId"], spec["DatabaseName"], spec["Name"], region)
    elif kind == "Table":
        catalog.database(spec["CatalogId"], spec["DatabaseName"], region)
    elif kind == "TableWithColumns":
        wanted = spec.get("ColumnNames") or spec.get("ColumnWildcard", {}).get("ExcludedColumnNames", [])
        catalog.require_columns(spec["CatalogId"], spec["DatabaseName"], spec["Name"], wanted, region)
    elif kind == "DataLocation":
        if spec["ResourceArn"] not in backends.lakeformation(spec["CatalogId"], region).resources:
            raise Rejected(
                "EntityNotFoundException",
                f"Location {spec['ResourceArn']} is not registered with Lake Formation in account {spec['CatalogId']}",
            )
    elif kind == "LFTag":
        require_tag(spec["CatalogId"], spec["TagKey"], spec.get("TagValues", []), region)
    elif kind == "DataCellsFilter":
        data_cells_filters.require(spec, region)


def require_tag(catalog_id: str, key: str, values: list[str], region: str) -> None:
    known = backends.lakeformation(catalog_id, region).list_lf_tags(catalog_id)
    if key not in known:
        raise Rejected("EntityNotFoundException", f"LF-tag {key} does not exist in catalog {catalog_id}")
    unknown = [v for v in values if v not in known[key]]
    if unknown:
        raise Rejected(
            "InvalidInputException", f"LF-tag {key} in catalog {catalog_id} has no value(s) {', '.join(unknown)}"
        )


def _grants(catalog_id: str, region: str) -> list[Permission]:
    grants = backends.lakeformation(catalog_id, region).grants.get(catalog_id)
    return list(grants.permissions) if grants else []


def _principal(grant: Permission) -> str:
    return grant.principal.get("DataLakePrincipalIdentifier", "")


def shares_database(account: str, catalog_id: str, database: str, region: str) -> bool:
    """Whether ``account`` holds any grant on the database or on a table of it."""
    for held in _grants(catalog_id, region):
        if _principal(held) != account and not _principal(held).startswith(f"arn:aws:iam::{account}:"):
            continue
        kind, spec = kind_of(held.resource)
        name = spec.get("Name") if kind == "Database" else spec.get("DatabaseName")
        holds = held.permissions or held.permissions_with_grant_options
        if kind in ("Database", "Table", "TableWithColumns") and name == database and holds:
            return True
    return False


def not_grantable(account: str, resource: dict[str, Any], permissions: list[str], region: str) -> list[str]:
    """Those of ``permissions`` on a (normalized) resource of another account's catalog that
    ``account`` does not hold with grant option, so cannot pass on."""
    _, spec = kind_of(resource)
    # An account that was granted SELECT with grant option on some columns may pass SELECT on every column
    # on to its principals, who still read only the account's columns (Lake Formation guide, "Data
    # filtering limitations", notes on column-level filtering).
    external = account.isdigit()
    held = [
        p
        for p in _grants(owner(resource, ""), region)
        if _principal(p) == account and _covers(p.resource, resource, region, external)
    ]
    return [
        permission
        for permission in permissions
        if not any(
            permission in h.permissions_with_grant_options or "ALL" in h.permissions_with_grant_options for h in held
        )
    ]


def _covers(held: dict[str, Any], wanted: dict[str, Any], region: str, external: bool = False) -> bool:
    held_kind, held_spec = kind_of(held)
    kind, spec = kind_of(wanted)
    if kind not in ("Table", "TableWithColumns") or held_kind not in ("Table", "TableWithColumns"):
        return held == wanted
    if held_spec["DatabaseName"] != spec["DatabaseName"]:
        return False
    if held_kind == "Table":
        return "TableWildcard" in held_spec or ("Name" in spec and held_spec.get("Name") == spec["Name"])
    if held_spec["Name"] != spec.get("Name"):
        return False
    return external or (kind != "Table" and _columns(spec, region) <= _columns(held_spec, region))


def _columns(spec: dict[str, Any], region: str) -> set[str]:
    """The columns a ``TableWithColumns`` resource covers."""
    if "ColumnNames" in spec:
        return set(spec["ColumnNames"])
    every = catalog.columns(catalog.table(spec["CatalogId"], spec["DatabaseName"], spec["Name"], region))
    return set(every) - set(spec.get("ColumnWildcard", {}).get("ExcludedColumnNames", []))
