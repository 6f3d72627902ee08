"""Rule: customer-managed KMS keys rotate their key material."""

from __future__ import annotations

from datamesh.rules.engine.cfn import KEY
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext


class KeyRotation(ResourceRule):
    id = "DataMesh::KeyRotation"
    applies_to = (KEY,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        properties = resource.properties
        symmetric = properties.get("KeySpec") in (None, "SYMMETRIC_DEFAULT")
        if symmetric and properties.get("EnableKeyRotation") is not True:
            return ["key rotation is not enabled"]
        return []
