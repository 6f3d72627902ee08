"""doctor's judgement of KMS key use: the key policy and the role's IAM policies, as AWS KMS documents it
("Key policies in AWS KMS": an IAM policy only counts when the key policy lets the account's IAM grant the key;
"Allowing users in other accounts to use a KMS key": from another account both must allow)."""

from __future__ import annotations

from datamesh.meshctl.key_access import problem

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
    key_policy = [allow("*", condition={"StringEquals": {"kms:ViaService": GLUE, "kms:CallerAccount": ["444444444444"]}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, key_policy, [iam_allow()]) is None
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, key_policy, []) == (
        f"the IAM policies of {ANALYST} allow no kms:Decrypt on {KEY} through {GLUE}")
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [], [iam_allow()]) == (
        f"the key policy allows no kms:Decrypt for {ANALYST} through {GLUE}")


def test_conditions_must_hold_for_the_request():
    other_account = [allow("*", condition={"StringEquals": {"kms:CallerAccount": ["555555555555"]}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, other_account, [iam_allow()]) is not None
    via_s3 = [allow(ANALYST, condition={"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, via_s3, [iam_allow()]) is not None
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST, condition=THROUGH_GLUE)],
                   [iam_allow(resource="arn:aws:kms:eu-west-1:111111111111:key/*", condition=THROUGH_GLUE)]) is None


def test_the_action_must_be_allowed_with_wildcards_matching():
    assert problem(ANALYST, KEY, "kms:Encrypt", GLUE, [allow(ANALYST)], [iam_allow()]) is not None
    assert problem(ANALYST, KEY, "kms:Encrypt", GLUE, [allow(ANALYST, ["kms:*"])], [iam_allow(["kms:En*"])]) is None


def test_an_explicit_deny_wins():
    deny = {"Sid": "NoAnalysts", "Effect": "Deny", "Principal": {"AWS": ANALYST}, "Action": "kms:*", "Resource": "*"}
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, [allow(ANALYST), deny], [iam_allow()]) == (
        "kms:Decrypt denied by statement NoAnalysts")


def test_in_the_keys_own_account_the_key_policy_naming_the_role_suffices_and_root_delegates_to_iam():
    role = "arn:aws:iam::111111111111:role/acme-lakeformation-data-access"
    assert problem(role, KEY, "kms:Decrypt", GLUE, [allow(role)], []) is None
    root = [allow("arn:aws:iam::111111111111:root", ["kms:*"])]
    assert problem(role, KEY, "kms:Decrypt", GLUE, root, []) is not None
    assert problem(role, KEY, "kms:Decrypt", GLUE, root, [iam_allow()]) is None


def test_a_condition_operator_it_does_not_read_never_counts_as_allowing():
    unusual = [allow(ANALYST, condition={"NumericLessThan": {"kms:RecipientAttestation:ImageSha384": "1"}})]
    assert problem(ANALYST, KEY, "kms:Decrypt", GLUE, unusual, [iam_allow()]) is not None
