"""Rule: every taggable resource carries the tags ``policies.required_tags`` names."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnResource, TagManager

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext

TAG_PREFIX = "datamesh:"


def tag_values(tags: Any) -> dict[str, str]:
    """Resolved ``tags`` of a resource: a list of key/value pairs, or a map for some types."""
    if isinstance(tags, dict):
        return tags
    return {t.get("key"): t.get("value") for t in tags or []}


class RequiredTags(ResourceRule):
    id = "DataMesh::RequiredTags"
    applies_to = (CfnResource,)

    def __init__(self) -> None:
        self._taggable: dict[type, bool] = {}  # per L1 class: every instance of one is taggable, or none is

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if not self._is_taggable(resource.node):
            return []
        values = tag_values(resource.properties.get("tags"))
        missing = [f"{TAG_PREFIX}{name}" for name in context.mesh.config.policies.required_tags
                   if not values.get(f"{TAG_PREFIX}{name}")]
        if missing:
            return [f"missing tags {', '.join(missing)}"]
        return []

    def _is_taggable(self, node: CfnResource) -> bool:
        kind = type(node)
        if kind is CfnResource:  # a resource type without an L1 class: ask the instance
            return TagManager.is_taggable(node)
        if kind not in self._taggable:
            self._taggable[kind] = TagManager.is_taggable(node)
        return self._taggable[kind]
