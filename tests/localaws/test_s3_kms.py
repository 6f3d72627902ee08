"""S3 and KMS models of the local AWS: secure buckets, bucket and key policies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.localaws.conftest import LocalAws
from tests.support.templates import GOV, PRODUCER

DATA = "acme-sales-data-bucket"
LOGS = "acme-sales-logs-bucket"
TLS_ONLY = {
    "Effect": "Deny",
    "Principal": {"AWS": "*"},
    "Action": "s3:*",
    "Resource": "*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def _bucket(name: str, **properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name, **properties}}


SECURE = {
    "VersioningConfiguration": {"Status": "Enabled"},
    "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    },
    "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    "BucketEncryption": {
        "ServerSideEncryptionConfiguration": [
            {
                "BucketKeyEnabled": True,
                "ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]},
                },
            }
        ]
    },
    "LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}, "LogFilePrefix": "data/"},
    "Tags": [{"Key": "datamesh:domain", "Value": "sales"}],
}
KEY = {"Type": "AWS::KMS::Key", "Properties": {"Description": "data"}}


def test_bucket_gets_every_property_the_mesh_sets(aws: LocalAws) -> None:
    aws.deploy(PRODUCER, "s", {"Key": KEY, "Logs": _bucket(LOGS), "Data": _bucket(DATA, **SECURE)})
    s3 = aws.client("s3", PRODUCER)
    key = aws.client("kms", PRODUCER).list_keys()["Keys"][0]["KeyArn"]
    assert s3.get_bucket_versioning(Bucket=DATA)["Status"] == "Enabled"
    assert all(s3.get_public_access_block(Bucket=DATA)["PublicAccessBlockConfiguration"].values())
    assert s3.get_bucket_ownership_controls(Bucket=DATA)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerEnforced"}
    ]
    assert s3.get_bucket_encryption(Bucket=DATA)["ServerSideEncryptionConfiguration"]["Rules"] == [
        {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
            "BucketKeyEnabled": True,
        }
    ]
    assert s3.get_bucket_logging(Bucket=DATA)["LoggingEnabled"] == {"TargetBucket": LOGS, "TargetPrefix": "data/"}
    assert s3.get_bucket_tagging(Bucket=DATA)["TagSet"] == [{"Key": "datamesh:domain", "Value": "sales"}]


def test_bucket_update_applies_changes_and_removal_deletes_it(aws: LocalAws) -> None:
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA, VersioningConfiguration={"Status": "Enabled"})})
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA, VersioningConfiguration={"Status": "Suspended"})})
    s3 = aws.client("s3", PRODUCER)
    assert s3.get_bucket_versioning(Bucket=DATA)["Status"] == "Suspended"
    aws.deploy(PRODUCER, "s", {"Key": KEY})
    assert s3.list_buckets()["Buckets"] == []


def test_a_bucket_with_objects_is_not_deleted(aws: LocalAws) -> None:
    """Removed resources are deleted in the cleanup phase; a failure there leaves the update complete."""
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA)})
    aws.client("s3", PRODUCER).put_object(Bucket=DATA, Key="orders/part-0.parquet", Body=b"x")
    deployed = aws.deploy(PRODUCER, "s", {"Key": KEY})
    assert deployed.status == "UPDATE_COMPLETE"
    assert deployed.failures == [f"BucketNotEmpty: The bucket you tried to delete is not empty: {DATA}"]
    assert [b["Name"] for b in aws.client("s3", PRODUCER).list_buckets()["Buckets"]] == [DATA]


def test_logging_to_a_missing_bucket_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA, LoggingConfiguration={"DestinationBucketName": LOGS})})
    assert deployed.failures == [f"InvalidTargetBucketForLogging: The target bucket for logging does not exist: {LOGS}"]


def _policy(bucket: Any, *statements: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": bucket,
            "PolicyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
        },
    }


def _read_by(role: str) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"AWS": role},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{DATA}/*",
    }


def test_bucket_policy_is_set_changed_and_removed(aws: LocalAws) -> None:
    reader = aws.role(GOV, "reader")
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA), "Policy": _policy({"Ref": "Data"}, TLS_ONLY)})
    s3 = aws.client("s3", PRODUCER)
    assert json.loads(s3.get_bucket_policy(Bucket=DATA)["Policy"])["Statement"] == [TLS_ONLY]

    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA), "Policy": _policy({"Ref": "Data"}, TLS_ONLY, _read_by(reader))})
    assert json.loads(s3.get_bucket_policy(Bucket=DATA)["Policy"])["Statement"] == [TLS_ONLY, _read_by(reader)]

    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA)})
    with pytest.raises(s3.exceptions.ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=DATA)


def test_bucket_policy_naming_a_role_that_does_not_exist_is_rejected(aws: LocalAws) -> None:
    ghost = f"arn:aws:iam::{GOV}:role/ghost"
    deployed = aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA), "Policy": _policy({"Ref": "Data"}, _read_by(ghost))})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        f"MalformedPolicy: Invalid principal in policy of bucket {DATA}: {ghost} does not exist"
    ]
    assert aws.client("s3", PRODUCER).list_buckets()["Buckets"] == []


def test_bucket_policy_of_a_missing_bucket_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(PRODUCER, "s", {"Policy": _policy(DATA, TLS_ONLY)})
    assert deployed.failures == [f"NoSuchBucket: The specified bucket does not exist: {DATA}"]


def test_a_tls_only_policy_lets_requests_to_the_local_aws_through(aws: LocalAws) -> None:
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA), "Policy": _policy({"Ref": "Data"}, TLS_ONLY)})
    s3 = aws.client("s3", PRODUCER)
    s3.put_object(Bucket=DATA, Key="orders/part-0.parquet", Body=b"rows")
    assert s3.get_object(Bucket=DATA, Key="orders/part-0.parquet")["Body"].read() == b"rows"


def test_a_deny_without_condition_still_denies(aws: LocalAws) -> None:
    deny = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{DATA}/*"}
    aws.deploy(PRODUCER, "s", {"Data": _bucket(DATA), "Policy": _policy({"Ref": "Data"}, deny)})
    s3 = aws.client("s3", PRODUCER)
    with pytest.raises(s3.exceptions.ClientError, match="Forbidden"):
        s3.put_object(Bucket=DATA, Key="orders/part-0.parquet", Body=b"rows")


def _key(*principals: str, description: str = "data") -> dict[str, Any]:
    statements = [{"Effect": "Allow", "Principal": {"AWS": p}, "Action": "kms:*", "Resource": "*"} for p in principals]
    return {
        "Type": "AWS::KMS::Key",
        "Properties": {
            "Description": description,
            "EnableKeyRotation": True,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
            "Tags": [{"Key": "datamesh:domain", "Value": "sales"}],
        },
    }


def test_key_is_created_with_its_policy_and_updated(aws: LocalAws) -> None:
    root, reader = f"arn:aws:iam::{PRODUCER}:root", aws.role(GOV, "reader")
    aws.deploy(PRODUCER, "k", {"Key": _key(root)})
    kms = aws.client("kms", PRODUCER)
    key = kms.list_keys()["Keys"][0]["KeyId"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    assert kms.list_resource_tags(KeyId=key)["Tags"] == [{"TagKey": "datamesh:domain", "TagValue": "sales"}]

    aws.deploy(PRODUCER, "k", {"Key": _key(root, reader, description="data, readable")})
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert [s["Principal"]["AWS"] for s in policy["Statement"]] == [root, reader]
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Description"] == "data, readable"


def test_key_policy_naming_a_role_that_does_not_exist_is_rejected(aws: LocalAws) -> None:
    ghost = f"arn:aws:iam::{GOV}:role/ghost"
    deployed = aws.deploy(PRODUCER, "k", {"Key": _key(f"arn:aws:iam::{PRODUCER}:root", ghost)})
    assert deployed.failures == [
        "MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals: "
        f"{ghost} does not exist"
    ]
