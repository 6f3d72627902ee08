"""Rule: buckets keep every version of every object."""

from __future__ import annotations

from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


class BucketVersioning(ResourceRule):
    id = "DataMesh::BucketVersioning"
    applies_to = (s3.CfnBucket,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if (resource.properties.get("versioningConfiguration") or {}).get("status") != "Enabled":
            return ["versioning is not enabled"]
        return []
