"""doctor's judgement of KMS key use: the key policy and the role's IAM policies, as AWS KMS documents it
("Key policies in AWS KMS": an IAM policy only counts when the key policy lets the account's IAM grant the key;
"Allowing users in other accounts to use a KMS key": from another account both must allow)."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from datamesh.blueprint import CATALOG_KEY_ACTIONS
from datamesh.doctor.key_access import problem

KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd"
ANALYST = "arn:aws:iam::444444444444:role/acme-marketing-analyst"
GLUE = "glue.eu-west-1.amazonaws.com"
THROUGH_GLUE = {"StringEquals": {"kms:ViaService": GLUE}}


def allow(principal, actions=("kms:Decrypt",), resource="*", condition=None):
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": list(actions), "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


def iam_allow(actions=("kms:Decrypt",), resource=KEY, condition=None):
    statement = {"Effect": "Allow", "Action": list(actions), "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


def test_from_another_account_the_key_policy_and_the_iam_policy_must_both_allow():
    key_policy = [
        allow("*", condition={"StringEquals": {"kms:ViaService": GLUE, "kms:CallerAccount": ["444444444444"]}})
    ]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, key_policy, [iam_allow()]) is None
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, key_policy, []) == (
        f"the IAM policies of {ANALYST} allow no kms:Decrypt on {KEY} through {GLUE}"
    )
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [], [iam_allow()]) == (
        f"the key policy allows no kms:Decrypt for {ANALYST} through {GLUE}"
    )


def test_conditions_must_hold_for_the_request():
    other_account = [allow("*", condition={"StringEquals": {"kms:CallerAccount": ["555555555555"]}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, other_account, [iam_allow()]) is not None
    via_s3 = [allow(ANALYST, condition={"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, via_s3, [iam_allow()]) is not None
    assert (
        problem(
            ANALYST,
            KEY,
            "kms:Decrypt",
            GLUE,
            [allow(ANALYST, condition=THROUGH_GLUE)],
            [iam_allow(resource="arn:aws:kms:eu-west-1:111111111111:key/*", condition=THROUGH_GLUE)],
        )
        is None
    )


def test_the_action_must_be_allowed_with_wildcards_matching():
    assert problem(ANALYST, KEY, "kms:Encrypt", GLUE, [allow(ANALYST)], [iam_allow()]) is not None
    assert problem(ANALYST, KEY, "kms:Encrypt", GLUE, [allow(ANALYST, ["kms:*"])], [iam_allow(["kms:En*"])]) is None


def test_an_explicit_deny_wins():
    deny = {"Sid": "NoAnalysts", "Effect": "Deny", "Principal": {"AWS": ANALYST}, "Action": "kms:*", "Resource": "*"}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST), deny], [iam_allow()]) == (
        "kms:Decrypt denied by statement NoAnalysts"
    )
    all_but_decrypt = {"Sid": "OnlyDecrypt", "Effect": "Deny", "NotAction": "kms:Decrypt", "Resource": "*"}
    assert (
        problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST, ["kms:*"])], [iam_allow(["kms:*"]), all_but_decrypt])
        is None
    )
    assert problem(
        ANALYST, KEY, "kms:Encrypt", GLUE, [allow(ANALYST, ["kms:*"])], [iam_allow(["kms:*"]), all_but_decrypt]
    ) == ("kms:Encrypt denied by statement OnlyDecrypt")


def test_in_the_keys_own_account_the_key_policy_naming_the_role_suffices_and_root_delegates_to_iam():
    role = "arn:aws:iam::111111111111:role/acme-lakeformation-data-access"
    assert problem(role, KEY, "kms:Decrypt", GLUE, [allow(role)], []) is None
    root = [allow("arn:aws:iam::111111111111:root", ["kms:*"])]
    assert problem(role, KEY, "kms:Decrypt", GLUE, root, []) is not None
    assert problem(role, KEY, "kms:Decrypt", GLUE, root, [iam_allow()]) is None


def test_a_condition_operator_it_does_not_read_never_allows_and_always_denies():
    unusual = {"NumericLessThan": {"kms:GrantConstraintType": "1"}}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST, condition=unusual)], [iam_allow()]) is not None
    deny = {"Sid": "Odd", "Effect": "Deny", "Action": "kms:*", "Resource": "*", "Condition": unusual}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST)], [iam_allow(), deny]) == (
        "kms:Decrypt denied by statement Odd"
    )


# The example mesh's synthesized policies (tests/conftest.py's templates) ----------------------------------


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


def _key_policy(template: Template) -> list[dict[str, Any]]:
    [key] = template.find_resources("AWS::KMS::Key").values()
    return _resolved(key["Properties"]["KeyPolicy"]["Statement"])


def _analyst_statements(template: Template) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::Policy").values()
    analyst = next(p for p in policies if "AnalystRole" in str(p["Properties"]["Roles"]))
    return _resolved(analyst["Properties"]["PolicyDocument"]["Statement"])


# analytics (555555555555 in domains/analytics.yaml) reads the governance catalog, encrypted with its key, through Glue
EXAMPLE_KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd"
EXAMPLE_ANALYST = "arn:aws:iam::555555555555:role/acme-analytics-analyst"


def _denied(key_policy: list[dict[str, Any]], identity: list[dict[str, Any]]) -> list[str]:
    found = (
        problem(EXAMPLE_ANALYST, EXAMPLE_KEY, action, GLUE, key_policy, identity) for action in CATALOG_KEY_ACTIONS
    )
    return [p for p in found if p]


def test_the_example_analyst_may_use_the_catalog_key_as_athena_needs(templates: dict[str, Template]) -> None:
    assert _denied(_key_policy(templates["Governance"]), _analyst_statements(templates["Analytics-Access"])) == []


def test_the_example_templates_without_the_fix_are_denied(templates: dict[str, Template]) -> None:
    """Finding 2 (no IAM permission on the catalog key) and 9 (the key policy allowed only Decrypt)."""
    key_policy, identity = _key_policy(templates["Governance"]), _analyst_statements(templates["Analytics-Access"])
    without_iam = [s for s in identity if s.get("Sid") != "UseCatalogKeyThroughGlue"]
    assert len(_denied(key_policy, without_iam)) == 3
    decrypt_only = [
        {**s, "Action": ["kms:Decrypt", "kms:DescribeKey"]}
        if s.get("Sid") == "MeshAccountsUseCatalogThroughGlue"
        else s
        for s in key_policy
    ]
    assert [d.split(" ")[5] for d in _denied(decrypt_only, identity)] == ["kms:Encrypt", "kms:GenerateDataKey"]


def test_string_equals_matches_exactly_and_string_like_with_wildcards():
    """IAM User Guide, "String condition operators": ``StringEquals`` is an exact match, ``StringLike``
    takes ``*`` and ``?``; a ``*`` in a ``StringEquals`` value is a character like any other."""
    any_region = "glue.*.amazonaws.com"
    literal = [allow(ANALYST, condition={"StringEquals": {"kms:ViaService": any_region}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, literal, [iam_allow()]) is not None
    like = [allow(ANALYST, condition={"StringLike": {"kms:ViaService": any_region}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, like, [iam_allow()]) is None


def test_of_several_denying_statements_the_first_is_named():
    first = {"Sid": "First", "Effect": "Deny", "Principal": {"AWS": ANALYST}, "Action": "kms:*", "Resource": "*"}
    second = {**first, "Sid": "Second"}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST), first, second], [iam_allow()]) == (
        "kms:Decrypt denied by statement First"
    )


def test_a_condition_on_a_key_the_request_lacks_fails_unless_if_exists():
    """IAM User Guide, "...IfExists condition operators": without the key in the request a condition
    does not hold, unless the operator ends in IfExists."""
    on_bucket = {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-sales-data"}
    assert (
        problem(
            ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST, condition={"StringEquals": on_bucket})], [iam_allow()]
        )
        is not None
    )
    assert (
        problem(
            ANALYST,
            KEY,
            "kms:Decrypt",
            GLUE,
            [allow(ANALYST, condition={"StringEqualsIfExists": on_bucket})],
            [iam_allow()],
        )
        is None
    )


def test_not_resource_covers_every_resource_but_those_listed():
    """IAM User Guide, "IAM JSON policy elements: NotResource": the statement applies to every resource not listed."""
    other_key = "arn:aws:kms:eu-west-1:111111111111:key/other"
    all_but_other = {"Effect": "Allow", "Action": "kms:Decrypt", "NotResource": other_key}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST)], [all_but_other]) is None
    all_but_this = {**all_but_other, "NotResource": KEY}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST)], [all_but_this]) is not None


def test_arn_equals_and_arn_like_match_each_part_of_the_arn_with_wildcards():
    """IAM User Guide, "Condition operators", ARN condition operators: ArnEquals and ArnLike both match each of
    the six colon-separated parts on its own, where * and ? may stand for characters but never for a colon."""
    for operator in ("ArnEquals", "ArnLike"):
        roles = [allow("*", condition={operator: {"aws:PrincipalArn": "arn:aws:iam::4444444444??:role/acme-*"}})]
        assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, roles, [iam_allow()]) is None, operator
        spanning = [allow("*", condition={operator: {"aws:PrincipalArn": "arn:aws:iam::*"}})]
        assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, spanning, [iam_allow()]) is not None, operator
        other = [allow("*", condition={operator: {"aws:PrincipalArn": "arn:aws:iam::555555555555:role/*"}})]
        assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, other, [iam_allow()]) is not None, operator


def test_an_if_exists_key_the_request_lacks_leaves_the_other_keys_checked():
    condition = {
        "StringEqualsIfExists": {
            "kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::acme-sales-data",
            "kms:CallerAccount": "555555555555",
        }
    }
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST, condition=condition)], [iam_allow()]) is not None
