"""Stack updates on the local AWS follow CloudFormation: update in place or replace as each
type's schema says (create-only properties), clean up after success, honour DeletionPolicy
and UpdateReplacePolicy, roll back on failure. Expected values come from the templates and
the resource schemas; state is read back with boto3."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from localaws import resource_schemas
from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, PRODUCER, REGION, database, grant, table

pytestmark = pytest.mark.usefixtures("admins")  # the caller deploys as a data lake admin, who may grant and tag

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."


def _statuses(aws: LocalAws, account: str, stack: str, logical_id: str) -> list[tuple[str, str | None]]:
    """(status, reason) of one resource's events, oldest first."""
    events = aws.client("cloudformation", account).describe_stack_events(StackName=stack)["StackEvents"]
    return [
        (e["ResourceStatus"], e.get("ResourceStatusReason"))
        for e in reversed(events)
        if e["LogicalResourceId"] == logical_id
    ]


def _databases(aws: LocalAws, account: str = GOV) -> list[str]:
    return sorted(d["Name"] for d in aws.client("glue", account).get_databases()["DatabaseList"])


def _tables(aws: LocalAws, database_name: str) -> dict[str, list[str]]:
    listed = aws.client("glue", GOV).get_tables(DatabaseName=database_name)["TableList"]
    return {t["Name"]: [c["Name"] for c in t["StorageDescriptor"]["Columns"]] for t in listed}


def _grants(aws: LocalAws) -> list[tuple[str, list[str]]]:
    listed = aws.client("lakeformation", GOV).list_permissions(CatalogId=GOV)["PrincipalResourcePermissions"]
    return sorted((g["Principal"]["DataLakePrincipalIdentifier"], sorted(g["Permissions"])) for g in listed)


def _tag(values: list[str], key: str = "domain") -> dict[str, Any]:
    return {"Type": "AWS::LakeFormation::Tag", "Properties": {"CatalogId": GOV, "TagKey": key, "TagValues": values}}


def _lf_tags(aws: LocalAws) -> dict[str, list[str]]:
    return {t["TagKey"]: t["TagValues"] for t in aws.client("lakeformation", GOV).list_lf_tags()["LFTags"]}


def _association(key: str, value: str, database_name: str = "sales") -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::TagAssociation",
        "DependsOn": ["Domain", "Team"],
        "Properties": {
            "Resource": {"Database": {"CatalogId": GOV, "Name": database_name}},
            "LFTags": [{"CatalogId": GOV, "TagKey": key, "TagValues": [value]}],
        },
    }


def _database_tags(aws: LocalAws, name: str = "sales") -> dict[str, list[str]]:
    found = aws.client("lakeformation", GOV).get_resource_lf_tags(
        Resource={"Database": {"CatalogId": GOV, "Name": name}}
    )
    return {t["TagKey"]: t["TagValues"] for t in found.get("LFTagOnDatabase", [])}


def _workgroup(name: str, description: str) -> dict[str, Any]:
    return {"Type": "AWS::Athena::WorkGroup", "Properties": {"Name": name, "Description": description}}


def _workgroups(aws: LocalAws) -> dict[str, str]:
    athena = aws.client("athena", GOV)
    names = [w["Name"] for w in athena.list_work_groups()["WorkGroups"] if w["Name"] != "primary"]
    return {n: athena.get_work_group(WorkGroup=n)["WorkGroup"].get("Description", "") for n in names}


def _ruleset(name: str, rules: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Glue::DataQualityRuleset",
        "DependsOn": "Table",
        "Properties": {
            "Name": name,
            "Ruleset": rules,
            "TargetTable": {"DatabaseName": "sales", "TableName": "orders"},
        },
    }


def _rulesets(aws: LocalAws) -> dict[str, str]:
    glue = aws.client("glue", GOV)
    return {
        r["Name"]: glue.get_data_quality_ruleset(Name=r["Name"])["Ruleset"]
        for r in glue.list_data_quality_rulesets()["Rulesets"]
    }


def _bucket(name: str, versioning: str) -> dict[str, Any]:
    return {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": name, "VersioningConfiguration": {"Status": versioning}},
    }


def _buckets(aws: LocalAws) -> dict[str, str]:
    s3 = aws.client("s3", PRODUCER)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    return {n: s3.get_bucket_versioning(Bucket=n).get("Status", "") for n in names}


def _key(description: str) -> dict[str, Any]:
    return {"Type": "AWS::KMS::Key", "Properties": {"Description": description}}


def _keys(aws: LocalAws) -> list[str]:
    kms = aws.client("kms", PRODUCER)
    return sorted(kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["Description"] for k in kms.list_keys()["Keys"])


def _role(name: str, description: str) -> dict[str, Any]:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {"RoleName": name, "Description": description, "AssumeRolePolicyDocument": trust},
    }


def _roles(aws: LocalAws) -> dict[str, str]:
    return {r["RoleName"]: r.get("Description", "") for r in aws.client("iam", GOV).list_roles()["Roles"]}


CATALOG = {"Db": database("sales"), "Table": table({"Ref": "Db"}, "orders", ["id"])}
TAGS = {"Domain": _tag(["sales", "hr"]), "Team": _tag(["a", "b"], key="team")}


@pytest.fixture
def roles(aws: LocalAws) -> tuple[str, str]:
    return aws.role(GOV, "analyst"), aws.role(GOV, "auditor")


# (type, account, stack before, after an update in place (None: every property is
# create-only), after a replacing change, read-back, and the read-back expected after each)
Case = tuple[str, str, dict, dict | None, dict, Callable[[LocalAws], Any], list[Any]]

CASES: dict[str, Callable[[tuple[str, str]], Case]] = {
    "glue-table": lambda r: (
        "AWS::Glue::Table",
        GOV,
        CATALOG,
        {**CATALOG, "Table": table({"Ref": "Db"}, "orders", ["id", "amount"])},
        {**CATALOG, "Table": table({"Ref": "Db"}, "orders_v2", ["id", "amount"])},
        lambda aws: _tables(aws, "sales"),
        [{"orders": ["id"]}, {"orders": ["id", "amount"]}, {"orders_v2": ["id", "amount"]}],
    ),
    "lf-grant": lambda r: (
        "AWS::LakeFormation::PrincipalPermissions",
        GOV,
        {**CATALOG, "Share": grant(GOV, r[0], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"])},
        None,
        {**CATALOG, "Share": grant(GOV, r[1], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"])},
        _grants,
        [[(r[0], ["DESCRIBE"])], None, [(r[1], ["DESCRIBE"])]],
    ),
    "lf-tag": lambda r: (
        "AWS::LakeFormation::Tag",
        GOV,
        {"Domain": _tag(["sales"])},
        {"Domain": _tag(["sales", "hr"])},
        {"Domain": _tag(["sales", "hr"], key="area")},
        _lf_tags,
        [{"domain": ["sales"]}, {"domain": ["sales", "hr"]}, {"area": ["sales", "hr"]}],
    ),
    "lf-tag-association": lambda r: (
        "AWS::LakeFormation::TagAssociation",
        GOV,
        {**CATALOG, **TAGS, "Tagged": _association("domain", "sales")},
        None,
        {**CATALOG, **TAGS, "Tagged": _association("team", "a")},
        _database_tags,
        [{"domain": ["sales"]}, None, {"team": ["a"]}],
    ),
    "athena-workgroup": lambda r: (
        "AWS::Athena::WorkGroup",
        GOV,
        {"Wg": _workgroup("mesh", "v1")},
        {"Wg": _workgroup("mesh", "v2")},
        {"Wg": _workgroup("mesh2", "v2")},
        _workgroups,
        [{"mesh": "v1"}, {"mesh": "v2"}, {"mesh2": "v2"}],
    ),
    "glue-data-quality": lambda r: (
        "AWS::Glue::DataQualityRuleset",
        GOV,
        {**CATALOG, "Dq": _ruleset("orders_dq", "Rules = [ RowCount > 0 ]")},
        {**CATALOG, "Dq": _ruleset("orders_dq", 'Rules = [ IsComplete "id" ]')},
        {**CATALOG, "Dq": _ruleset("orders_dq2", 'Rules = [ IsComplete "id" ]')},
        _rulesets,
        [
            {"orders_dq": "Rules = [ RowCount > 0 ]"},
            {"orders_dq": 'Rules = [ IsComplete "id" ]'},
            {"orders_dq2": 'Rules = [ IsComplete "id" ]'},
        ],
    ),
    "s3-bucket": lambda r: (
        "AWS::S3::Bucket",
        PRODUCER,
        {"Data": _bucket("acme-data", "Suspended")},
        {"Data": _bucket("acme-data", "Enabled")},
        {"Data": _bucket("acme-data-v2", "Enabled")},
        _buckets,
        [{"acme-data": "Suspended"}, {"acme-data": "Enabled"}, {"acme-data-v2": "Enabled"}],
    ),
    "iam-role": lambda r: (
        "AWS::IAM::Role",
        GOV,
        {"Role": _role("reader", "v1")},
        {"Role": _role("reader", "v2")},
        {"Role": _role("reader2", "v2")},
        lambda aws: {k: v for k, v in _roles(aws).items() if k.startswith("reader")},
        [{"reader": "v1"}, {"reader": "v2"}, {"reader2": "v2"}],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_update_replacement_and_removal(aws: LocalAws, roles: tuple[str, str], name: str) -> None:
    resource_type, account, before, updated, replaced, read, expected = CASES[name](roles)
    logical_id = next(k for k, v in replaced.items() if v["Type"] == resource_type)
    assert aws.deploy(account, "s", before).status == "CREATE_COMPLETE"
    assert read(aws) == expected[0]
    if updated is not None:
        assert aws.deploy(account, "s", updated).status == "UPDATE_COMPLETE"
        assert read(aws) == expected[1]
        assert _statuses(aws, account, "s", logical_id)[-2:] == [
            ("UPDATE_IN_PROGRESS", None),
            ("UPDATE_COMPLETE", None),
        ]
    changed = resource_schemas.replacing_changes(
        resource_type, REGION, (updated or before)[logical_id]["Properties"], replaced[logical_id]["Properties"]
    )
    assert changed, "the replacing change must touch a create-only property of the schema"
    assert aws.deploy(account, "s", replaced).status == "UPDATE_COMPLETE"
    assert read(aws) == expected[2]
    statuses = _statuses(aws, account, "s", logical_id)
    deleted = [("DELETE_IN_PROGRESS", None), ("DELETE_COMPLETE", None)]
    if resource_schemas.schema(resource_type, REGION).get("replacementStrategy") == "delete_then_create":
        assert statuses[-4:] == [*deleted, ("UPDATE_IN_PROGRESS", REPLACING), ("UPDATE_COMPLETE", None)]
    else:  # the old one goes in the cleanup phase
        assert statuses[-4:] == [("UPDATE_IN_PROGRESS", REPLACING), ("UPDATE_COMPLETE", None), *deleted]
    removed = {k: v for k, v in replaced.items() if k != logical_id} or {
        "Other": database("other") if account == GOV else _key("other")
    }
    assert aws.deploy(account, "s", removed).status == "UPDATE_COMPLETE"
    assert read(aws) in ({}, [])


def test_kms_key_is_updated_in_place(aws: LocalAws) -> None:
    """``AWS::KMS::Key`` has no create-only property: a new description keeps the key."""
    aws.deploy(PRODUCER, "k", {"Key": _key("v1")})
    key_id = aws.client("cloudformation", PRODUCER).describe_stack_resource(StackName="k", LogicalResourceId="Key")
    assert aws.deploy(PRODUCER, "k", {"Key": _key("v2")}).status == "UPDATE_COMPLETE"
    assert _keys(aws) == ["v2"]
    again = aws.client("cloudformation", PRODUCER).describe_stack_resource(StackName="k", LogicalResourceId="Key")
    assert again["StackResourceDetail"]["PhysicalResourceId"] == key_id["StackResourceDetail"]["PhysicalResourceId"]


def test_a_retained_database_removed_by_an_update_stays(aws: LocalAws) -> None:
    kept = {**database("kept"), "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    aws.deploy(GOV, "c", {"Kept": kept, "Gone": database("gone")})
    assert aws.deploy(GOV, "c", {"Other": _tag(["x"])}).status == "UPDATE_COMPLETE"
    assert _databases(aws) == ["kept"]
    assert _statuses(aws, GOV, "c", "Kept")[-1] == ("DELETE_SKIPPED", None)
    assert _statuses(aws, GOV, "c", "Gone")[-1] == ("DELETE_COMPLETE", None)


def test_a_replaced_table_with_update_replace_policy_retain_stays(aws: LocalAws) -> None:
    retained = {**table({"Ref": "Db"}, "orders", ["id"]), "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}
    aws.deploy(GOV, "c", {"Db": database("sales"), "Table": retained})
    renamed = {**table({"Ref": "Db"}, "orders_v2", ["id"]), "UpdateReplacePolicy": "Retain", "DeletionPolicy": "Retain"}
    assert aws.deploy(GOV, "c", {"Db": database("sales"), "Table": renamed}).status == "UPDATE_COMPLETE"
    assert sorted(_tables(aws, "sales")) == ["orders", "orders_v2"]


def test_removed_resources_are_deleted_dependents_first(aws: LocalAws) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Dq": _ruleset("orders_dq", "Rules = [ RowCount > 0 ]")})
    assert aws.deploy(GOV, "c", {"Other": _tag(["x"])}).status == "UPDATE_COMPLETE"
    events = aws.client("cloudformation", GOV).describe_stack_events(StackName="c")["StackEvents"]
    deleted = [e["LogicalResourceId"] for e in reversed(events) if e["ResourceStatus"] == "DELETE_COMPLETE"]
    assert deleted == ["Dq", "Table", "Db"]
    assert _databases(aws) == []


def test_a_failed_update_rolls_back_and_the_next_one_succeeds(aws: LocalAws, roles: tuple[str, str]) -> None:
    before = {
        **CATALOG,
        "Wg": _workgroup("mesh", "v1"),
        "Share": grant(GOV, roles[0], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"]),
    }
    aws.deploy(GOV, "c", before)
    missing = {"Table": {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": "nope"}}
    failing = {
        **CATALOG,
        "Table": table({"Ref": "Db"}, "orders_v2", ["id", "amount"]),  # replaced: the new one is deleted again
        "Wg": _workgroup("mesh", "v2"),  # updated in place, then restored
        # replaced, deleting first (the schema's replacementStrategy): the old grant is made again
        "Share": grant(GOV, roles[1], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"]),
        "New": database("new"),  # created, then deleted
        "Broken": {**grant(GOV, roles[0], missing, ["SELECT"]), "DependsOn": ["New", "Share", "Wg", "Table"]},
    }
    deployed = aws.deploy(GOV, "c", failing)
    assert deployed.status == "UPDATE_ROLLBACK_COMPLETE"
    assert deployed.reason.startswith("The following resource(s) failed to update: [Broken]. EntityNotFoundException")
    assert _tables(aws, "sales") == {"orders": ["id"]}
    assert _workgroups(aws) == {"mesh": "v1"}
    assert _grants(aws) == [(roles[0], ["DESCRIBE"])]
    assert _databases(aws) == ["sales"]
    statuses = [s for s, _ in _statuses(aws, GOV, "c", "c")]
    assert statuses[-4:] == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE",
    ]

    fixed = {
        **failing,
        "Broken": {**grant(GOV, roles[0], {"Table": {**missing["Table"], "Name": {"Ref": "Table"}}}, ["SELECT"])},
    }
    assert aws.deploy(GOV, "c", fixed).status == "UPDATE_COMPLETE"
    assert _tables(aws, "sales") == {"orders_v2": ["id", "amount"]}
    assert _workgroups(aws) == {"mesh": "v2"}
    assert _databases(aws) == ["new", "sales"]
    assert _grants(aws) == sorted([(roles[0], ["SELECT"]), (roles[1], ["DESCRIBE"])])


def test_a_changed_grant_is_revoked_before_the_new_one_is_made(aws: LocalAws, roles: tuple[str, str]) -> None:
    """PrincipalPermissions replaces delete-then-create (its schema's replacementStrategy): a
    grant whose permissions change keeps none of the old that the new one also names revoked."""
    on_database = {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, roles[0], on_database, ["DESCRIBE"])})
    assert (
        aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, roles[0], on_database, ["DESCRIBE", "ALTER"])}).status
        == "UPDATE_COMPLETE"
    )
    assert _grants(aws) == [(roles[0], ["ALTER", "DESCRIBE"])]


def test_cleanup_runs_after_every_resource_was_updated(aws: LocalAws) -> None:
    aws.deploy(GOV, "c", {"Old": database("old")})
    aws.deploy(GOV, "c", {"New": database("new")})
    events = aws.client("cloudformation", GOV).describe_stack_events(StackName="c")["StackEvents"]
    order = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in reversed(events)][-7:]
    assert order == [
        ("c", "UPDATE_IN_PROGRESS"),
        ("New", "CREATE_IN_PROGRESS"),
        ("New", "CREATE_COMPLETE"),
        ("c", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("Old", "DELETE_IN_PROGRESS"),
        ("Old", "DELETE_COMPLETE"),
        ("c", "UPDATE_COMPLETE"),
    ]


def test_deleting_a_stack_keeps_retained_resources(aws: LocalAws) -> None:
    aws.deploy(GOV, "c", {"Kept": {**database("kept"), "DeletionPolicy": "Retain"}, "Gone": database("gone")})
    aws.client("cloudformation", GOV).delete_stack(StackName="c")
    assert _databases(aws) == ["kept"]
    assert [
        s["StackName"]
        for s in aws.client("cloudformation", GOV).list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    ] == ["c"]


BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
VERSIONED = {
    "Parameters": {"BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": BOOTSTRAP_PARAMETER}},
    "Resources": {"Db": database("sales", Description={"Ref": "BootstrapVersion"})},
}


def _versioned(description: str) -> str:
    template = json.loads(json.dumps(VERSIONED))
    template["Resources"]["Db"]["Properties"]["DatabaseInput"]["Parameters"] = {"note": description}
    return json.dumps(template)


def test_an_update_resolves_ssm_parameters_again(aws: LocalAws) -> None:
    """As ``cdk deploy`` does: the CDK's BootstrapVersion parameter with ``UsePreviousValue``."""
    ssm, cloudformation = aws.client("ssm", GOV), aws.client("cloudformation", GOV)
    ssm.put_parameter(Name=BOOTSTRAP_PARAMETER, Value="21", Type="String")
    cloudformation.create_change_set(
        StackName="v", ChangeSetName="cdk-deploy-change-set", TemplateBody=_versioned("1"), ChangeSetType="CREATE"
    )
    cloudformation.execute_change_set(ChangeSetName="cdk-deploy-change-set", StackName="v")
    ssm.put_parameter(Name=BOOTSTRAP_PARAMETER, Value="30", Type="String", Overwrite=True)
    cloudformation.create_change_set(
        StackName="v",
        ChangeSetName="cdk-deploy-change-set",
        TemplateBody=_versioned("2"),
        ChangeSetType="UPDATE",
        Parameters=[{"ParameterKey": "BootstrapVersion", "UsePreviousValue": True}],
    )
    cloudformation.execute_change_set(ChangeSetName="cdk-deploy-change-set", StackName="v")
    assert cloudformation.describe_stacks(StackName="v")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert aws.client("glue", GOV).get_database(Name="sales")["Database"]["Description"] == "30"


def test_create_and_update_stack_directly(aws: LocalAws) -> None:
    """``cdk deploy --method=direct``: CreateStack and UpdateStack, parameters kept by ``UsePreviousValue``."""
    ssm, cloudformation = aws.client("ssm", GOV), aws.client("cloudformation", GOV)
    ssm.put_parameter(Name=BOOTSTRAP_PARAMETER, Value="21", Type="String")
    cloudformation.create_stack(StackName="v", TemplateBody=_versioned("1"))
    assert cloudformation.describe_stacks(StackName="v")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    cloudformation.update_stack(
        StackName="v",
        TemplateBody=_versioned("2"),
        Parameters=[{"ParameterKey": "BootstrapVersion", "UsePreviousValue": True}],
    )
    assert cloudformation.describe_stacks(StackName="v")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    assert aws.client("glue", GOV).get_database(Name="sales")["Database"]["Parameters"] == {"note": "2"}


def test_a_direct_create_that_fails_rolls_back(aws: LocalAws) -> None:
    cloudformation = aws.client("cloudformation", GOV)
    template = {"Resources": {"Db": database("sales", catalog=CONSUMER)}}
    cloudformation.create_stack(StackName="bad", TemplateBody=json.dumps(template))
    stack = cloudformation.describe_stacks(StackName="bad")["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    assert f"cannot create a database in the catalog of account {CONSUMER}" in stack["StackStatusReason"]


def test_a_change_set_that_does_not_exist(aws: LocalAws) -> None:
    """DescribeChangeSet answers ChangeSetNotFound (what the CDK CLI waits for after deleting
    one); DeleteChangeSet of a missing one succeeds; an unknown stack is a ValidationError."""
    aws.deploy(GOV, "c", {"Db": database("sales")})
    cloudformation = aws.client("cloudformation", GOV)
    with pytest.raises(cloudformation.exceptions.ChangeSetNotFoundException) as missing:
        cloudformation.describe_change_set(StackName="c", ChangeSetName="cdk-deploy-change-set")
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    cloudformation.delete_change_set(StackName="c", ChangeSetName="cdk-deploy-change-set")
    with pytest.raises(ClientError) as unknown:
        cloudformation.describe_change_set(StackName="nowhere", ChangeSetName="cdk-deploy-change-set")
    assert unknown.value.response["Error"]["Code"] == "ValidationError"
