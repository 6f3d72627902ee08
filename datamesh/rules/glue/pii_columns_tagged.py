"""Rule: the pii columns of each of a product's tables carry the LF-tag ``pii=true``."""

from __future__ import annotations

from typing import Any

from datamesh.rules.engine.cfn import TABLE, as_list, refers_to
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.glue.names import database_name


def tags_pii(lf_tags: list[dict[str, Any]]) -> bool:
    return any(t.get("TagKey") == "pii" and as_list(t.get("TagValues")) == ["true"] for t in lf_tags)


class PiiColumnsTagged(ResourceRule):
    id = "DataMesh::PiiColumnsTagged"
    applies_to = (TABLE,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        owner = context.product_of_database(database_name(resource, resource.properties.get("DatabaseName")) or "")
        if owner is None:
            return []
        name = (resource.properties.get("TableInput") or {}).get("Name")
        expected = [c for t in owner[1].tables if t.name == name for c in t.pii_columns_and_partition_keys]
        tagged: set[str] = set()
        for association in resource.stack.of_type("AWS::LakeFormation::TagAssociation"):
            properties = association.properties
            columns = (properties.get("Resource") or {}).get("TableWithColumns") or {}
            if refers_to(columns.get("Name"), resource.logical_id) and tags_pii(as_list(properties.get("LFTags"))):
                tagged.update(columns.get("ColumnNames") or [])
        untagged = [c for c in expected if c not in tagged]
        if untagged:
            return [f"pii columns {', '.join(untagged)} do not carry the LF-tag pii=true"]
        return []
