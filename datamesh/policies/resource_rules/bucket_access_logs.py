"""Rule: buckets write server access logs, except the buckets that receive them."""

from __future__ import annotations

from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.buckets import is_access_log_bucket
from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


class BucketAccessLogs(ResourceRule):
    id = "DataMesh::BucketAccessLogs"
    applies_to = (s3.CfnBucket,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        logging = resource.properties.get("loggingConfiguration") or {}
        if not logging.get("destinationBucketName") and not is_access_log_bucket(resource, context):
            return ["server access logging is off"]
        return []
