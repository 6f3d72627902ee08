"""AWS's naming rules hold at the local AWS's API: each rule through boto3, a name taken and a
name refused with AWS's error. Expected rules come from AWS's documentation and botocore's
service models, written out here, not read from localaws."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import GOV, database, table

GLUE_NAME = r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*"


def _refused(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    return error["Code"], error.get("Message", "")


def _create_bucket(s3: Any, name: str) -> Any:
    return s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name})


def _validation(value: str, where: str, constraint: str) -> tuple[str, str]:
    return "ValidationException", (
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: {constraint}"
    )


# S3 user guide, "General purpose bucket naming rules" -----------------------------------------


@pytest.mark.parametrize("name", ["abc", "my.data-bucket-1", "1" * 63])
def test_s3_takes_a_bucket_name_within_its_rules(aws: LocalAws, name: str) -> None:
    s3 = aws.client("s3", GOV)
    _create_bucket(s3, name)
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.mark.parametrize(
    "name",
    [
        "ab",
        "a" * 64,
        "Upper-case",
        "under_score",
        "-hyphen-first",
        "hyphen-last-",
        "two..dots",
        "192.168.5.4",
        "xn--punycode",
        "sthree-bucket",
        "amzn-s3-demo-bucket",
        "name-s3alias",
        "name--ol-s3",
        "name.mrap",
        "name--table-s3",  # boto3 sends a "--x-s3" name to S3 Express, not to CreateBucket
    ],
)
def test_s3_refuses_a_bucket_name_outside_its_rules(aws: LocalAws, name: str) -> None:
    s3 = aws.client("s3", GOV)
    assert _refused(_create_bucket, s3=s3, name=name) == ("InvalidBucketName", "The specified bucket is not valid.")
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


# Athena: botocore athena WorkGroupName ---------------------------------------------------------


def test_athena_takes_a_workgroup_name_within_its_pattern(aws: LocalAws) -> None:
    athena = aws.client("athena", GOV)
    name = "Mesh.sales_analysts-" + "x" * 108
    athena.create_work_group(Name=name)
    assert athena.get_work_group(WorkGroup=name)["WorkGroup"]["Name"] == name


@pytest.mark.parametrize("name", ["sales analysts", "sales/analysts", "größe", "x" * 129])
def test_athena_refuses_a_workgroup_name_outside_its_pattern(aws: LocalAws, name: str) -> None:
    athena = aws.client("athena", GOV)
    assert _refused(athena.create_work_group, Name=name) == _validation(
        name, "name", "Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}"
    )
    assert name not in [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]


# Glue: botocore glue NameString ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["données_ventes", "機密", "with space\tand tab", "math_\U0001d538", "d" * 255])
def test_glue_takes_database_and_table_names_of_its_name_string(aws: LocalAws, name: str) -> None:
    glue = aws.client("glue", GOV)
    glue.create_database(DatabaseInput={"Name": name})
    glue.create_table(DatabaseName=name, TableInput={"Name": name})
    assert glue.get_table(DatabaseName=name, Name=name)["Table"]["Name"] == name.lower()


@pytest.mark.parametrize("name", ["line\nbreak", "nul\x00", "bell\x07"])
def test_glue_refuses_a_database_name_outside_its_name_string(aws: LocalAws, name: str) -> None:
    glue = aws.client("glue", GOV)
    assert _refused(glue.create_database, DatabaseInput={"Name": name}) == _validation(
        name, "databaseInput.name", f"Member must satisfy regular expression pattern: {GLUE_NAME}"
    )
    assert _refused(glue.get_database, Name=name)[0] == "EntityNotFoundException"


def test_glue_refuses_a_too_long_database_name(aws: LocalAws) -> None:
    name = "d" * 256
    assert _refused(aws.client("glue", GOV).create_database, DatabaseInput={"Name": name}) == _validation(
        name, "databaseInput.name", "Member must have length less than or equal to 255"
    )


@pytest.mark.parametrize("name", ["line\nbreak", "t" * 256])
def test_glue_refuses_a_table_name_outside_its_name_string(aws: LocalAws, name: str) -> None:
    glue = aws.client("glue", GOV)
    glue.create_database(DatabaseInput={"Name": "sales"})
    code, message = _refused(glue.create_table, DatabaseName="sales", TableInput={"Name": name})
    assert (code, message.split(" failed")[0]) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'tableInput.name'",
    )
    assert glue.get_tables(DatabaseName="sales")["TableList"] == []


# KMS: botocore kms AliasNameType; KMS API reference, CreateAlias -------------------------------


def test_kms_takes_an_alias_within_its_pattern(aws: LocalAws) -> None:
    kms = aws.client("kms", GOV)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    name = "alias/mesh/sales_domain/data-" + "x" * 227
    kms.create_alias(AliasName=name, TargetKeyId=key)
    assert name in [a["AliasName"] for a in kms.list_aliases(KeyId=key)["Aliases"]]


@pytest.mark.parametrize(
    "name, refusal",
    [
        (
            "alias/" + "x" * 251,
            (
                "ValidationException",
                "1 validation error detected: Value 'alias/"
                + "x" * 251
                + "' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256",
            ),
        ),
        ("alias/aws/mesh", ("NotAuthorizedException", "")),
        (
            "alias/größe",
            _validation(
                "alias/größe", "aliasName", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$"
            ),
        ),
    ],
)
def test_kms_refuses_an_alias_outside_its_rules(aws: LocalAws, name: str, refusal: tuple[str, str]) -> None:
    kms = aws.client("kms", GOV)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    assert _refused(kms.create_alias, AliasName=name, TargetKeyId=key) == refusal
    assert kms.list_aliases(KeyId=key)["Aliases"] == []


# Glue Data Quality: CreateDataQualityRuleset's Name is a NameString (served for templates only) ---


def _ruleset(name: str) -> dict[str, Any]:
    return {
        "Db": database("sales"),
        "Table": table({"Ref": "Db"}, "orders", ["order_id"]),
        "Rules": {
            "Type": "AWS::Glue::DataQualityRuleset",
            "DependsOn": ["Table"],
            "Properties": {
                "Name": name,
                "Ruleset": "Rules = [ RowCount > 0 ]",
                "TargetTable": {"DatabaseName": {"Ref": "Db"}, "TableName": "orders"},
            },
        },
    }


@pytest.mark.parametrize("name", ["contrôle_qualité", "r" * 255])
def test_glue_takes_a_ruleset_name_of_its_name_string(aws: LocalAws, name: str) -> None:
    assert aws.deploy(GOV, "dq", _ruleset(name)).status == "CREATE_COMPLETE"
    assert aws.client("glue", GOV).get_data_quality_ruleset(Name=name)["Name"] == name


@pytest.mark.parametrize(
    "name, constraint",
    [
        ("line\nbreak", f"Member must satisfy regular expression pattern: {GLUE_NAME}"),
        ("r" * 256, "Member must have length less than or equal to 255"),
    ],
)
def test_glue_refuses_a_ruleset_name_outside_its_name_string(aws: LocalAws, name: str, constraint: str) -> None:
    deployed = aws.deploy(GOV, "dq", _ruleset(name))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert _validation(name, "name", constraint)[1] in deployed.reason
    assert aws.client("glue", GOV).list_data_quality_rulesets()["Rulesets"] == []


# IAM: botocore iam roleNameType, for a RoleName given (not one CloudFormation generates) ---------

TRUST = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
ROLE_CONSTRAINTS = {
    "rôle": r"Member must satisfy regular expression pattern: [\w+=,.@-]+",
    "r" * 65: "Member must have length less than or equal to 64",
}


def test_iam_takes_a_role_name_within_its_pattern(aws: LocalAws) -> None:
    iam = aws.client("iam", GOV)
    name = "mesh_sales+=,.@-producer" + "x" * 40
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    assert iam.get_role(RoleName=name)["Role"]["RoleName"] == name


@pytest.mark.parametrize("name", list(ROLE_CONSTRAINTS))
def test_iam_refuses_a_role_name_outside_its_pattern(aws: LocalAws, name: str) -> None:
    iam = aws.client("iam", GOV)
    code, message = _refused(iam.create_role, RoleName=name, AssumeRolePolicyDocument=TRUST)
    assert (code, message) == ("ValidationError", _validation(name, "roleName", ROLE_CONSTRAINTS[name])[1])
    assert _refused(iam.get_role, RoleName=name)[0] == "NoSuchEntity"


def _role(**named: str) -> dict[str, Any]:
    return {"Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": TRUST, **named}}}


@pytest.mark.parametrize("name", list(ROLE_CONSTRAINTS))
def test_iam_refuses_a_role_name_outside_its_pattern_from_a_template(aws: LocalAws, name: str) -> None:
    deployed = aws.deploy(GOV, "roles", _role(RoleName=name))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert _validation(name, "roleName", ROLE_CONSTRAINTS[name])[1] in deployed.reason


def test_iam_takes_a_role_a_template_leaves_unnamed(aws: LocalAws) -> None:
    assert (
        aws.deploy(GOV, "a-stack-name-long-enough-for-a-generated-role-name-over-64", _role()).status
        == "CREATE_COMPLETE"
    )
