"""IAM policy documents as the L1 resources take them, written as CDK's L2 constructs render them.

The mesh's roles, keys and buckets are L1 resources (an L2 construct costs tens of jsii
round trips and its policy documents are built in Node at synthesis); their documents are
plain dictionaries, in the shape ``aws_iam.PolicyDocument`` renders with the
``@aws-cdk/aws-iam:minimizePolicies`` flag the app sets: statements in the order given,
duplicates dropped, keys in order, ``Action`` and ``Resource`` without duplicates and sorted
(literals before tokens), a single value without its list. No two statements the mesh writes
could be merged (each has a ``Sid``, an other effect or condition, or differs in both actions
and resources), so none is merged. tests/app/test_template_reference.py pins the output.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import Aws

# A static property read is a round trip to jsii; every principal uses the same value.
_PARTITION = Aws.PARTITION
VERSION = "2012-10-17"

Statement = dict[str, Any]


def _is_token(value: str) -> bool:
    return "${Token[" in value


def _values(values: Sequence[str]) -> str | list[str]:
    """Unique and sorted as CDK sorts them (by their JSON: a literal's quote sorts before a token's object)."""
    unique = sorted(dict.fromkeys(values), key=lambda v: (_is_token(v), v))
    return unique[0] if len(unique) == 1 else unique


def statement(
    *,
    actions: Sequence[str],
    resources: Sequence[str],
    sid: str | None = None,
    effect: str = "Allow",
    principal: Mapping[str, str] | None = None,
    conditions: Mapping[str, Mapping[str, Any]] | None = None,
) -> Statement:
    """One statement; ``principal`` is its ``Principal`` (``{"AWS": arn}``, ``{"Service": name}``), for resource policies."""
    rendered: Statement = {"Action": _values(actions)}
    if conditions:
        rendered["Condition"] = dict(conditions)
    rendered["Effect"] = effect
    if principal is not None:
        rendered["Principal"] = dict(principal)
    rendered["Resource"] = _values(resources)
    if sid is not None:
        rendered["Sid"] = sid
    return rendered


def document(statements: Sequence[Statement]) -> dict[str, Any]:
    """A policy document of ``statements`` in order, the second of two equal statements left out."""
    seen: set[str] = set()
    unique = []
    for s in statements:
        key = json.dumps(s, sort_keys=False)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return {"Statement": unique, "Version": VERSION}


def account_root(account: str) -> str:
    """The ARN that stands for ``account`` as a principal, as ``aws_iam.AccountPrincipal`` writes it."""
    return f"arn:{_PARTITION}:iam::{account}:root"


def trust(principal: Mapping[str, str], actions: Sequence[str] = ("sts:AssumeRole",)) -> dict[str, Any]:
    """A role's trust policy: ``principal`` may take ``actions`` (assume it, by default) on it."""
    action: str | list[str] = actions[0] if len(actions) == 1 else list(actions)
    return document([{"Action": action, "Effect": "Allow", "Principal": dict(principal)}])
