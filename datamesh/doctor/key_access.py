"""Whether a role may use a KMS key, judged from the key policy and the role's IAM policies, for doctor.

The rules (AWS KMS Developer Guide, "Key policies in AWS KMS" and "Allowing users in other
accounts to use a KMS key"; IAM User Guide, "Policy evaluation logic"):

- an explicit ``Deny`` that applies, in either policy, wins;
- the key policy must allow the call: for the role itself, for ``*``, or for the role's
  account root, which only lets the account's IAM policies grant it;
- the role's IAM policies must allow it too, unless the key policy names the role (or ``*``)
  in the key's own account.

A statement applies when its principal, action (or ``NotAction``) and resource (or
``NotResource``) match (``*``/``?`` wildcards) and every condition holds for the request
context. The operators read are ``StringEquals`` (exact), ``StringLike`` (``*`` and ``?``), and
``ArnEquals`` and ``ArnLike``, which IAM treats alike: each of the ARN's six colon-separated parts
matched on its own, with ``*`` and ``?`` that never span a colon (IAM User Guide, "IAM JSON policy
elements: Condition operators", ARN condition operators). A value matches any listed one; each
operator also as ``...IfExists``. A statement with any other operator counts as not allowing and
as denying, so an unusual policy shows up as drift instead of being assumed to work.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from typing import Any

Statement = dict[str, Any]


def _arn_like(pattern: str, value: str) -> bool:
    wanted, actual = pattern.split(":", 5), value.split(":", 5)
    return len(wanted) == len(actual) == 6 and all(
        fnmatch.fnmatchcase(a, w) for w, a in zip(wanted, actual, strict=False)
    )


_OPERATORS: dict[str, Callable[[str, str], bool]] = {  # (policy value, request value) -> match
    "StringEquals": lambda wanted, present: present == wanted,
    "StringLike": lambda wanted, present: fnmatch.fnmatchcase(present, wanted),
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
}


def statements(policy: str | dict[str, Any]) -> list[Statement]:
    """The statements of a policy document (JSON text, or as boto3 returns IAM's)."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    found = document.get("Statement", [])
    return [found] if isinstance(found, dict) else list(found)


def _listed(value: Any) -> list[str]:
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _like(patterns: Any, value: str) -> bool:
    return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in _listed(patterns))


def _conditions_hold(condition: dict[str, dict[str, Any]], context: dict[str, str]) -> bool | None:
    """Whether every condition holds; None when an operator is not one this module reads."""
    for operator, pairs in condition.items():
        base = operator.removesuffix("IfExists")
        if base not in _OPERATORS:
            return None
        for key, wanted in pairs.items():
            present = next((v for k, v in context.items() if k.lower() == key.lower()), None)
            if present is None:
                if base == operator:
                    return False
                continue
            if not any(_OPERATORS[base](value, present) for value in _listed(wanted)):
                return False
    return True


def principals(statement: Statement) -> list[str]:
    """The AWS principals a statement names (`*` for anyone)."""
    named = statement.get("Principal")
    if named == "*":
        return ["*"]
    return _listed(named.get("AWS", [])) if isinstance(named, dict) else []


def _applies(statement: Statement, action: str, resource: str, context: dict[str, str]) -> bool:
    """Whether the statement covers the request. A condition this module cannot read makes a Deny apply
    and an Allow not apply, so that doubt shows as drift."""
    if "NotAction" in statement:
        acts = not _like(statement["NotAction"], action)
    else:
        acts = _like(statement.get("Action", []), action)
    if "NotResource" in statement:
        on = not _like(statement["NotResource"], resource)
    else:
        on = _like(statement.get("Resource", "*"), resource)
    holds = _conditions_hold(statement.get("Condition", {}), context)
    return acts and on and (holds if holds is not None else statement.get("Effect") == "Deny")


def problem(
    role_arn: str, key_arn: str, action: str, via: str, key_policy: list[Statement], identity: list[Statement]
) -> str | None:
    """Why ``role_arn`` may not call ``action`` on ``key_arn`` through the service ``via``; None if it may."""
    account, key_account = role_arn.split(":")[4], key_arn.split(":")[4]
    context = {
        "kms:ViaService": via,
        "kms:CallerAccount": account,
        "aws:PrincipalArn": role_arn,
        "aws:PrincipalAccount": account,
    }
    root = f"arn:aws:iam::{account}:root"
    key_side = [
        s
        for s in key_policy
        if _applies(s, action, key_arn, context) and any(p in ("*", role_arn, root, account) for p in principals(s))
    ]
    iam_side = [s for s in identity if _applies(s, action, key_arn, context)]
    denied = [s for s in key_side + iam_side if s.get("Effect") == "Deny"]
    if denied:
        return f"{action} denied by statement {denied[0].get('Sid', '(no Sid)')}"
    key_allows = [s for s in key_side if s.get("Effect") == "Allow"]
    if not key_allows:
        return f"the key policy allows no {action} for {role_arn} through {via}"
    names_role = any(p in ("*", role_arn) for s in key_allows for p in principals(s))
    if names_role and account == key_account:
        return None
    if not any(s.get("Effect") == "Allow" for s in iam_side):
        return f"the IAM policies of {role_arn} allow no {action} on {key_arn} through {via}"
    return None
