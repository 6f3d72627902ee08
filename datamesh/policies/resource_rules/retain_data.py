"""Rule: buckets, keys and Glue databases survive the deletion or replacement of their stack.

Resource links are exempt: they point at a database and hold nothing. The rule is off
when the app is told that deleting data is allowed (``-c allow-destroy=true``).
"""

from __future__ import annotations

from aws_cdk import CfnDeletionPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


class RetainData(ResourceRule):
    id = "DataMesh::RetainData"
    applies_to = (s3.CfnBucket, kms.CfnKey, glue.CfnDatabase)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if context.allow_destroy:
            return []
        if isinstance(resource.node, glue.CfnDatabase) and (resource.properties.get("databaseInput") or {}).get("targetDatabase"):
            return []
        options = resource.node.cfn_options
        if options.deletion_policy != CfnDeletionPolicy.RETAIN or options.update_replace_policy != CfnDeletionPolicy.RETAIN:
            return ["DeletionPolicy and UpdateReplacePolicy must both be Retain"]
        return []
