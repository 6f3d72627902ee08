"""Lake Formation's API as the local AWS serves it: the rules hold for every caller.

A rule that AWS applies to an API call is enforced here, in the moto backend method the
call reaches, so a boto3 call (``meshctl deploy``, a repair, a user's script) and a
CloudFormation handler (which calls the same method) get the same answer:

- ``GrantPermissions``: the caller is a data lake admin of the catalog's account or holds the
  permissions with grant option (:mod:`localaws.resources.authority`); the resource and the
  principal exist (an Identity Center user or group: :mod:`localaws.resources.identity_center`); on another account's resource, the account holds every permission with
  grant option and has accepted the share (:mod:`localaws.resources.ram`); SELECT with grant
  option names columns by an include list, never an exclude list (Lake Formation guide, "Data
  filtering limitations", notes on column-level filtering). A grant to another account
  shares the resource through AWS RAM.
- SELECT on ``TableWithColumns`` with an empty ``ColumnWildcard`` is stored, listed and
  revoked as SELECT on the ``Table`` (terraform-provider-aws PR 20108: Lake Formation
  translates the one into the other).
- ``RevokePermissions``: a data lake admin or a holder of the permissions with grant option revokes,
  and only permissions the principal holds (else ``InvalidInputException``, "No permissions revoked").
- ``CreateLFTag`` and ``UpdateLFTag``: a data lake admin, at most 50 values added or deleted
  per call (API reference, ``LFTag``).

- ``CreateDatabase`` (a resource link too): once the account no longer leaves new databases to IAM,
  only a data lake admin (or a holder of ``CREATE_DATABASE``, not modelled) creates one (Lake
  Formation guide, "Creating a database").
- A database or table created while the account's ``CreateDatabaseDefaultPermissions`` or
  ``CreateTableDefaultPermissions`` hold (a new account's defaults: ``ALL`` to
  ``IAM_ALLOWED_PRINCIPALS``) gets those permissions, so IAM alone decides access to it (Lake
  Formation guide: "Changing the default settings for your data lake"); ``ListPermissions``
  shows them, and ``meshctl doctor`` judges the settings that cause them. A database created with
  its own ``CreateTableDefaultPermissions`` (Glue's ``DatabaseInput``; ``[]`` for none) gives its
  new tables those instead of the account's ("You can override this default setting when you
  create a database", the API reference's ``DataLakeSettings``).

The caller is :func:`localaws.resources.deployer.current`: the stack's deploy role inside a
CloudFormation operation, else the account's ``OrganizationAccountAccessRole`` (how every
client of the local AWS reaches an account).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.glue.models import GlueBackend
from moto.lakeformation.models import LakeFormationBackend

from localaws.resources import authority, backends, grants, identity_center, principals, ram
from localaws.resources.errors import Rejected

# One CreateLFTag or UpdateLFTag call takes at most this many values (Lake Formation API
# reference: LFTag.TagValues, UpdateLFTag.TagValuesToAdd/TagValuesToDelete); an LF-tag holds
# at most 1000 ("Lake Formation quotas"). Whether CloudFormation's handler splits longer
# lists into several calls is not documented; the local AWS assumes it does not.
VALUES_PER_CALL = 50


def require_principal(principal: str) -> None:
    if principals.missing(principal):
        raise Rejected("InvalidInputException", f"Invalid principal: {principal} does not exist")


def own_catalog(account_id: str, catalog_id: str, what: str) -> None:
    if catalog_id != account_id:
        raise Rejected(
            "AccessDeniedException", f"Account {account_id} cannot {what} in the catalog of account {catalog_id}"
        )


def stored(resource: dict[str, Any], catalog_id: str) -> dict[str, Any]:
    """The resource as Lake Formation stores a grant on it: ``CatalogId`` filled in, and every column
    of a table (an empty ``ColumnWildcard``) the table itself."""
    result = grants.normalized(resource, catalog_id)
    spec = result.get("TableWithColumns")
    if spec is not None and "ColumnNames" not in spec and not spec.get("ColumnWildcard", {}).get("ExcludedColumnNames"):
        result = {"Table": {k: v for k, v in spec.items() if k != "ColumnWildcard"}}
    return result


def describe(resource: dict[str, Any]) -> str:
    kind, spec = grants.kind_of(resource)
    if kind == "Database":
        return f"database {spec['Name']}"
    if kind in ("Table", "TableWithColumns"):
        columns = " (columns)" if kind == "TableWithColumns" else ""
        return f"table {spec['DatabaseName']}.{spec.get('Name', '*')}{columns}"
    return f"{kind} {json.dumps(spec, sort_keys=True)}"


def _values_per_call(key: str, values: list[str], what: str) -> None:
    if len(values) > VALUES_PER_CALL:
        raise Rejected(
            "InvalidInputException",
            f"LF-tag {key}: {len(values)} values {what} in one call; Lake Formation takes at most {VALUES_PER_CALL}",
        )


def _defaults_hold(account: str, region: str, setting: str) -> bool:
    """Whether the account still gives new resources to ``IAM_ALLOWED_PRINCIPALS`` (IAM alone decides)."""
    entries = backends.lakeformation(account, region).get_data_lake_settings(account).get(setting) or []
    return any(e["Principal"]["DataLakePrincipalIdentifier"] == "IAM_ALLOWED_PRINCIPALS" for e in entries)


def _check_grant(
    backend: LakeFormationBackend,
    catalog_id: str,
    principal: str,
    resource: dict[str, Any],
    wanted: list[str],
    grantable: list[str],
) -> None:
    account, region = backend.account_id, backend.region_name
    own_catalog(account, catalog_id, "grant permissions")
    require_principal(principal)
    unknown = identity_center.missing(principal, account, region, backend)
    if unknown:
        raise Rejected("InvalidInputException", f"Invalid principal: {unknown}")
    columns = resource.get("TableWithColumns", {})
    if "SELECT" in grantable and columns.get("ColumnWildcard", {}).get("ExcludedColumnNames"):
        raise Rejected(
            "InvalidInputException",
            "To grant SELECT with the grant option and column filtering, name the columns to include "
            f"(ColumnNames), not those to exclude (ExcludedColumnNames): {describe(resource)}",
        )
    grants.require(resource, region)
    authority.require(
        account,
        region,
        f"grant {', '.join(wanted)} on {describe(resource)}",
        lambda holder: not grants.not_grantable(holder, resource, wanted, region),
    )
    owner = grants.owner(resource, catalog_id)
    if owner == catalog_id:
        return
    missing = grants.not_grantable(account, resource, wanted, region)
    if missing:
        raise Rejected(
            "AccessDeniedException",
            f"Insufficient Lake Formation permission(s): account {account} does not hold "
            f"{', '.join(missing)} with grant option on {describe(resource)} "
            f"(no grant from catalog {owner} to the account)",
        )
    ram.require_in_use(owner, account, resource, region)


# RevokePermissions' answer when the principal holds none of the permissions on the resource (tokern/lakecli#10,
# aws-samples/aws-glue-samples#78, hashicorp/terraform-provider-aws#35160).
NOTHING_REVOKED = "No permissions revoked. Grantee has no permissions and no grantable permissions on resource."


def _check_revoke(
    backend: LakeFormationBackend,
    catalog_id: str,
    principal: dict[str, str],
    resource: dict[str, Any],
    wanted: list[str],
) -> None:
    """A data lake admin, or a holder of the permissions with grant option, revokes (Lake Formation guide:
    "Revoking permissions using the Lake Formation console"); only permissions the principal holds."""
    account, region = backend.account_id, backend.region_name
    own_catalog(account, catalog_id, "revoke permissions")
    authority.require(
        account,
        region,
        f"revoke {', '.join(wanted)} on {describe(resource)}",
        lambda holder: not grants.not_grantable(holder, resource, wanted, region),
    )
    catalog = backend.grants.get(catalog_id)
    held = [p for p in (catalog.permissions if catalog else ()) if p.principal == principal and p.resource == resource]
    if not any(set(wanted) & {*p.permissions, *p.permissions_with_grant_options} for p in held):
        raise Rejected("InvalidInputException", NOTHING_REVOKED)


def install() -> None:
    if LakeFormationBackend.grant_permissions.__module__ == __name__:
        return  # installed already: wrap moto's own methods once
    grant, revoke = LakeFormationBackend.grant_permissions, LakeFormationBackend.revoke_permissions
    create_tag, update_tag = LakeFormationBackend.create_lf_tag, LakeFormationBackend.update_lf_tag

    def grant_permissions(
        self: LakeFormationBackend,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions: list[str],
        permissions_with_grant_options: list[str],
    ) -> None:
        permissions, grantable = list(permissions or []), list(permissions_with_grant_options or [])
        resource = stored(resource, catalog_id)
        _check_grant(
            self,
            catalog_id,
            principal["DataLakePrincipalIdentifier"],
            resource,
            sorted(set(permissions) | set(grantable)),
            grantable,
        )
        grant(self, catalog_id, principal, copy.deepcopy(resource), permissions, grantable)
        ram.share(catalog_id, principal["DataLakePrincipalIdentifier"], resource, self.region_name)

    def revoke_permissions(
        self: LakeFormationBackend,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions_to_revoke: list[str],
        permissions_with_grant_options_to_revoke: list[str],
    ) -> None:
        resource = stored(resource, catalog_id)
        _check_revoke(
            self,
            catalog_id,
            principal,
            resource,
            sorted(set(permissions_to_revoke or []) | set(permissions_with_grant_options_to_revoke or [])),
        )
        revoke(self, catalog_id, principal, resource, permissions_to_revoke, permissions_with_grant_options_to_revoke)

    def create_lf_tag(self: LakeFormationBackend, catalog_id: str, key: str, values: list[str]) -> None:
        own_catalog(self.account_id, catalog_id, "create LF-tags")
        authority.require(self.account_id, self.region_name, f"create LF-tag {key}")
        _values_per_call(key, values, "created")
        if key in self.list_lf_tags(catalog_id):
            raise Rejected("AlreadyExistsException", f"LF-tag {key} already exists in catalog {catalog_id}")
        create_tag(self, catalog_id, key, values)

    def update_lf_tag(
        self: LakeFormationBackend, catalog_id: str, tag_key: str, to_delete: list[str], to_add: list[str]
    ) -> None:
        own_catalog(self.account_id, catalog_id, "update LF-tags")
        authority.require(self.account_id, self.region_name, f"update LF-tag {tag_key}")
        _values_per_call(tag_key, to_add or [], "added")
        _values_per_call(tag_key, to_delete or [], "deleted")
        update_tag(self, catalog_id, tag_key, to_delete, to_add)

    def default_permissions(
        account: str, region: str, setting: str, resource: dict[str, Any], entries: list[dict[str, Any]] | None = None
    ) -> None:
        """Grant ``entries`` (PrincipalPermissions) on ``resource``; without them, the account's ``setting``."""
        lf = backends.lakeformation(account, region)
        if entries is None:
            entries = lf.get_data_lake_settings(account).get(setting) or []
        for entry in entries:
            grant(lf, account, entry["Principal"], resource, list(entry.get("Permissions", [])), [])

    create_database, create_table = GlueBackend.create_database, GlueBackend.create_table

    def create_database_with_defaults(
        self: GlueBackend, database_name: str, database_input: dict[str, Any], tags: dict[str, str] | None = None
    ) -> Any:
        if not _defaults_hold(self.account_id, self.region_name, "CreateDatabaseDefaultPermissions"):
            authority.require(self.account_id, self.region_name, f"create database {database_name}")
        created = create_database(self, database_name, database_input, tags)
        if "TargetDatabase" not in database_input:  # a resource link's permissions are granted on it explicitly
            default_permissions(
                self.account_id,
                self.region_name,
                "CreateDatabaseDefaultPermissions",
                {"Database": {"CatalogId": self.account_id, "Name": database_name}},
            )
        return created

    def create_table_with_defaults(
        self: GlueBackend, database_name: str, table_name: str, table_input: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        created = create_table(self, database_name, table_name, table_input, *args, **kwargs)
        resource = {"Table": {"CatalogId": self.account_id, "DatabaseName": database_name, "Name": table_name}}
        own = self.databases[database_name].input.get("CreateTableDefaultPermissions")  # None: the account's decide
        default_permissions(self.account_id, self.region_name, "CreateTableDefaultPermissions", resource, own)
        return created

    GlueBackend.create_database = create_database_with_defaults
    GlueBackend.create_table = create_table_with_defaults
    LakeFormationBackend.grant_permissions = grant_permissions
    LakeFormationBackend.revoke_permissions = revoke_permissions
    LakeFormationBackend.create_lf_tag = create_lf_tag
    LakeFormationBackend.update_lf_tag = update_lf_tag
