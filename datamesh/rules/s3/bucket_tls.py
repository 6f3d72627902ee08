"""Rule: a bucket's policy denies every request that does not use TLS."""

from __future__ import annotations

from typing import Any

from datamesh.rules.engine.cfn import actions, as_list, refers_to, statements
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET, BUCKET_POLICY


def denies_plain_http(statement: dict[str, Any]) -> bool:
    secure = ((statement.get("Condition") or {}).get("Bool") or {}).get("aws:SecureTransport")
    principal = statement.get("Principal")
    return (
        statement.get("Effect") == "Deny"
        and str(secure).lower() == "false"
        and (principal == "*" or "*" in as_list((principal or {}).get("AWS")))
        and bool({"s3:*", "*"} & set(actions(statement)))
    )


class BucketTls(ResourceRule):
    id = "DataMesh::BucketTls"
    applies_to = (BUCKET,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        for policy in resource.stack.of_type(BUCKET_POLICY):
            if refers_to(policy.properties.get("Bucket"), resource.logical_id) and any(
                denies_plain_http(s) for s in statements(policy.properties.get("PolicyDocument"))
            ):
                return []
        return ["no bucket policy denies requests without TLS (aws:SecureTransport false)"]
