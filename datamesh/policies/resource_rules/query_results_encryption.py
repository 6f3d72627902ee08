"""Rule: Athena workgroups enforce KMS encryption of query results."""

from __future__ import annotations

from aws_cdk import aws_athena as athena

from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext

KMS_OPTIONS = {"SSE_KMS", "CSE_KMS"}


class QueryResultsEncryption(ResourceRule):
    id = "DataMesh::QueryResultsEncryption"
    applies_to = (athena.CfnWorkGroup,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        config = resource.properties.get("workGroupConfiguration") or {}
        encryption = (config.get("resultConfiguration") or {}).get("encryptionConfiguration") or {}
        reasons = []
        if config.get("enforceWorkGroupConfiguration") is not True:
            reasons.append("the workgroup does not enforce its configuration, so queries may write unencrypted results")
        if encryption.get("encryptionOption") not in KMS_OPTIONS or not encryption.get("kmsKey"):
            reasons.append("query results are not encrypted with a KMS key")
        return reasons
