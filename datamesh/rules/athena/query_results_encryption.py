"""Rule: Athena workgroups enforce KMS encryption of query results."""

from __future__ import annotations

from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext

KMS_OPTIONS = {"SSE_KMS", "CSE_KMS"}


class QueryResultsEncryption(ResourceRule):
    id = "DataMesh::QueryResultsEncryption"
    applies_to = ("AWS::Athena::WorkGroup",)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        config = resource.properties.get("WorkGroupConfiguration") or {}
        encryption = (config.get("ResultConfiguration") or {}).get("EncryptionConfiguration") or {}
        reasons = []
        if config.get("EnforceWorkGroupConfiguration") is not True:
            reasons.append("the workgroup does not enforce its configuration, so queries may write unencrypted results")
        if encryption.get("EncryptionOption") not in KMS_OPTIONS or not encryption.get("KmsKey"):
            reasons.append("query results are not encrypted with a KMS key")
        return reasons
