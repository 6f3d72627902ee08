"""Athena workgroups and CDK metadata in the local AWS."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER


def _workgroup(name: str, output: str, state: str = "ENABLED") -> dict[str, Any]:
    return {
        "Type": "AWS::Athena::WorkGroup",
        "Properties": {
            "Name": name,
            "Description": "queries",
            "State": state,
            "WorkGroupConfiguration": {
                "EnforceWorkGroupConfiguration": True,
                "ResultConfiguration": {
                    "OutputLocation": output,
                    "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": "k"},
                },
            },
            "Tags": [{"Key": "datamesh:domain", "Value": "analytics"}],
        },
    }


def test_workgroup_is_created_updated_and_deleted(aws: LocalAws) -> None:
    athena = aws.client("athena", CONSUMER)
    aws.deploy(CONSUMER, "w", {"Wg": _workgroup("acme-analytics", "s3://results/a/")})
    group = athena.get_work_group(WorkGroup="acme-analytics")["WorkGroup"]
    assert group["State"] == "ENABLED"
    assert group["Configuration"]["ResultConfiguration"]["OutputLocation"] == "s3://results/a/"

    aws.deploy(CONSUMER, "w", {"Wg": _workgroup("acme-analytics", "s3://results/b/", state="DISABLED")})
    group = athena.get_work_group(WorkGroup="acme-analytics")["WorkGroup"]
    assert (group["State"], group["Configuration"]["ResultConfiguration"]["OutputLocation"]) == (
        "DISABLED",
        "s3://results/b/",
    )

    aws.deploy(CONSUMER, "w", {"Meta": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"}}})
    assert [w["Name"] for w in athena.list_work_groups()["WorkGroups"]] == ["primary"]


def test_a_workgroup_the_account_does_not_have_is_refused_as_athena_refuses_it(aws: LocalAws) -> None:
    """GetWorkGroup of an unknown name: InvalidRequestException, "WorkGroup <name> is not found." (the answer
    docs/meshctl.md cites), also for a workgroup deleted by its stack."""
    athena = aws.client("athena", CONSUMER)
    aws.deploy(CONSUMER, "w", {"Wg": _workgroup("acme-analytics", "s3://results/")})
    aws.deploy(CONSUMER, "w", {"Meta": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"}}})
    for name in ("acme-analytics", "never-made"):
        with pytest.raises(ClientError) as refused:
            athena.get_work_group(WorkGroup=name)
        assert refused.value.response["Error"] == {
            "Code": "InvalidRequestException",
            "Message": f"WorkGroup {name} is not found.",
        }
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_workgroup_that_exists_already_is_rejected(aws: LocalAws) -> None:
    aws.deploy(CONSUMER, "first", {"Wg": _workgroup("acme-analytics", "s3://results/")})
    deployed = aws.deploy(CONSUMER, "second", {"Wg": _workgroup("acme-analytics", "s3://results/")})
    assert deployed.failures == ["InvalidRequestException: WorkGroup acme-analytics is already created"]


def test_cdk_metadata_is_accepted_as_a_resource_of_the_stack(aws: LocalAws) -> None:
    deployed = aws.deploy(
        CONSUMER, "m", {"CDKMetadata": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2:deflate64:x"}}}
    )
    assert deployed.status == "CREATE_COMPLETE"
    resources = aws.client("cloudformation", CONSUMER).list_stack_resources(StackName="m")["StackResourceSummaries"]
    assert [(r["LogicalResourceId"], r["ResourceType"]) for r in resources] == [("CDKMetadata", "AWS::CDK::Metadata")]
