"""S3 Access Grants in the local AWS (moto has none): a location needs the account's instance, a directory user
or group grant needs that instance associated with IAM Identity Center; each rule failing and passing."""

from __future__ import annotations

from typing import Any

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER

INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-78c7a38466c2f165"
GROUP = "8ec076ae-3f0d-5e69-9083-d716ec11412f"


def _resources(instance: dict[str, Any] | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "Location": {
            "Type": "AWS::S3::AccessGrantsLocation",
            "Properties": {"IamRoleArn": f"arn:aws:iam::{CONSUMER}:role/grants", "LocationScope": "s3://results"},
        },
        "Grant": {
            "Type": "AWS::S3::AccessGrant",
            "Properties": {
                "AccessGrantsLocationId": {"Fn::GetAtt": ["Location", "AccessGrantsLocationId"]},
                "Grantee": {"GranteeType": "DIRECTORY_GROUP", "GranteeIdentifier": GROUP},
                "Permission": "READWRITE",
            },
        },
    }
    if instance is not None:
        found["Instance"] = {"Type": "AWS::S3::AccessGrantsInstance", "Properties": instance}
        found["Location"]["DependsOn"] = "Instance"
    return found


def test_a_location_in_an_account_without_an_instance_is_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(CONSUMER, "grants", _resources(None))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0] == f"InvalidRequest: account {CONSUMER} has no Access Grants instance in eu-west-1"


def test_a_group_grant_in_an_instance_without_identity_center_is_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(CONSUMER, "grants", _resources({}))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0] == (
        f"InvalidRequest: a DIRECTORY_GROUP grantee needs account {CONSUMER}'s Access Grants instance associated "
        "with IAM Identity Center"
    )


def test_a_group_grant_in_an_identity_center_instance_is_made(aws: LocalAws) -> None:
    deployed = aws.deploy(CONSUMER, "grants", _resources({"IdentityCenterArn": INSTANCE_ARN}))
    assert (deployed.status, deployed.failures) == ("CREATE_COMPLETE", [])
