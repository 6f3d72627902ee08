"""The local AWS's CloudFormation engine: refusals, failures, rollbacks, ordering, change sets."""

from __future__ import annotations

import json

import pytest

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, database, grant, table


@pytest.mark.parametrize("resource_type", ["AWS::RAM::ResourceShare", "Custom::AutoDeleteObjects"])
def test_a_template_with_a_type_the_local_aws_cannot_create_is_refused(aws: LocalAws, resource_type: str) -> None:
    cloudformation = aws.client("cloudformation", GOV)
    with pytest.raises(cloudformation.exceptions.ClientError) as refused:
        aws.deploy(GOV, "s", {"Db": database("kept"), "Other": {"Type": resource_type, "Properties": {}}})
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert f"Template format error: Unrecognized resource types: [{resource_type}]" in str(refused.value)
    assert aws.client("glue", GOV).get_databases()["DatabaseList"] == []


MISSING_TABLE_GRANT = grant(
    GOV, CONSUMER, {"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "nope"}}, ["SELECT"]
)


def test_a_failed_create_reports_the_resource_and_rolls_back(aws: LocalAws) -> None:
    deployed = aws.deploy(
        GOV, "s", {"Db": database("sales_orders"), "Grant": {**MISSING_TABLE_GRANT, "DependsOn": "Db"}}
    )
    reason = f"EntityNotFoundException: Table sales_orders.nope not found in catalog {GOV}"
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.reason == f"The following resource(s) failed to create: [Grant]. {reason}"
    failed = [e for e in deployed.events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert [(e["LogicalResourceId"], e["ResourceType"], e["ResourceStatusReason"]) for e in failed] == [
        ("Grant", "AWS::LakeFormation::PrincipalPermissions", reason)
    ]
    assert aws.client("glue", GOV).get_databases()["DatabaseList"] == []


def test_a_failed_update_rolls_back_to_the_previous_state(aws: LocalAws) -> None:
    aws.deploy(GOV, "s", {"Db": database("sales_orders", Description="v1")})
    deployed = aws.deploy(
        GOV,
        "s",
        {
            "Db": database("sales_orders", Description="v2"),
            "New": database("new_one"),
            "Grant": {**MISSING_TABLE_GRANT, "DependsOn": ["Db", "New"]},
        },
    )
    assert deployed.status == "UPDATE_ROLLBACK_COMPLETE"
    assert "The following resource(s) failed to update: [Grant]." in deployed.reason
    glue = aws.client("glue", GOV)
    assert [(d["Name"], d.get("Description")) for d in glue.get_databases()["DatabaseList"]] == [("sales_orders", "v1")]


def test_a_stack_whose_creation_rolled_back_cannot_be_updated(aws: LocalAws) -> None:
    aws.deploy(GOV, "s", {"Grant": MISSING_TABLE_GRANT})
    cloudformation = aws.client("cloudformation", GOV)
    with pytest.raises(
        cloudformation.exceptions.ClientError, match="is in ROLLBACK_COMPLETE state and can not be updated"
    ):
        aws.deploy(GOV, "s", {"Db": database("sales_orders")})


def test_depends_on_orders_the_creation_of_new_resources(aws: LocalAws, admins: None) -> None:
    share = grant(
        GOV, CONSUMER, {"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "orders"}}, ["SELECT"]
    )
    resources = {
        "AGrant": {**share, "DependsOn": "Table"},
        "Db": database("sales_orders"),
        "Table": table({"Ref": "Db"}, "orders", ["order_id"]),
    }
    assert aws.deploy(GOV, "s", resources).status == "CREATE_COMPLETE"


def test_change_sets_with_the_same_name_are_kept_apart_per_stack(aws: LocalAws) -> None:
    cloudformation = aws.client("cloudformation", GOV)
    for stack, name in (("first", "one_db"), ("second", "two_db")):
        cloudformation.create_change_set(
            StackName=stack,
            ChangeSetName="cdk-deploy-change-set",
            ChangeSetType="CREATE",
            TemplateBody=json.dumps({"Resources": {"Db": database(name)}}),
        )
    first = cloudformation.describe_change_set(StackName="first", ChangeSetName="cdk-deploy-change-set")
    assert first["StackName"] == "first"
    cloudformation.execute_change_set(StackName="first", ChangeSetName="cdk-deploy-change-set")
    cloudformation.delete_change_set(StackName="first", ChangeSetName="cdk-deploy-change-set")
    second = cloudformation.describe_change_set(StackName="second", ChangeSetName="cdk-deploy-change-set")
    assert second["StackName"] == "second"
    assert [d["Name"] for d in aws.client("glue", GOV).get_databases()["DatabaseList"]] == ["one_db"]


def test_outputs_are_those_of_the_deployed_template(aws: LocalAws) -> None:
    outputs = {"DatabaseName": {"Value": {"Ref": "Db"}}}
    aws.deploy(GOV, "s", {"Db": database("sales_orders")}, outputs=outputs)
    stack = aws.client("cloudformation", GOV).describe_stacks(StackName="s")["Stacks"][0]
    assert stack["Outputs"] == [{"OutputKey": "DatabaseName", "OutputValue": "sales_orders"}]
