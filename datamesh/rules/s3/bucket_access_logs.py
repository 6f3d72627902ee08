"""Rule: buckets write server access logs, except the buckets that receive them."""

from __future__ import annotations

from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET, is_access_log_bucket


class BucketAccessLogs(ResourceRule):
    id = "DataMesh::BucketAccessLogs"
    applies_to = (BUCKET,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        logging = resource.properties.get("LoggingConfiguration") or {}
        if not logging.get("DestinationBucketName") and not is_access_log_bucket(resource):
            return ["server access logging is off"]
        return []
