"""Rule: customer-managed KMS keys rotate their key material."""

from __future__ import annotations

from aws_cdk import aws_kms as kms

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


class KeyRotation(ResourceRule):
    id = "DataMesh::KeyRotation"
    applies_to = (kms.CfnKey,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        properties = resource.properties
        symmetric = properties.get("keySpec") in (None, "SYMMETRIC_DEFAULT")
        if symmetric and properties.get("enableKeyRotation") is not True:
            return ["key rotation is not enabled"]
        return []
