"""Rule: buckets keep every version of every object."""

from __future__ import annotations

from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET


class BucketVersioning(ResourceRule):
    id = "DataMesh::BucketVersioning"
    applies_to = (BUCKET,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if (resource.properties.get("VersioningConfiguration") or {}).get("Status") != "Enabled":
            return ["versioning is not enabled"]
        return []
