"""S3 bucket policies, evaluated as S3 does for a request made over TLS.

moto applies a bucket policy statement even when its condition does not hold, and it
cannot evaluate ``Bool`` conditions, so the TLS-only statement on every mesh bucket
(and on the CDK staging bucket) denied every object request. The local AWS stands in
for HTTPS endpoints: a request counts as ``aws:SecureTransport=true``. A statement
whose condition uses another key, or an operator other than ``Bool`` and
``StringEquals``, does not apply.
"""

from __future__ import annotations

import json
from typing import Any

from moto.iam.access_control import IAMPolicyStatement, PermissionResult
from moto.s3.models import FakeBucket

REQUEST_CONTEXT = {"aws:SecureTransport": "true"}
_OPERATORS = ("Bool", "StringEquals")


def condition_holds(condition: dict[str, dict[str, Any]]) -> bool:
    """Whether a statement's ``Condition`` block holds for a local request."""
    for operator, pairs in condition.items():
        for key, expected in pairs.items():
            allowed = [str(v).lower() for v in ([expected] if isinstance(expected, (str, bool)) else expected)]
            if operator not in _OPERATORS or REQUEST_CONTEXT.get(key) not in allowed:
                return False
    return True


def get_permission(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    """What the bucket's policy says about ``action`` on ``resource`` (deny wins)."""
    if self.policy is None:
        return PermissionResult.NEUTRAL
    statements = json.loads(self.policy)["Statement"]
    permitted = False
    for statement in [statements] if isinstance(statements, dict) else statements:
        if not condition_holds(statement.get("Condition", {})):
            continue
        unconditional = {k: v for k, v in statement.items() if k != "Condition"}
        result = IAMPolicyStatement(unconditional).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return result
        permitted = permitted or result == PermissionResult.PERMITTED
    return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL


def install() -> None:
    FakeBucket.get_permission = get_permission
