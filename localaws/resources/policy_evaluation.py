"""IAM policy statements judged against one request, as IAM's policy evaluation logic does.

A statement applies when its action, resource, principal (resource policies only) and every
condition match the request; an applicable ``Deny`` wins over any ``Allow`` (IAM User Guide,
"Policy evaluation logic"). Conditions (IAM User Guide, "IAM JSON policy elements: Condition
operators"): the ``String``, ``Arn`` and ``Bool`` operators, their ``Not`` forms, ``...IfExists``
and ``Null``. Several keys in a block, and several operators, must all hold; several values of
one key, any of them. A key the request does not carry fails a positive operator, holds for a
negated one and for any ``...IfExists``. A statement with an operator not listed here does not
apply (neither allows nor denies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Any


class Effect(Enum):
    NONE = "none"
    ALLOW = "allow"
    DENY = "deny"


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """``*`` matches any run of characters, ``?`` one character."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE if ignore_case else 0) is not None


def _arn_like(pattern: str, value: str) -> bool:
    """``ArnLike``: each of the six colon-separated parts matches on its own."""
    wanted, actual = pattern.split(":", 5), value.split(":", 5)
    return len(wanted) == len(actual) and all(_wildcard(w, a) for w, a in zip(wanted, actual, strict=False))


_MATCHERS = {
    "StringEquals": lambda p, v: p == v,
    "StringEqualsIgnoreCase": lambda p, v: p.lower() == v.lower(),
    "StringLike": _wildcard,
    "ArnEquals": lambda p, v: p == v,
    "ArnLike": _arn_like,
    "Bool": lambda p, v: p.lower() == v.lower(),
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _holds(operator: str, key: str, expected: Any, context: dict[str, str]) -> bool | None:
    """Whether one operator's test of one key holds; None for an operator not modelled."""
    actual = context.get(key)
    if operator == "Null":
        return str(expected).lower() == ("true" if actual is None else "false")
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    negated = operator in _NEGATED
    matcher = _MATCHERS.get(_NEGATED.get(operator, operator))
    if matcher is None:
        return None
    if actual is None:
        return if_exists or negated
    matched = any(matcher(str(value), actual) for value in _listed(expected))
    return not matched if negated else matched


def conditions_hold(condition: dict[str, dict[str, Any]], context: dict[str, str]) -> bool:
    results = [_holds(op, key, expected, context) for op, pairs in condition.items() for key, expected in pairs.items()]
    return all(result is True for result in results)


def principal_matches(principal: Any, caller: str, caller_account: str) -> bool:
    """Whether a resource policy's ``Principal`` names the caller (an IAM role ARN), its account or everyone."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    names = _listed(principal.get("AWS", []))
    account_names = {caller_account, f"arn:aws:iam::{caller_account}:root"}
    return any(name == "*" or name == caller or name in account_names for name in names)


def statements(document: str | dict[str, Any]) -> Iterator[dict[str, Any]]:
    policy = json.loads(document) if isinstance(document, str) else document
    yield from _listed(policy.get("Statement", []))


def _matches(statement: dict[str, Any], element: str, value: str, match: Any) -> bool:
    if element in statement:
        return any(match(str(p), value) for p in _listed(statement[element]))
    negated = f"Not{element}"
    return negated in statement and not any(match(str(p), value) for p in _listed(statement[negated]))


def judge(
    documents: Iterable[str | dict[str, Any]],
    action: str,
    resource: str,
    context: dict[str, str],
    caller: str | None = None,
    caller_account: str = "",
) -> Effect:
    """What the documents say about ``action`` on ``resource``; ``caller`` set for a resource policy."""
    effect = Effect.NONE
    for document in documents:
        for statement in statements(document):
            if not _matches(statement, "Action", action, lambda p, v: _wildcard(p, v, ignore_case=True)):
                continue
            if not _matches(statement, "Resource", resource, _wildcard):
                continue
            if caller is not None and not principal_matches(statement.get("Principal"), caller, caller_account):
                continue
            if not conditions_hold(statement.get("Condition", {}), context):
                continue
            if statement.get("Effect") == "Deny":
                return Effect.DENY
            effect = Effect.ALLOW
    return effect
