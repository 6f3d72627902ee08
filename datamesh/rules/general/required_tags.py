"""Rule: every taggable resource carries the tags ``policies.required_tags`` names."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from datamesh.annotations.tagging import LIFELONG_TAGS, TAG_PREFIX, TAGS_SET_AT_CREATION
from datamesh.policies.parameter_rules.required_tag_values import absent
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext


def tag_values(tags: Any) -> dict[str, str]:
    """A resource's ``Tags``: a list of Key/Value pairs, or a map for some types."""
    if isinstance(tags, dict):
        return tags
    return {t.get("Key"): t.get("Value") for t in tags or []}


@cache
def is_taggable(cfn_type: str) -> bool:
    """Whether CDK can tag resources of ``cfn_type``: its L1 class takes tags (``tags`` or ``cdk_tag_manager``).

    A template does not say whether a resource without ``Tags`` could have had them; the
    L1 class does. Types without an L1 class in aws-cdk-lib (custom resources) are not taggable.
    """
    parts = cfn_type.split("::")
    if len(parts) != 3 or parts[0] != "AWS":
        return False
    try:
        module = importlib.import_module(f"aws_cdk.aws_{parts[1].lower()}")
    except ImportError:
        return False
    l1 = getattr(module, f"Cfn{parts[2]}", None)
    return l1 is not None and (hasattr(l1, "tags") or hasattr(l1, "cdk_tag_manager"))


class RequiredTags(ResourceRule):
    id = "DataMesh::RequiredTags"
    applies_to = ()

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        if not is_taggable(resource.type):
            return []
        values = tag_values(resource.properties.get("Tags"))
        required = context.mesh.config.policies.required_tags
        if resource.type in TAGS_SET_AT_CREATION:  # a tag that changes would replace it
            required = [name for name in required if name in LIFELONG_TAGS]
        missing = [f"{TAG_PREFIX}{name}" for name in required if absent(values.get(f"{TAG_PREFIX}{name}"))]
        if missing:
            return [f"missing tags {', '.join(missing)}"]
        return []
