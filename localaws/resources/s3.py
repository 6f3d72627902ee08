"""S3: a bucket model that applies all the properties the mesh sets, and bucket policies.

moto's own ``AWS::S3::Bucket`` model applies only encryption and tags; this one also
applies versioning, the public access block, object ownership and access logging.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.s3.models import FakeBucket
from moto.utilities.tagging_service import TaggingService

from localaws.resources import backends, principals
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource


class Bucket(CloudFormationModel):
    """``AWS::S3::Bucket`` (a new ``BucketName`` replaces it: the engine's decision)."""

    @staticmethod
    def cloudformation_name_type() -> str:
        return "BucketName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::Bucket"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL")

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> FakeBucket:
        backend = backends.s3(account_id)
        bucket = backend.create_bucket(resource_name, region_name)
        _configure(bucket, cloudformation_json.get("Properties", {}))
        return bucket

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: FakeBucket,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> FakeBucket:
        properties = cloudformation_json.get("Properties", {})
        _configure(original_resource, properties)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        backend = backends.s3(account_id)
        if resource_name not in backend.buckets:
            return
        if backend.buckets[resource_name].keys:
            raise Rejected("BucketNotEmpty", f"The bucket you tried to delete is not empty: {resource_name}")
        backend.delete_bucket(resource_name)


def _configure(bucket: FakeBucket, properties: dict[str, Any]) -> None:
    """Apply every bucket property the mesh uses; absent ones are reset."""
    backend = backends.s3(bucket.account_id)
    rules = properties.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    if rules:
        bucket.encryption = {
            "Rule": {
                "ApplyServerSideEncryptionByDefault": rules[0]["ServerSideEncryptionByDefault"],
                "BucketKeyEnabled": rules[0].get("BucketKeyEnabled", False),
            }
        }
    bucket.versioning_status = properties.get("VersioningConfiguration", {}).get("Status")
    block = properties.get("PublicAccessBlockConfiguration")
    if block:
        backend.put_public_access_block(bucket.name, block)
    else:
        bucket.public_access_block = None
    ownership = properties.get("OwnershipControls", {}).get("Rules", [])
    bucket.ownership_rule = ownership[0]["ObjectOwnership"] if ownership else None
    bucket.logging = _logging(backend, properties.get("LoggingConfiguration"))
    backend.put_bucket_tagging(bucket.name, TaggingService().flatten_tag_list(properties.get("Tags", [])))


def _logging(backend: Any, config: dict[str, Any] | None) -> dict[str, Any]:
    if not config:
        return {}
    target = config.get("DestinationBucketName")
    if target not in backend.buckets:
        raise Rejected("InvalidTargetBucketForLogging", f"The target bucket for logging does not exist: {target}")
    return {"TargetBucket": target, "TargetPrefix": config.get("LogFilePrefix", "")}


class BucketPolicy(LocalResource, CloudFormationModel):
    """``AWS::S3::BucketPolicy``: the bucket must exist and every IAM principal it names too."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> BucketPolicy:
        policy = cls(account_id, region, properties)
        policy.physical_id = properties["Bucket"]
        policy.update(properties)
        return policy

    def update(self, properties: dict[str, Any]) -> None:
        bucket = properties["Bucket"]
        backend = backends.s3(self.account_id)
        if bucket not in backend.buckets:
            raise Rejected("NoSuchBucket", f"The specified bucket does not exist: {bucket}")
        document = properties["PolicyDocument"]
        unknown = principals.first_missing(document)
        if unknown:
            raise Rejected(
                "MalformedPolicy", f"Invalid principal in policy of bucket {bucket}: {unknown} does not exist"
            )
        text = document if isinstance(document, str) else json.dumps(document)
        backend.put_bucket_policy(bucket, text.encode())

    def delete(self, account_id: str, region_name: str) -> None:
        backend = backends.s3(account_id)
        if self.physical_id in backend.buckets:
            backend.delete_bucket_policy(self.physical_id)
