"""``IAMAllowedPrincipals`` on the mesh's own databases and tables: revoked before the first wave, judged by doctor.

While an account keeps Lake Formation's defaults, every database and table created in it gives
``ALL`` (``Super``) to the ``IAMAllowedPrincipals`` group, so IAM alone decides access to it and
Lake Formation's grants are not in effect; clearing the defaults (:mod:`lake_settings`) only
changes what new resources get. "Before granting cross-account permissions on a Data Catalog
resource, you must revoke all Lake Formation permissions from the IAMAllowedPrincipals group for
the resource" (Lake Formation guide: "Cross-account access prerequisites"; "Changing the default
settings for your data lake", "Upgrading AWS Glue data permissions to the AWS Lake Formation
model"). :func:`revoke` does so on the mesh's databases and tables, and only on them (names from
the blueprint: the governance catalog's product databases and their tables, each consumer's
resource links); :func:`check` is doctor's finding for each one where the group still holds a
permission.

Only a data lake administrator, or a holder of the permissions with grant option, revokes (Lake
Formation guide: "Revoking permissions using the Lake Formation console"); the group's ``ALL`` is
held without grant option. So the caller, when it is no data lake administrator, is made one for
the revocations and removed after, as the settings step already rewrites the account's settings.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from datamesh.aws.sessions import items
from datamesh.doctor.findings import Finding, Status
from datamesh.doctor.lake_settings import IAM_ALLOWED_PRINCIPALS
from datamesh.lakeformation.resources import Resource

if TYPE_CHECKING:
    from datamesh.blueprint import Blueprint

Owned = dict[tuple[str, str], tuple[str, str]]  # (database, table or "") -> (domain, product)


def owned(plan: Blueprint) -> dict[str, Owned]:
    """The databases and tables the mesh makes, by the account whose catalog holds them."""
    found: dict[str, Owned] = defaultdict(dict)
    governance = plan.mesh.config.governance_account
    products = {db.name: (db.domain, db.product) for db in plan.databases}
    for db in plan.databases:
        found[governance][db.name, ""] = products[db.name]
        found[governance].update({(db.name, table.name): products[db.name] for table in db.tables})
    for link in plan.resource_links:
        found[link.account][link.name, ""] = products.get(link.target_database, (link.consumer, ""))
    return found


def _held(lakeformation: Any, account: str, mine: Owned) -> list[tuple[Resource, dict[str, Any]]]:
    """The group's entries in the account's ``ListPermissions`` on resources of ``mine`` in its own catalog, by resource."""
    found = []
    for entry in items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=account):
        if entry.get("Principal", {}).get("DataLakePrincipalIdentifier") != IAM_ALLOWED_PRINCIPALS:
            continue
        resource = Resource.from_api(entry.get("Resource", {}))
        spec = next(iter(entry.get("Resource", {}).values()), {})
        if (
            resource is not None
            and spec.get("CatalogId", account) == account
            and (resource.database, resource.table) in mine
        ):
            found.append((resource, entry))
    return sorted(found, key=lambda pair: pair[0])  # ListPermissions' order is not defined


def _permissions(entry: dict[str, Any]) -> str:
    return ", ".join(sorted({*entry.get("Permissions", []), *entry.get("PermissionsWithGrantOption", [])}))


def _role_arn(caller: str) -> str:
    """The IAM ARN Lake Formation names a caller by: an assumed role's session ARN becomes the role's ARN."""
    prefix, _, rest = caller.partition(":assumed-role/")
    if not rest:
        return caller
    return f"{prefix.replace(':sts:', ':iam:')}:role/{rest.split('/')[0]}"


@contextlib.contextmanager
def as_admin(lakeformation: Any, sts: Any, account: str) -> Iterator[None]:
    """The caller as a data lake administrator of ``account`` for the block, then as it was."""
    me = {"DataLakePrincipalIdentifier": _role_arn(sts.get_caller_identity()["Arn"])}
    settings = lakeformation.get_data_lake_settings(CatalogId=account)["DataLakeSettings"]
    if me in settings.get("DataLakeAdmins", []):
        yield
        return
    lakeformation.put_data_lake_settings(
        CatalogId=account, DataLakeSettings={**settings, "DataLakeAdmins": [*settings.get("DataLakeAdmins", []), me]}
    )
    try:
        yield
    finally:
        now = lakeformation.get_data_lake_settings(CatalogId=account)["DataLakeSettings"]
        lakeformation.put_data_lake_settings(
            CatalogId=account,
            DataLakeSettings={**now, "DataLakeAdmins": [a for a in now.get("DataLakeAdmins", []) if a != me]},
        )


def revoke(lakeformation: Any, sts: Any, account: str, mine: Owned) -> list[str]:
    """Revoke every permission ``IAMAllowedPrincipals`` holds on the resources of ``mine`` in the account's
    catalog; returns what was revoked, one entry per resource (nothing called when nothing is held)."""
    held = _held(lakeformation, account, mine)
    if held:
        with as_admin(lakeformation, sts, account):
            for _, entry in held:
                lakeformation.revoke_permissions(
                    CatalogId=account,
                    Principal={"DataLakePrincipalIdentifier": IAM_ALLOWED_PRINCIPALS},
                    Resource=entry["Resource"],
                    Permissions=entry.get("Permissions", []),
                    PermissionsWithGrantOption=entry.get("PermissionsWithGrantOption", []),
                )
    return [f"{_permissions(entry)} on {resource}" for resource, entry in held]


def check(lakeformation: Any, account: str, mine: Owned) -> list[Finding]:
    """Doctor's findings: one ``different`` per resource of ``mine`` on which the group holds a permission."""
    return [
        Finding(
            *mine[resource.database, resource.table],
            "iam-allowed-principals",
            str(resource),
            Status.DIFFERENT,
            f"IAMAllowedPrincipals holds {_permissions(entry)}: IAM alone decides access and "
            "the mesh's grants are not in effect (meshctl deploy revokes it)",
        )
        for resource, entry in _held(lakeformation, account, mine)
    ]
