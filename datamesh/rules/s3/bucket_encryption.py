"""Rule: buckets are encrypted with a customer-managed KMS key.

Exception: a bucket that receives server access logs uses SSE-S3, because S3 server access
logging cannot deliver to a bucket whose default encryption is SSE-KMS.
"""

from __future__ import annotations

from typing import Any

from datamesh.rules.engine.cfn import KEY, as_list, refers_to
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET, is_access_log_bucket

KMS_ALGORITHMS = {"aws:kms", "aws:kms:dsse"}


class BucketEncryption(ResourceRule):
    id = "DataMesh::BucketEncryption"
    applies_to = (BUCKET,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        rules = as_list((resource.properties.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration"))
        defaults = [rule.get("ServerSideEncryptionByDefault") or {} for rule in rules]
        if is_access_log_bucket(resource):
            if not any(d.get("SSEAlgorithm") == "AES256" for d in defaults):
                return ["an access-log bucket must use SSE-S3 (AES256), the only encryption S3 log delivery supports"]
            return []
        if not any(
            d.get("SSEAlgorithm") in KMS_ALGORITHMS and self._customer_managed(resource, d.get("KMSMasterKeyID"))
            for d in defaults
        ):
            return ["bucket is not encrypted with a customer-managed KMS key (SSE-KMS with a key of the mesh)"]
        return []

    @staticmethod
    def _customer_managed(resource: Resource, key: Any) -> bool:
        if isinstance(key, str):
            return ":key/" in key  # a key ARN; aliases such as alias/aws/s3 may be AWS-managed
        return any(refers_to(key, k.logical_id) for k in resource.stack.of_type(KEY))
