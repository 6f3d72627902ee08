"""Rule: the pii columns of a product's table carry the LF-tag ``pii=true``."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_glue as glue
from aws_cdk import aws_lakeformation as lf

from datamesh.policies.resource_rules.cfn import as_list, refers_to
from datamesh.policies.resource_rules.glue_names import database_name, pii_columns
from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


def tags_pii(lf_tags: list[dict[str, Any]]) -> bool:
    return any(t.get("tagKey") == "pii" and as_list(t.get("tagValues")) == ["true"] for t in lf_tags)


class PiiColumnsTagged(ResourceRule):
    id = "DataMesh::PiiColumnsTagged"
    applies_to = (glue.CfnTable,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        owner = context.product_of_database(database_name(resource, resource.properties.get("databaseName"), context) or "")
        if owner is None:
            return []
        expected = pii_columns(owner[1])
        tagged: set[str] = set()
        for association in context.resources(resource, lf.CfnTagAssociation):
            properties = association.properties
            columns = (properties.get("resource") or {}).get("tableWithColumns") or {}
            if refers_to(columns.get("name"), resource.logical_id) and tags_pii(as_list(properties.get("lfTags"))):
                tagged.update(columns.get("columnNames") or [])
        untagged = [c for c in expected if c not in tagged]
        if untagged:
            return [f"pii columns {', '.join(untagged)} do not carry the LF-tag pii=true"]
        return []
