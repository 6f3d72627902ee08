"""Rule: buckets block every kind of public access."""

from __future__ import annotations

from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


class BucketPublicAccess(ResourceRule):
    id = "DataMesh::BucketPublicAccess"
    applies_to = (BUCKET,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        block = resource.properties.get("PublicAccessBlockConfiguration") or {}
        missing = [setting for setting in SETTINGS if block.get(setting) is not True]
        if missing:
            return [f"public access is not fully blocked ({', '.join(missing)} not true)"]
        return []
