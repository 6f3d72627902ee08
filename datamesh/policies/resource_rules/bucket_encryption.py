"""Rule: buckets are encrypted with a customer-managed KMS key.

Exception: a bucket that receives server access logs uses SSE-S3, because S3 server access
logging cannot deliver to a bucket whose default encryption is SSE-KMS.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.buckets import is_access_log_bucket
from datamesh.policies.resource_rules.cfn import as_list, refers_to
from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext

KMS_ALGORITHMS = {"aws:kms", "aws:kms:dsse"}


class BucketEncryption(ResourceRule):
    id = "DataMesh::BucketEncryption"
    applies_to = (s3.CfnBucket,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        rules = as_list((resource.properties.get("bucketEncryption") or {}).get("serverSideEncryptionConfiguration"))
        defaults = [rule.get("serverSideEncryptionByDefault") or {} for rule in rules]
        if is_access_log_bucket(resource, context):
            if not any(d.get("sseAlgorithm") == "AES256" for d in defaults):
                return ["an access-log bucket must use SSE-S3 (AES256), the only encryption S3 log delivery supports"]
            return []
        if not any(d.get("sseAlgorithm") in KMS_ALGORITHMS and self._customer_managed(resource, d.get("kmsMasterKeyId"), context)
                   for d in defaults):
            return ["bucket is not encrypted with a customer-managed KMS key (SSE-KMS with a key of the mesh)"]
        return []

    @staticmethod
    def _customer_managed(resource: Resource, key: Any, context: RuleContext) -> bool:
        if isinstance(key, str):
            return ":key/" in key  # a key ARN; aliases such as alias/aws/s3 may be AWS-managed
        return any(refers_to(key, k.logical_id) for k in context.resources(resource, kms.CfnKey))
