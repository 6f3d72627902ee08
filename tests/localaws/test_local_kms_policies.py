"""Cross-account KMS: the key policy must allow the caller's account and the caller's own IAM
policy must allow the key. The rule, then applied to the example mesh's synthesized policies
(the analyst reading the encrypted governance catalog through Glue, as Athena does)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Template

from datamesh import naming
from datamesh.config import Mesh
from datamesh.blueprint import CATALOG_KEY_ACTIONS
from localaws.resources.policies import Request, decide

GOV, CONSUMER = "111111111111", "555555555555"
KEY = f"arn:aws:kms:eu-west-1:{GOV}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ANALYST = f"arn:aws:iam::{CONSUMER}:role/analyst"
VIA_GLUE = {"kms:ViaService": "glue.eu-west-1.amazonaws.com"}
ACCOUNTS_THROUGH_GLUE = {
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt"], "Resource": "*",
    "Condition": {"StringEquals": {"kms:ViaService": "glue.eu-west-1.amazonaws.com", "kms:CallerAccount": [CONSUMER]}},
}
IDENTITY = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": f"arn:aws:kms:eu-west-1:{GOV}:key/*",
            "Condition": {"StringEquals": {"kms:ViaService": "glue.eu-west-1.amazonaws.com"}}}


def test_cross_account_use_needs_the_key_policy_and_the_callers_iam_policy() -> None:
    request = Request(ANALYST, "kms:Decrypt", KEY, VIA_GLUE)
    assert decide(request, [ACCOUNTS_THROUGH_GLUE], [IDENTITY]) is None
    assert decide(request, [ACCOUNTS_THROUGH_GLUE], []) == (
        f"kms:Decrypt on {KEY} with {VIA_GLUE}: the IAM policy of {ANALYST} does not allow the key"
    )
    assert decide(request, [], [IDENTITY]).endswith(f"the key policy does not allow account {CONSUMER}")


def test_conditions_must_hold() -> None:
    through_s3 = Request(ANALYST, "kms:Decrypt", KEY, {"kms:ViaService": "s3.eu-west-1.amazonaws.com"})
    assert decide(through_s3, [ACCOUNTS_THROUGH_GLUE], [IDENTITY]) is not None
    other_account = Request("arn:aws:iam::999999999999:role/x", "kms:Decrypt", KEY, VIA_GLUE)
    assert decide(other_account, [ACCOUNTS_THROUGH_GLUE], [IDENTITY]) is not None


def test_an_explicit_deny_wins_and_wildcards_match() -> None:
    request = Request(ANALYST, "kms:GenerateDataKey", KEY, VIA_GLUE)
    key_policy = [{**ACCOUNTS_THROUGH_GLUE, "Action": "kms:*"}]
    assert decide(request, key_policy, [{**IDENTITY, "Action": "kms:Generate*"}]) is None
    deny = {"Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "*"}
    assert decide(request, key_policy, [{**IDENTITY, "Action": "kms:*"}, deny]) == (
        f"the IAM policy of {ANALYST} denies kms:GenerateDataKey"
    )


def test_in_the_keys_own_account_the_key_policy_alone_may_allow() -> None:
    own = f"arn:aws:iam::{GOV}:role/reader"
    named = {"Effect": "Allow", "Principal": {"AWS": own}, "Action": "kms:Decrypt", "Resource": "*"}
    assert decide(Request(own, "kms:Decrypt", KEY), [named], []) is None
    root = {**named, "Principal": {"AWS": f"arn:aws:iam::{GOV}:root"}}
    assert decide(Request(own, "kms:Decrypt", KEY), [root], []) is not None


def test_an_unmodelled_condition_operator_is_an_error() -> None:
    odd = {**IDENTITY, "Condition": {"NumericLessThan": {"kms:GrantConstraintType": "1"}}}
    with pytest.raises(ValueError, match="NumericLessThan is not modelled"):
        decide(Request(ANALYST, "kms:Decrypt", KEY, VIA_GLUE), [ACCOUNTS_THROUGH_GLUE], [odd])


# The example mesh's policies ---------------------------------------------------------------


def _resolved(node: Any) -> Any:
    """CloudFormation intrinsics the policies use, resolved for the example's region; others stay opaque."""
    if isinstance(node, dict):
        if node == {"Ref": "AWS::Partition"}:
            return "aws"
        if "Fn::Join" in node:
            separator, parts = node["Fn::Join"]
            return separator.join(str(_resolved(p)) for p in parts)
        if len(node) == 1 and next(iter(node)).startswith(("Ref", "Fn::")):
            return f"<{next(iter(node.values()))}>"
        return {k: _resolved(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolved(v) for v in node]
    return node


def _only(template: Template, kind: str) -> dict[str, Any]:
    [found] = template.find_resources(kind).values()
    return _resolved(found["Properties"])


def _analyst_statements(template: Template) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::Policy").values()
    analyst = next(p for p in policies if "AnalystRole" in str(p["Properties"]["Roles"]))
    return _resolved(analyst["Properties"]["PolicyDocument"]["Statement"])


def _analyst_may_use_catalog_key(mesh: Mesh, key_policy: list[dict[str, Any]], identity: list[dict[str, Any]]) -> list[str]:
    analyst = naming.role_arn("555555555555", naming.analyst_role(mesh.config.name, "analytics"))
    requests = [Request(analyst, action, KEY, VIA_GLUE) for action in CATALOG_KEY_ACTIONS]
    return [d for d in (decide(r, key_policy, identity) for r in requests) if d]


def test_the_analyst_may_use_the_catalog_key_as_athena_needs(templates: dict[str, Template], example_mesh: Mesh) -> None:
    key_policy = [s for s in _only(templates["Governance"], "AWS::KMS::Key")["KeyPolicy"]["Statement"]]
    identity = _analyst_statements(templates["Analytics-Access"])
    assert _analyst_may_use_catalog_key(example_mesh, key_policy, identity) == []


def test_the_templates_without_the_fix_are_denied(templates: dict[str, Template], example_mesh: Mesh) -> None:
    """Finding 2 (no IAM permission on the catalog key) and 9 (the key policy allowed only Decrypt)."""
    key_policy = _only(templates["Governance"], "AWS::KMS::Key")["KeyPolicy"]["Statement"]
    identity = _analyst_statements(templates["Analytics-Access"])
    without_iam = [s for s in identity if s.get("Sid") != "UseCatalogKeyThroughGlue"]
    assert len(_analyst_may_use_catalog_key(example_mesh, key_policy, without_iam)) == len(CATALOG_KEY_ACTIONS)
    decrypt_only = [{**s, "Action": ["kms:Decrypt", "kms:DescribeKey"]} if s.get("Sid") == "MeshAccountsUseCatalogThroughGlue" else s
                    for s in key_policy]
    denied = _analyst_may_use_catalog_key(example_mesh, decrypt_only, identity)
    assert [d.split(" ")[0] for d in denied] == ["kms:Encrypt", "kms:GenerateDataKey"]
