"""What the bucket rules share: which buckets of a stack receive server access logs."""

from __future__ import annotations

from datamesh.rules.engine.cfn import refers_to
from datamesh.rules.engine.rule import Resource

BUCKET = "AWS::S3::Bucket"
BUCKET_POLICY = "AWS::S3::BucketPolicy"


def is_access_log_bucket(bucket: Resource) -> bool:
    """Whether another bucket of the stack sends its server access logs to ``bucket``."""
    return any(
        refers_to((other.properties.get("LoggingConfiguration") or {}).get("DestinationBucketName"), bucket.logical_id)
        for other in bucket.stack.of_type(BUCKET)
        if other is not bucket
    )
