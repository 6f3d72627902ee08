"""Rule: every taggable resource carries the tags ``policies.required_tags`` names."""

from __future__ import annotations

from aws_cdk import CfnResource, TagManager

from datamesh.policies.resource_rules.rule import ResourceRule, RuleContext

TAG_PREFIX = "datamesh:"


class RequiredTags(ResourceRule):
    id = "DataMesh::RequiredTags"
    applies_to = (CfnResource,)

    def check(self, node: CfnResource, context: RuleContext) -> list[str]:
        tags = TagManager.of(node)
        if tags is None:
            return []
        values = tags.tag_values()
        missing = [f"{TAG_PREFIX}{name}" for name in context.mesh.config.policies.required_tags
                   if not values.get(f"{TAG_PREFIX}{name}")]
        if missing:
            return [f"missing tags {', '.join(missing)}"]
        return []
