"""A consumer's role uses the governance account's key: judged by the key policy and the role's IAM policy.

AWS's rule (KMS Developer Guide, "Allowing users in other accounts to use a KMS key"): the key
policy must allow the caller's account or the caller, and the caller's IAM policy must allow the
key; an explicit Deny in either wins.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, REGION

ROLE = "AnalystRole"
USE = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
ADMIN = {
    "Sid": "Admin",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{GOV}:root"},
    "Action": "kms:*",
    "Resource": "*",
}
CONSUMER_ACCOUNT = {
    "Sid": "Consumer",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{CONSUMER}:root"},
    "Action": USE,
    "Resource": "*",
}


def _key(aws: LocalAws, *statements: dict[str, Any]) -> str:
    policy = {"Version": "2012-10-17", "Statement": [ADMIN, *statements]}
    return aws.client("kms", GOV).create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"]


def _role_client(aws: LocalAws, *statements: dict[str, Any]) -> Any:
    """A KMS client acting as the consumer's role, whose inline policy holds ``statements``."""
    iam = aws.client("iam", CONSUMER)
    arn = aws.role(CONSUMER, ROLE)
    if statements:
        iam.put_role_policy(
            RoleName=ROLE,
            PolicyName="use-catalog-key",
            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}),
        )
    issued = aws.client("sts", CONSUMER).assume_role(RoleArn=arn, RoleSessionName="analyst")["Credentials"]
    return boto3.client(
        "kms",
        endpoint_url=aws.endpoint,
        region_name=REGION,
        aws_access_key_id=issued["AccessKeyId"],
        aws_secret_access_key=issued["SecretAccessKey"],
        aws_session_token=issued["SessionToken"],
    )


def _allow_key(actions: list[str] = USE) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": f"arn:aws:kms:{REGION}:{GOV}:key/*"}


def _refusal(call: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]


def _session(key: str, action: str) -> str:
    return f"User: arn:aws:sts::{CONSUMER}:assumed-role/{ROLE}/analyst is not authorized to perform: {action} on resource: {key}"


def test_a_role_allowed_by_the_key_policy_and_its_iam_policy_uses_another_accounts_key(aws: LocalAws) -> None:
    key = _key(aws, CONSUMER_ACCOUNT)
    kms = _role_client(aws, _allow_key())
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
    sealed = kms.encrypt(KeyId=key, Plaintext=b"orders")
    assert sealed["KeyId"] == key
    assert kms.decrypt(CiphertextBlob=sealed["CiphertextBlob"], KeyId=key)["Plaintext"] == b"orders"
    assert kms.decrypt(CiphertextBlob=sealed["CiphertextBlob"])["KeyId"] == key  # the key found from the ciphertext
    data_key = kms.generate_data_key(KeyId=key, KeySpec="AES_256")
    assert data_key["KeyId"] == key
    assert (
        aws.client("kms", GOV).decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == data_key["Plaintext"]
    )


def test_a_role_named_in_the_key_policy_by_its_arn_is_allowed(aws: LocalAws) -> None:
    named = {**CONSUMER_ACCOUNT, "Principal": {"AWS": f"arn:aws:iam::{CONSUMER}:role/{ROLE}"}}
    kms = _role_client(aws, _allow_key())
    key = _key(aws, named)
    assert kms.generate_data_key(KeyId=key, NumberOfBytes=32)["KeyId"] == key


def test_without_the_iam_statement_the_call_is_refused(aws: LocalAws) -> None:
    key = _key(aws, CONSUMER_ACCOUNT)
    kms = _role_client(aws, _allow_key(["kms:DescribeKey"]))
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
    assert _refusal(kms.encrypt, KeyId=key, Plaintext=b"x") == {
        "Code": "AccessDeniedException",
        "Message": f"{_session(key, 'kms:Encrypt')} because no identity-based policy allows the kms:Encrypt action",
    }


def test_without_the_key_policy_statement_the_call_is_refused(aws: LocalAws) -> None:
    key = _key(aws, {**CONSUMER_ACCOUNT, "Action": ["kms:Encrypt"]})
    kms = _role_client(aws, _allow_key())
    sealed = kms.encrypt(KeyId=key, Plaintext=b"orders")["CiphertextBlob"]
    for call, kwargs, action in (
        (kms.decrypt, {"CiphertextBlob": sealed}, "kms:Decrypt"),
        (kms.describe_key, {"KeyId": key}, "kms:DescribeKey"),
        (kms.generate_data_key, {"KeyId": key, "KeySpec": "AES_256"}, "kms:GenerateDataKey"),
    ):
        assert _refusal(call, **kwargs) == {
            "Code": "AccessDeniedException",
            "Message": f"{_session(key, action)} because no resource-based policy allows the {action} action",
        }


def test_an_explicit_deny_wins_in_either_policy(aws: LocalAws) -> None:
    deny = {
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": CONSUMER}},
    }
    key = _key(aws, CONSUMER_ACCOUNT, deny)
    kms = _role_client(aws, _allow_key())
    sealed = kms.encrypt(KeyId=key, Plaintext=b"orders")["CiphertextBlob"]
    assert _refusal(kms.decrypt, CiphertextBlob=sealed, KeyId=key)["Message"] == (
        f"{_session(key, 'kms:Decrypt')} with an explicit deny in a resource-based policy"
    )
    other = _key(aws, CONSUMER_ACCOUNT)
    aws.client("iam", CONSUMER).put_role_policy(
        RoleName=ROLE,
        PolicyName="no-encrypt",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:Enc*", "Resource": "*"}]}
        ),
    )
    assert _refusal(kms.encrypt, KeyId=other, Plaintext=b"x")["Message"] == (
        f"{_session(other, 'kms:Encrypt')} with an explicit deny in an identity-based policy"
    )


def test_a_key_policy_that_requires_a_service_refuses_a_direct_call(aws: LocalAws) -> None:
    through_glue = {
        **CONSUMER_ACCOUNT,
        "Condition": {
            "StringEquals": {"kms:ViaService": f"glue.{REGION}.amazonaws.com", "kms:CallerAccount": [CONSUMER]},
        },
    }
    key = _key(aws, through_glue)
    kms = _role_client(aws, _allow_key())
    assert _refusal(kms.describe_key, KeyId=key)["Message"] == (
        f"{_session(key, 'kms:DescribeKey')} because no resource-based policy allows the kms:DescribeKey action"
    )


def test_conditions_on_the_caller_hold_with_like_operators_and_if_exists(aws: LocalAws) -> None:
    conditioned = {
        **CONSUMER_ACCOUNT,
        "Condition": {
            "StringEqualsIfExists": {"kms:ViaService": f"glue.{REGION}.amazonaws.com"},
            "StringLike": {"kms:CallerAccount": "4444*"},
            "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{CONSUMER}:role/Analyst*"},
        },
    }
    key = _key(aws, conditioned)
    kms = _role_client(aws, _allow_key())
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
    strangers = _key(
        aws, {**conditioned, "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Producer*"}}}
    )
    assert _refusal(kms.describe_key, KeyId=strangers)["Code"] == "AccessDeniedException"


def test_a_key_of_the_callers_own_account_is_used_as_before(aws: LocalAws) -> None:
    key = _key(aws)
    assert aws.client("kms", GOV).describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
    assert (
        _refusal(aws.client("kms", CONSUMER).describe_key, KeyId=key.replace(GOV, CONSUMER))["Code"]
        == "NotFoundException"
    )
