"""Rule: data stays in its account.

No bucket policy lets another account write to the bucket, nor read it, except the
governance account's Lake Formation registration role, which may only list and read.
Service principals must be pinned to the bucket's own account with ``aws:SourceAccount``.
"""

from __future__ import annotations

import re
from typing import Any

from datamesh.rules.engine.cfn import actions, allows, as_list, statements, text
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET_POLICY

LAKE_FORMATION_READS = {"s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"}
_ACCOUNT = re.compile(r"^(\d{12})$|^arn:[^:]+:iam::(\d{12}):")


def principal_account(principal: str) -> str | None:
    match = _ACCOUNT.match(principal)
    return (match.group(1) or match.group(2)) if match else None


class DataResidency(ResourceRule):
    id = "DataMesh::DataResidency"
    applies_to = (BUCKET_POLICY,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        own = resource.stack.account
        reasons = []
        for statement in filter(allows, statements(resource.properties.get("PolicyDocument"))):
            principal = statement.get("Principal")
            if principal == "*":
                reasons.append("allows anyone (Principal '*')")
                continue
            for arn in (text(p) for p in as_list((principal or {}).get("AWS"))):
                reasons += self._aws_principal(arn, own, actions(statement), context)
            for service in as_list((principal or {}).get("Service")):
                if not self._pinned_to(statement, own):
                    reasons.append(f"allows service {service} without aws:SourceAccount {own}")
        return reasons

    @staticmethod
    def _aws_principal(arn: str, own: str, granted: list[str], context: RuleContext) -> list[str]:
        if arn == "*":
            return ["allows anyone (AWS principal '*')"]
        account = principal_account(arn)
        if account == own:
            return []
        if arn == context.registration_role_arn and set(granted) <= LAKE_FORMATION_READS:
            return []
        who = f"account {account}" if account else f"principal {arn} (account unknown at synth time)"
        return [f"lets {who} {', '.join(granted)}; only the Lake Formation registration role may read across accounts"]

    @staticmethod
    def _pinned_to(statement: dict[str, Any], account: str) -> bool:
        equals = (statement.get("Condition") or {}).get("StringEquals") or {}
        return as_list(equals.get("aws:SourceAccount")) == [account]
