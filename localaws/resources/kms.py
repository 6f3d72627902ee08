"""KMS: a key model that checks its policy's principals and applies updates.

moto's own ``AWS::KMS::Key`` model accepts any policy and cannot be updated, so a
change to a key policy (a new domain joining the mesh) would be lost.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.kms.models import Key as MotoKey

from localaws.resources import backends, principals
from localaws.resources.errors import Rejected


class Key(CloudFormationModel):
    """``AWS::KMS::Key`` (symmetric or not, as the template says)."""

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::KMS::Key"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> MotoKey:
        properties = cloudformation_json.get("Properties", {})
        policy = _checked_policy(properties)
        key = backends.kms(account_id, region_name).create_key(
            policy=policy,
            key_usage=properties.get("KeyUsage", "ENCRYPT_DECRYPT"),
            key_spec=properties.get("KeySpec", "SYMMETRIC_DEFAULT"),
            description=properties.get("Description", ""),
            tags=None,
        )
        _apply(key, properties, policy)
        return key

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: MotoKey,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> MotoKey:
        properties = cloudformation_json.get("Properties", {})
        _apply(original_resource, properties, _checked_policy(properties))
        return original_resource


def _checked_policy(properties: dict[str, Any]) -> str | None:
    document = properties.get("KeyPolicy")
    if document is None:
        return None
    unknown = principals.first_missing(document)
    if unknown:
        raise Rejected(
            "MalformedPolicyDocumentException",
            f"Policy contains a statement with one or more invalid principals: {unknown} does not exist",
        )
    return document if isinstance(document, str) else json.dumps(document)


def _apply(key: MotoKey, properties: dict[str, Any], policy: str | None) -> None:
    if policy is not None:
        key.policy = policy
    key.description = properties.get("Description", "")
    key.key_rotation_status = properties.get("EnableKeyRotation", False)
    key.enabled = properties.get("Enabled", True)
    backend = backends.kms(key.account_id, key.region)
    backend.tagger.delete_all_tags_for_resource(key.id)
    tags = properties.get("Tags", [])
    if tags:
        backend.tagger.tag_resource(key.id, [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in tags])


def find_key(reference: str, account_id: str, region: str) -> MotoKey | None:
    """The key a key id, key ARN, alias name or alias ARN refers to, if it exists."""
    if reference.startswith("arn:aws:kms:"):
        _, _, _, region, account_id, resource = reference.split(":", 5)
        reference = resource.removeprefix("key/")
    backend = backends.kms(account_id, region)
    key_id = backend.get_key_id_from_alias(reference) if reference.startswith("alias/") else reference
    return backend.keys.get(key_id) if key_id else None
