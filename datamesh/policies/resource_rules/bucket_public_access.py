"""Rule: buckets block every kind of public access."""

from __future__ import annotations

from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext

SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


class BucketPublicAccess(ResourceRule):
    id = "DataMesh::BucketPublicAccess"
    applies_to = (s3.CfnBucket,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        block = resource.properties.get("publicAccessBlockConfiguration") or {}
        missing = [setting for setting in SETTINGS if block.get(setting) is not True]
        if missing:
            return [f"public access is not fully blocked ({', '.join(missing)} not true)"]
        return []
