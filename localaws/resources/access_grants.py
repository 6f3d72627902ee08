"""S3 Access Grants, which moto lacks, as far as the mesh uses them: ``AWS::S3::AccessGrantsInstance``,
``AWS::S3::AccessGrantsLocation`` and ``AWS::S3::AccessGrant``, created, changed and deleted through CloudFormation.

AWS's rules modelled (Amazon S3 User Guide, "Working with grants in S3 Access Grants"; S3 Control API reference,
``Grantee``): a location is registered in the account's Access Grants instance, so it needs one; a grant is made
in a registered location, so it names one of the account's; a grantee of type ``DIRECTORY_USER`` or
``DIRECTORY_GROUP`` needs the instance associated with an IAM Identity Center instance (``IdentityCenterArn``).
The error code of each refusal is S3 Control's generic ``InvalidRequest``: the pages above do not name one.
Not modelled: the credentials S3 Access Grants vends (``GetDataAccess``).
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.core.common_models import CloudFormationModel

from localaws.resources import backends
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource

DIRECTORY = ("DIRECTORY_USER", "DIRECTORY_GROUP")


def _state(account: str, region: str) -> dict[str, Any]:
    """The account's Access Grants state in ``region``, kept on moto's Athena backend of that account and
    region (moto has no S3 Access Grants backend) so that resetting moto clears it: ``instance`` (its properties) and ``locations`` (registered ids)."""
    return backends.athena(account, region).__dict__.setdefault(
        "_localaws_access_grants", {"instance": None, "locations": set()}
    )


def instance(account: str, region: str) -> dict[str, Any] | None:
    """The account's Access Grants instance in ``region``, as created; None without one."""
    return _state(account, region)["instance"]


class AccessGrantsInstance(LocalResource, CloudFormationModel):
    """``AWS::S3::AccessGrantsInstance``: one per account and region."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::AccessGrantsInstance"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> AccessGrantsInstance:
        if instance(account_id, region) is not None:
            raise Rejected("InvalidRequest", f"account {account_id} already has an Access Grants instance in {region}")
        made = cls(account_id, region, properties)
        made.physical_id = f"arn:aws:s3:{region}:{account_id}:access-grants/default"
        _state(account_id, region)["instance"] = dict(properties)
        return made

    def update(self, properties: dict[str, Any]) -> None:
        _state(self.account_id, self.region)["instance"] = dict(properties)

    def delete(self, account_id: str, region_name: str) -> None:
        _state(account_id, region_name)["instance"] = None


class AccessGrantsLocation(LocalResource, CloudFormationModel):
    """``AWS::S3::AccessGrantsLocation``: a bucket or prefix registered with the role S3 Access Grants assumes."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::AccessGrantsLocation"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "AccessGrantsLocationId"

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "AccessGrantsLocationId":
            return self.physical_id
        return super().get_cfn_attribute(attribute_name)

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> AccessGrantsLocation:
        if instance(account_id, region) is None:
            raise Rejected("InvalidRequest", f"account {account_id} has no Access Grants instance in {region}")
        made = cls(account_id, region, properties)
        made.physical_id = uuid.uuid4().hex[:16]
        _state(account_id, region)["locations"].add(made.physical_id)
        return made

    def update(self, properties: dict[str, Any]) -> None:
        return None  # the scope is create-only; the role and tags change in place

    def delete(self, account_id: str, region_name: str) -> None:
        _state(account_id, region_name)["locations"].discard(self.physical_id)


class AccessGrant(LocalResource, CloudFormationModel):
    """``AWS::S3::AccessGrant``: a grantee's permission in a registered location."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::AccessGrant"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> AccessGrant:
        _check(account_id, region, properties)
        made = cls(account_id, region, properties)
        made.physical_id = uuid.uuid4().hex[:16]
        return made

    def update(self, properties: dict[str, Any]) -> None:
        _check(self.account_id, self.region, properties)

    def delete(self, account_id: str, region_name: str) -> None:
        return None


def _check(account: str, region: str, properties: dict[str, Any]) -> None:
    location = properties.get("AccessGrantsLocationId", "")
    if location not in _state(account, region)["locations"]:
        raise Rejected("InvalidRequest", f"no Access Grants location {location} in account {account}")
    kind = (properties.get("Grantee") or {}).get("GranteeType")
    if kind in DIRECTORY and not (instance(account, region) or {}).get("IdentityCenterArn"):
        raise Rejected(
            "InvalidRequest",
            f"a {kind} grantee needs account {account}'s Access Grants instance associated with IAM Identity Center",
        )
