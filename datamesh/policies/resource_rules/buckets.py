"""What the bucket rules share: which buckets of a stack receive server access logs."""

from __future__ import annotations

from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.cfn import refers_to
from datamesh.policies.resource_rules.rule import Resource, RuleContext


def is_access_log_bucket(bucket: Resource, context: RuleContext) -> bool:
    """Whether another bucket of the stack sends its server access logs to ``bucket``."""
    return any(
        refers_to((other.properties.get("loggingConfiguration") or {}).get("destinationBucketName"), bucket.logical_id)
        for other in context.resources(bucket, s3.CfnBucket)
        if other is not bucket
    )
