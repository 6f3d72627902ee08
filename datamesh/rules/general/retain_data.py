"""Rule: buckets, keys and Glue databases survive the deletion or replacement of their stack.

Resource links are exempt: they point at a database and hold nothing. The rule is off
when the app is told that deleting data is allowed (``-c allow-destroy=true``).
"""

from __future__ import annotations

from datamesh.rules.engine.cfn import DATABASE, KEY
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET

RETAIN = "Retain"


class RetainData(ResourceRule):
    id = "DataMesh::RetainData"
    applies_to = (BUCKET, KEY, DATABASE)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if context.allow_destroy:
            return []
        if resource.type == DATABASE and (resource.properties.get("DatabaseInput") or {}).get("TargetDatabase"):
            return []  # a resource link holds no data
        if resource.deletion_policy != RETAIN or resource.update_replace_policy != RETAIN:
            return ["DeletionPolicy and UpdateReplacePolicy must both be Retain"]
        return []
