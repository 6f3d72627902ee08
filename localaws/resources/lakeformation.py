"""Lake Formation: admins, LF-tags and their associations, data locations, grants."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.lakeformation.models import LakeFormationBackend

from localaws.resources import authority, backends, grants, principals, ram
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource


def _require_principal(principal: str) -> None:
    if principals.missing(principal):
        raise Rejected("InvalidInputException", f"Invalid principal: {principal} does not exist")


def _own_catalog(account_id: str, catalog_id: str, what: str) -> None:
    if catalog_id != account_id:
        raise Rejected("AccessDeniedException", f"Account {account_id} cannot {what} in the catalog of account {catalog_id}")


# CloudFormation property -> data lake settings key, for the settings other than admins.
_SETTINGS = {
    "ReadOnlyAdmins": "ReadOnlyAdmins",
    "CreateDatabaseDefaultPermissions": "CreateDatabaseDefaultPermissions",
    "CreateTableDefaultPermissions": "CreateTableDefaultPermissions",
    "TrustedResourceOwners": "TrustedResourceOwners",
    "AllowExternalDataFiltering": "AllowExternalDataFiltering",
    "ExternalDataFilteringAllowList": "ExternalDataFilteringAllowList",
    "AuthorizedSessionTagValueList": "AuthorizedSessionTagValueList",
    "Parameters": "Parameters",
}


class DataLakeSettings(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::DataLakeSettings``.

    ``MutationType: APPEND`` adds its admins to those set outside the stack and, when
    deleted, removes only the ones it added; ``REPLACE`` (the default) sets the list.
    Every admin must be an existing principal.
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::DataLakeSettings"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataLakeSettings:
        settings = cls(account_id, region, properties)
        settings.physical_id = account_id
        settings.added = []
        settings.update(properties)
        return settings

    def update(self, properties: dict[str, Any]) -> None:
        admins = properties.get("Admins", [])
        for admin in admins:
            _require_principal(admin["DataLakePrincipalIdentifier"])
        lf = backends.lakeformation(self.account_id, self.region)
        settings = lf.get_data_lake_settings(self.account_id)
        current = [a for a in settings["DataLakeAdmins"] if a not in self.added]
        before = {a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]}
        if properties.get("MutationType", "REPLACE") == "APPEND":
            self.added = [a for a in admins if a not in current]
            settings["DataLakeAdmins"] = current + self.added
        else:
            self.added = list(admins)
            settings["DataLakeAdmins"] = list(admins)
        new = [a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]]
        authority.record_admins(self.account_id, self.region, [a for a in new if a not in before])
        for prop, key in _SETTINGS.items():
            if prop in properties:
                settings[key] = properties[prop]

    def delete(self, account_id: str, region_name: str) -> None:
        settings = backends.lakeformation(account_id, region_name).get_data_lake_settings(account_id)
        settings["DataLakeAdmins"] = [a for a in settings["DataLakeAdmins"] if a not in self.added]


# One CreateLFTag or UpdateLFTag call takes at most this many values (Lake Formation API
# reference: LFTag.TagValues, UpdateLFTag.TagValuesToAdd/TagValuesToDelete); an LF-tag holds
# at most 1000 ("Lake Formation quotas"). Whether CloudFormation's handler splits longer
# lists into several calls is not documented; the local AWS assumes it does not.
VALUES_PER_CALL = 50


def _values_per_call(key: str, values: list[str], what: str) -> None:
    if len(values) > VALUES_PER_CALL:
        raise Rejected(
            "InvalidInputException",
            f"LF-tag {key}: {len(values)} values {what} in one call; Lake Formation takes at most {VALUES_PER_CALL}",
        )


class Tag(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::Tag``: an LF-tag key and its allowed values, created by a data lake
    admin, at most 50 values at a time (see ``VALUES_PER_CALL``)."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::Tag"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Tag:
        catalog_id = properties.get("CatalogId", account_id)
        _own_catalog(account_id, catalog_id, "create LF-tags")
        key = properties["TagKey"]
        authority.require(account_id, region, f"create LF-tag {key}")
        _values_per_call(key, properties["TagValues"], "created")
        lf = backends.lakeformation(account_id, region)
        if key in lf.list_lf_tags(catalog_id):
            raise Rejected("AlreadyExistsException", f"LF-tag {key} already exists in catalog {catalog_id}")
        lf.create_lf_tag(catalog_id, key, list(properties["TagValues"]))
        tag = cls(account_id, region, properties)
        tag.physical_id = key
        return tag

    def update(self, properties: dict[str, Any]) -> None:
        catalog_id = properties.get("CatalogId", self.account_id)
        old, new = self.properties["TagValues"], properties["TagValues"]
        removed, added = [v for v in old if v not in new], [v for v in new if v not in old]
        authority.require(self.account_id, self.region, f"update LF-tag {self.physical_id}")
        _values_per_call(self.physical_id, added, "added")
        _values_per_call(self.physical_id, removed, "deleted")
        backends.lakeformation(self.account_id, self.region).update_lf_tag(catalog_id, self.physical_id, removed, added)

    def delete(self, account_id: str, region_name: str) -> None:
        catalog_id = self.properties.get("CatalogId", account_id)
        lf = backends.lakeformation(account_id, region_name)
        if self.physical_id in lf.list_lf_tags(catalog_id):
            lf.delete_lf_tag(catalog_id, self.physical_id)


class TagAssociation(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::TagAssociation``: LF-tags on an existing database, table or columns.

    The tags and their values must exist; tags with other keys already on the resource stay.
    The deployer must be a data lake admin. Both properties are create-only: a change
    replaces the association (old one first, as its schema says).
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::TagAssociation"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> TagAssociation:
        association = cls(account_id, region, properties)
        association.physical_id = json.dumps(properties["Resource"], sort_keys=True)
        association._attach(properties)
        return association

    def _attach(self, properties: dict[str, Any]) -> None:
        resource = grants.normalized(properties["Resource"], self.account_id)
        grants.require(resource, self.region)
        authority.require(self.account_id, self.region, f"associate LF-tags with {_describe(resource)}")
        tags = [dict(t, CatalogId=t.get("CatalogId", self.account_id)) for t in properties["LFTags"]]
        for tag in tags:
            grants.require_tag(tag["CatalogId"], tag["TagKey"], tag["TagValues"], self.region)
        _attach(backends.lakeformation(self.account_id, self.region), resource, tags)

    def delete(self, account_id: str, region_name: str) -> None:
        lf = backends.lakeformation(account_id, region_name)
        _detach(lf, grants.normalized(self.properties["Resource"], account_id), self.properties["LFTags"])


def _tag_lists(lf: LakeFormationBackend, resource: dict[str, Any]) -> list[tuple[dict[tuple[str, ...], Any], tuple[str, ...]]]:
    """Where moto keeps the LF-tags of a resource: (its dict, key) for each tagged entity."""
    kind, spec = grants.kind_of(resource)
    if kind == "Database":
        return [(lf.lf_database_tags, (spec["CatalogId"], spec["Name"]))]
    if kind == "Table":
        return [(lf.lf_table_tags, (spec["CatalogId"], spec["DatabaseName"], spec["Name"]))]
    if kind == "TableWithColumns":
        return [
            (lf.lf_columns_tags, (spec["CatalogId"], spec["DatabaseName"], spec["Name"], column))
            for column in spec["ColumnNames"]
        ]
    raise Rejected("InvalidInputException", f"LF-tags cannot be attached to a {kind} resource")


def _attach(lf: LakeFormationBackend, resource: dict[str, Any], tags: list[dict[str, Any]]) -> None:
    keys = {t["TagKey"] for t in tags}
    for store, key in _tag_lists(lf, resource):
        store[key] = [t for t in store.get(key, []) if t["TagKey"] not in keys] + tags


def _detach(lf: LakeFormationBackend, resource: dict[str, Any], tags: list[dict[str, Any]]) -> None:
    keys = {t["TagKey"] for t in tags}
    for store, key in _tag_lists(lf, resource):
        if key in store:
            store[key] = [t for t in store[key] if t["TagKey"] not in keys]


class DataLocation(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::Resource``: registers an S3 location that must exist.

    The bucket may be in another account; the registering role must exist unless the
    service-linked role is used.
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::Resource"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataLocation:
        arn = properties["ResourceArn"]
        bucket = arn.removeprefix("arn:aws:s3:::").split("/", 1)[0]
        if not arn.startswith("arn:aws:s3:::") or backends.bucket_owner(bucket) is None:
            raise Rejected("InvalidInputException", f"Cannot register {arn}: the bucket {bucket} does not exist")
        lf = backends.lakeformation(account_id, region)
        if arn in lf.resources:
            raise Rejected("AlreadyExistsException", f"{arn} is already registered with Lake Formation")
        location = cls(account_id, region, properties)
        location.physical_id = arn
        lf.register_resource(arn, location._role(properties))
        return location

    def _role(self, properties: dict[str, Any]) -> str:
        if properties.get("UseServiceLinkedRole"):
            return (
                f"arn:aws:iam::{self.account_id}:role/aws-service-role/lakeformation.amazonaws.com/"
                "AWSServiceRoleForLakeFormationDataAccess"
            )
        role = properties.get("RoleArn")
        if not role:
            raise Rejected("InvalidInputException", f"Registering {properties['ResourceArn']} needs a RoleArn or UseServiceLinkedRole")
        _require_principal(role)
        return role

    def update(self, properties: dict[str, Any]) -> None:
        backends.lakeformation(self.account_id, self.region).resources[self.physical_id].role_arn = self._role(properties)

    def delete(self, account_id: str, region_name: str) -> None:
        backends.lakeformation(account_id, region_name).resources.pop(self.physical_id, None)


class PrincipalPermissions(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::PrincipalPermissions``: one grant from the account's catalog.

    Identified by catalog, principal and resource (the schema's ``primaryIdentifier``):
    a second resource with the same identity fails with ``AlreadyExists``. Every property
    is create-only, so any change replaces the grant, and the schema's
    ``replacementStrategy: delete_then_create`` revokes the old grant before the new one
    is made (:mod:`localaws.stack_operations`).
    Lake Formation keeps no count of overlapping grants: deleting one revokes its
    permissions whoever else granted them.

    The resource and the principal must exist, and the deployer must be a data lake
    admin or hold the permissions with grant option. On a resource of another account's
    catalog, the account must hold every permission it grants with grant option and
    have the share in use (see :mod:`localaws.resources.ram`). A grant to another
    account on a named resource shares it through AWS RAM.
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::PrincipalPermissions"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> PrincipalPermissions:
        grant = cls(account_id, region, properties)
        grant._apply(properties)
        return grant

    def delete(self, account_id: str, region_name: str) -> None:
        catalog_id, principal, resource = self._target(self.properties)
        lf = backends.lakeformation(account_id, region_name)
        lf.revoke_permissions(
            catalog_id, principal, resource,
            self.properties.get("Permissions", []), self.properties.get("PermissionsWithGrantOption", []),
        )
        _identities(lf).pop(self.physical_id, None)

    def _target(self, properties: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
        catalog_id = properties.get("Catalog", self.account_id)
        return catalog_id, properties["Principal"], grants.normalized(properties["Resource"], catalog_id)

    def _check(self, properties: dict[str, Any]) -> None:
        catalog_id, principal, resource = self._target(properties)
        _own_catalog(self.account_id, catalog_id, "grant permissions")
        _require_principal(principal["DataLakePrincipalIdentifier"])
        grants.require(resource, self.region)
        wanted = sorted(set(properties.get("Permissions", [])) | set(properties.get("PermissionsWithGrantOption", [])))
        owner = grants.owner(resource, catalog_id)
        authority.require(
            self.account_id, self.region, f"grant {', '.join(wanted)} on {_describe(resource)}",
            lambda holder: not grants.not_grantable(holder, resource, wanted, self.region),
        )
        if owner == catalog_id:
            return
        missing = grants.not_grantable(self.account_id, resource, wanted, self.region)
        if missing:
            raise Rejected(
                "AccessDeniedException",
                f"Insufficient Lake Formation permission(s): account {self.account_id} does not hold "
                f"{', '.join(missing)} with grant option on {_describe(resource)} "
                f"(no grant from catalog {owner} to the account)",
            )
        ram.require_in_use(owner, self.account_id, resource, self.region)

    def _apply(self, properties: dict[str, Any]) -> None:
        catalog_id, principal, resource = self._target(properties)
        identity = f"{catalog_id}|{principal['DataLakePrincipalIdentifier']}|{json.dumps(resource, sort_keys=True)}"
        lf = backends.lakeformation(self.account_id, self.region)
        if identity in _identities(lf):
            raise Rejected(
                "AlreadyExists",
                f"Resource of type 'AWS::LakeFormation::PrincipalPermissions' with identifier '{identity}' already exists "
                f"(as {_identities(lf)[identity]}: one resource per catalog, principal and resource)",
            )
        self._check(properties)
        lf.grant_permissions(
            catalog_id, principal, resource,
            list(properties.get("Permissions", [])), list(properties.get("PermissionsWithGrantOption", [])),
        )
        ram.share(catalog_id, principal["DataLakePrincipalIdentifier"], resource, self.region)
        self.physical_id = identity
        _identities(lf)[identity] = self.deployer.logical_id or identity


def _identities(lf: LakeFormationBackend) -> dict[str, str]:
    """Identity of each PrincipalPermissions resource that exists -> its logical id."""
    return lf.__dict__.setdefault("_localaws_grant_identities", {})


def _describe(resource: dict[str, Any]) -> str:
    kind, spec = grants.kind_of(resource)
    if kind == "Database":
        return f"database {spec['Name']}"
    if kind in ("Table", "TableWithColumns"):
        columns = " (columns)" if kind == "TableWithColumns" else ""
        return f"table {spec['DatabaseName']}.{spec.get('Name', '*')}{columns}"
    return f"{kind} {json.dumps(spec, sort_keys=True)}"
