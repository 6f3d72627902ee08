"""Whether IAM and KMS key policies let a principal use a KMS key, evaluated as AWS does.

moto evaluates neither identity policies nor key policies. The rules modelled here
(AWS KMS guide: "Allowing users in other accounts to use a KMS key", "Key policies in
AWS KMS"; IAM guide: "Policy evaluation logic"):

- an explicit ``Deny`` in either policy wins;
- in the key's own account, the key policy allows the principal itself, or it allows the
  account (``arn:aws:iam::<account>:root``) and the principal's IAM policy allows the key;
- from another account, the key policy must allow the principal or its account *and*
  the principal's IAM policy must allow the key.

Statements match on ``Action``/``NotAction`` and ``Resource``/``NotResource`` with ``*``
and ``?`` wildcards, and on the condition operators the mesh's templates use
(``StringEquals``, ``StringLike``, ``StringNotEquals``, ``ArnLike``, ``ArnEquals``,
``Bool``, with ``ForAnyValue:``/``ForAllValues:`` and ``...IfExists``). Any other
operator is an error, not a silent match.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One KMS call: who makes it, on which key, with which request context (``kms:ViaService``...)."""

    principal: str
    action: str
    key_arn: str
    context: dict[str, str] = field(default_factory=dict)

    @property
    def account(self) -> str:
        return self.principal.split(":")[4]

    @property
    def key_account(self) -> str:
        return self.key_arn.split(":")[4]


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _matches(patterns: Any, value: str) -> bool:
    return any(fnmatch.fnmatchcase(value.lower(), str(p).lower()) for p in _listed(patterns))


_OPERATORS = ("StringEquals", "ArnEquals", "StringLike", "ArnLike", "StringNotEquals", "Bool")


def _string(operator: str, wanted: list[str], value: str) -> bool:
    if operator in ("StringEquals", "ArnEquals"):
        return value in wanted
    if operator in ("StringLike", "ArnLike"):
        return any(fnmatch.fnmatchcase(value, w) for w in wanted)
    if operator == "StringNotEquals":
        return value not in wanted
    return value.lower() in [w.lower() for w in wanted]  # Bool


def _condition_holds(condition: dict[str, dict[str, Any]], context: dict[str, Any]) -> bool:
    for operator, pairs in condition.items():
        qualifier, _, base = operator.rpartition(":")
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        if base not in _OPERATORS:
            raise ValueError(f"condition operator {operator} is not modelled")
        for key, expected in pairs.items():
            wanted = [str(v) if not isinstance(v, bool) else str(v).lower() for v in _listed(expected)]
            present = context.get(key)
            if present is None:
                if not if_exists and qualifier != "ForAllValues":
                    return False
                continue
            values = _listed(present)
            check = all if qualifier == "ForAllValues" else any
            if not check(_string(base, wanted, str(v)) for v in values):
                return False
    return True


def _principal_named(statement: dict[str, Any], principals: set[str]) -> bool:
    named = statement.get("Principal")
    if named == "*":
        return True
    names = _listed(named.get("AWS", [])) if isinstance(named, dict) else []
    return any(n == "*" or n in principals for n in names)


def _applies(statement: dict[str, Any], request: Request, resource: str) -> bool:
    if "Action" in statement and not _matches(statement["Action"], request.action):
        return False
    if "NotAction" in statement and _matches(statement["NotAction"], request.action):
        return False
    if "Resource" in statement and not _matches(statement["Resource"], resource):
        return False
    if "NotResource" in statement and _matches(statement["NotResource"], resource):
        return False
    context = {"aws:PrincipalArn": request.principal, "kms:CallerAccount": request.account, **request.context}
    return _condition_holds(statement.get("Condition", {}), context)


def statements(document: str | dict[str, Any]) -> list[dict[str, Any]]:
    policy = json.loads(document) if isinstance(document, str) else document
    return _listed(policy.get("Statement", []))


def decide(request: Request, key_policy: list[dict[str, Any]], identity_policy: list[dict[str, Any]]) -> str | None:
    """None when the call is allowed, else why it is denied (one line)."""
    root = f"arn:aws:iam::{request.account}:root"
    # In a key policy, Resource "*" means the key itself.
    key_statements = [s for s in key_policy if _applies(s, request, "*") or _applies(s, request, request.key_arn)]
    identity = [s for s in identity_policy if _applies(s, request, request.key_arn)]
    if any(s.get("Effect") == "Deny" and _principal_named(s, {request.principal, root, request.account}) for s in key_statements):
        return f"the key policy denies {request.action} to {request.principal}"
    if any(s.get("Effect") == "Deny" for s in identity):
        return f"the IAM policy of {request.principal} denies {request.action}"
    allows = [s for s in key_statements if s.get("Effect") == "Allow"]
    directly = any(_principal_named(s, {request.principal}) for s in allows)
    to_account = directly or any(_principal_named(s, {root, request.account}) for s in allows)
    iam_allows = any(s.get("Effect") == "Allow" for s in identity)
    if request.account == request.key_account and directly:
        return None
    if to_account and iam_allows:
        return None
    missing = [] if to_account else [f"the key policy does not allow account {request.account}"]
    missing += [] if iam_allows else [f"the IAM policy of {request.principal} does not allow the key"]
    return f"{request.action} on {request.key_arn} with {request.context or 'no context'}: {'; '.join(missing)}"
