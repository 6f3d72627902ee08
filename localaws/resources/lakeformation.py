"""Lake Formation: admins, LF-tags and their associations, data locations, grants."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.lakeformation.models import LakeFormationBackend

from localaws.resources import authority, backends, deployer, grants
from localaws.resources.errors import Rejected
from localaws.resources.lakeformation_api import NOTHING_REVOKED, stored
from localaws.resources.lakeformation_api import describe as _describe
from localaws.resources.lakeformation_api import require_principal as _require_principal
from localaws.resources.model import LocalResource

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


class Tag(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::Tag``: an LF-tag key and its allowed values, through the API's
    ``CreateLFTag`` and ``UpdateLFTag`` (a data lake admin, at most 50 values a call:
    :mod:`localaws.resources.lakeformation_api`)."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::LakeFormation::Tag"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Tag:
        key = properties["TagKey"]
        lf = backends.lakeformation(account_id, region)
        lf.create_lf_tag(properties.get("CatalogId", account_id), key, list(properties["TagValues"]))
        tag = cls(account_id, region, properties)
        tag.physical_id = key
        return tag

    def update(self, properties: dict[str, Any]) -> None:
        catalog_id = properties.get("CatalogId", self.account_id)
        old, new = self.properties["TagValues"], properties["TagValues"]
        removed, added = [v for v in old if v not in new], [v for v in new if v not in old]
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


def _tag_lists(
    lf: LakeFormationBackend, resource: dict[str, Any]
) -> list[tuple[dict[tuple[str, ...], Any], tuple[str, ...]]]:
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
            raise Rejected(
                "InvalidInputException",
                f"Registering {properties['ResourceArn']} needs a RoleArn or UseServiceLinkedRole",
            )
        _require_principal(role)
        return role

    def update(self, properties: dict[str, Any]) -> None:
        backends.lakeformation(self.account_id, self.region).resources[self.physical_id].role_arn = self._role(
            properties
        )

    def delete(self, account_id: str, region_name: str) -> None:
        backends.lakeformation(account_id, region_name).resources.pop(self.physical_id, None)


class PrincipalPermissions(LocalResource, CloudFormationModel):
    """``AWS::LakeFormation::PrincipalPermissions``: one grant from the account's catalog.

    Identified by catalog, principal and resource (the schema's ``primaryIdentifier``), the
    resource as Lake Formation stores it (SELECT on every column is SELECT on the table): a
    second resource with the same identity fails with ``AlreadyExists`` (an assumption: the
    handler is expected to find the first grant when it lists the principal's permissions). Every property
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
        # CloudFormation deletes as the stack's role, after every create and update of the operation (no race)
        stack_role = deployer.of_stack(self.deployer.stack_id, account_id, region_name, self.deployer.logical_id, {})
        try:
            with deployer.acting(deployer.Deployer(stack_role.principal)):
                lf.revoke_permissions(
                    catalog_id,
                    principal,
                    resource,
                    self.properties.get("Permissions", []),
                    self.properties.get("PermissionsWithGrantOption", []),
                )
        except Rejected as exc:  # revoked already: a delete handler's not-found, which CloudFormation takes as deleted
            if exc.message != NOTHING_REVOKED:
                raise
        _identities(lf).pop(self.physical_id, None)

    def _target(self, properties: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
        catalog_id = properties.get("Catalog", self.account_id)
        return catalog_id, properties["Principal"], stored(properties["Resource"], catalog_id)

    def _apply(self, properties: dict[str, Any]) -> None:
        catalog_id, principal, resource = self._target(properties)
        identity = f"{catalog_id}|{principal['DataLakePrincipalIdentifier']}|{json.dumps(resource, sort_keys=True)}"
        lf = backends.lakeformation(self.account_id, self.region)
        if identity in _identities(lf):
            raise Rejected(
                "AlreadyExists",
                f"Resource of type 'AWS::LakeFormation::PrincipalPermissions' with identifier '{identity}' already exists "
                f"(as {_identities(lf)[identity]}: one resource per catalog, principal and resource as Lake Formation "
                "stores it)",
            )
        lf.grant_permissions(
            catalog_id,
            principal,
            resource,
            list(properties.get("Permissions", [])),
            list(properties.get("PermissionsWithGrantOption", [])),
        )
        self.physical_id = identity
        _identities(lf)[identity] = self.deployer.logical_id or identity


def _identities(lf: LakeFormationBackend) -> dict[str, str]:
    """Identity of each PrincipalPermissions resource that exists -> its logical id."""
    return lf.__dict__.setdefault("_localaws_grant_identities", {})
