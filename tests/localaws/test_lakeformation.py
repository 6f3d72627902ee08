"""Lake Formation models of the local AWS: admins, LF-tags, associations, locations, grants."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, PRODUCER, database, grant, table


def _admins(aws: LocalAws, account: str) -> list[str]:
    settings = aws.client("lakeformation", account).get_data_lake_settings()["DataLakeSettings"]
    return [a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]]


def _settings(admins: list[str], mutation: str) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::DataLakeSettings",
        "Properties": {
            "Admins": [{"DataLakePrincipalIdentifier": a} for a in admins],
            "MutationType": mutation,
        },
    }


def test_append_keeps_the_admins_set_outside_the_stack_and_removes_only_its_own(aws: LocalAws) -> None:
    outside, deployer, later = (aws.role(GOV, n) for n in ("outside", "deployer", "later"))
    lakeformation = aws.client("lakeformation", GOV)
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]  # a new account's: IAM decides who creates
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**settings, "DataLakeAdmins": [{"DataLakePrincipalIdentifier": outside}]}
    )

    aws.deploy(GOV, "admins", {"Admins": _settings([deployer], "APPEND")})
    assert _admins(aws, GOV) == [outside, deployer]

    aws.deploy(GOV, "admins", {"Admins": _settings([later], "APPEND")})
    assert _admins(aws, GOV) == [outside, later]

    aws.deploy(GOV, "admins", {"Other": database("other")})
    assert _admins(aws, GOV) == [outside]


def test_replace_sets_the_admin_list(aws: LocalAws) -> None:
    outside, deployer = aws.role(GOV, "outside"), aws.role(GOV, "deployer")
    aws.client("lakeformation", GOV).put_data_lake_settings(
        DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": outside}]}
    )
    aws.deploy(GOV, "admins", {"Admins": _settings([deployer], "REPLACE")})
    assert _admins(aws, GOV) == [deployer]


def test_an_admin_that_does_not_exist_is_rejected(aws: LocalAws) -> None:
    ghost = f"arn:aws:iam::{GOV}:role/ghost"
    deployed = aws.deploy(GOV, "admins", {"Admins": _settings([ghost], "APPEND")})
    assert deployed.failures == [f"InvalidInputException: Invalid principal: {ghost} does not exist"]
    assert _admins(aws, GOV) == []


def _tag(key: str, values: list[str]) -> dict[str, Any]:
    return {"Type": "AWS::LakeFormation::Tag", "Properties": {"CatalogId": GOV, "TagKey": key, "TagValues": values}}


def _tags(aws: LocalAws) -> dict[str, list[str]]:
    return {t["TagKey"]: t["TagValues"] for t in aws.client("lakeformation", GOV).list_lf_tags()["LFTags"]}


def test_lf_tag_is_created_updated_and_deleted(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "tags", {"Domain": _tag("domain", ["sales", "finance"])})
    assert _tags(aws) == {"domain": ["sales", "finance"]}
    aws.deploy(GOV, "tags", {"Domain": _tag("domain", ["sales", "marketing"])})
    assert sorted(_tags(aws)["domain"]) == ["marketing", "sales"]
    aws.deploy(GOV, "tags", {"Other": database("other")})
    assert _tags(aws) == {}


def test_an_lf_tag_that_exists_already_is_rejected(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "first", {"Domain": _tag("domain", ["sales"])})
    deployed = aws.deploy(GOV, "second", {"Domain": _tag("domain", ["sales"])})
    assert deployed.failures == [f"AlreadyExistsException: LF-tag domain already exists in catalog {GOV}"]


CATALOG = {
    "Domain": _tag("domain", ["sales"]),
    "Pii": _tag("pii", ["true", "false"]),
    "Db": database("sales_customers"),
    "Table": table({"Ref": "Db"}, "customers", ["customer_id", "email"]),
}


def _association(tags: list[tuple[str, str]], resource: dict[str, Any]) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::TagAssociation",
        "Properties": {
            "LFTags": [{"CatalogId": GOV, "TagKey": k, "TagValues": [v]} for k, v in tags],
            "Resource": resource,
        },
    }


def _resource_tags(aws: LocalAws, resource: dict[str, Any]) -> dict[str, Any]:
    found = aws.client("lakeformation", GOV).get_resource_lf_tags(Resource=resource)
    return {k: v for k, v in found.items() if k.startswith("LFTag")}


def test_tag_association_tags_a_database_and_columns_and_is_removed(aws: LocalAws, admins: None) -> None:
    database_tags = _association([("domain", "sales")], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}})
    column_tags = _association(
        [("pii", "true")],
        {
            "TableWithColumns": {
                "CatalogId": GOV,
                "DatabaseName": {"Ref": "Db"},
                "Name": {"Ref": "Table"},
                "ColumnNames": ["email"],
            }
        },
    )
    assert (
        aws.deploy(GOV, "c", {**CATALOG, "DbTags": database_tags, "PiiTags": column_tags}).status == "CREATE_COMPLETE"
    )
    assert _resource_tags(aws, {"Database": {"Name": "sales_customers"}}) == {
        "LFTagOnDatabase": [{"CatalogId": GOV, "TagKey": "domain", "TagValues": ["sales"]}]
    }
    columns = {"TableWithColumns": {"DatabaseName": "sales_customers", "Name": "customers", "ColumnNames": ["email"]}}
    assert _resource_tags(aws, columns)["LFTagsOnColumns"] == [
        {"Name": "email", "LFTags": [{"CatalogId": GOV, "TagKey": "pii", "TagValues": ["true"]}]}
    ]

    aws.deploy(GOV, "c", {**CATALOG, "DbTags": database_tags})
    assert _resource_tags(aws, columns).get("LFTagsOnColumns", []) == []


def test_tag_association_on_a_missing_table_is_rejected(aws: LocalAws, admins: None) -> None:
    missing = _association(
        [("domain", "sales")], {"Table": {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": "nope"}}
    )
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Tags": missing})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [f"EntityNotFoundException: Table sales_customers.nope not found in catalog {GOV}"]


def test_tag_association_on_a_missing_column_is_rejected(aws: LocalAws, admins: None) -> None:
    missing = _association(
        [("pii", "true")],
        {
            "TableWithColumns": {
                "CatalogId": GOV,
                "DatabaseName": {"Ref": "Db"},
                "Name": {"Ref": "Table"},
                "ColumnNames": ["phone"],
            }
        },
    )
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Tags": missing})
    assert deployed.failures == [
        f"EntityNotFoundException: Table sales_customers.customers in catalog {GOV} has no column(s) phone"
    ]


def test_tag_association_with_an_unknown_tag_value_is_rejected(aws: LocalAws, admins: None) -> None:
    unknown = _association([("domain", "hr")], {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}})
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Tags": unknown})
    assert deployed.failures == [f"InvalidInputException: LF-tag domain in catalog {GOV} has no value(s) hr"]


BUCKET = f"acme-sales-data-{PRODUCER}-eu-west-1"


def _location(role: Any, bucket: str = BUCKET) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::Resource",
        "Properties": {
            "ResourceArn": f"arn:aws:s3:::{bucket}",
            "RoleArn": role,
            "UseServiceLinkedRole": False,
        },
    }


def test_location_in_another_account_is_registered_updated_and_deregistered(aws: LocalAws) -> None:
    aws.deploy(PRODUCER, "storage", {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}})
    first, second = aws.role(GOV, "first"), aws.role(GOV, "second")
    lakeformation = aws.client("lakeformation", GOV)

    aws.deploy(GOV, "loc", {"Location": _location(first)})
    assert lakeformation.describe_resource(ResourceArn=f"arn:aws:s3:::{BUCKET}")["ResourceInfo"]["RoleArn"] == first
    aws.deploy(GOV, "loc", {"Location": _location(second)})
    assert lakeformation.describe_resource(ResourceArn=f"arn:aws:s3:::{BUCKET}")["ResourceInfo"]["RoleArn"] == second
    aws.deploy(GOV, "loc", {"Other": database("other")})
    assert lakeformation.list_resources()["ResourceInfoList"] == []


def test_registering_a_location_whose_bucket_is_missing_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "loc", {"Location": _location(aws.role(GOV, "reader"))})
    assert deployed.failures == [
        f"InvalidInputException: Cannot register arn:aws:s3:::{BUCKET}: the bucket {BUCKET} does not exist"
    ]


def test_registering_with_a_role_that_does_not_exist_is_rejected(aws: LocalAws) -> None:
    aws.deploy(PRODUCER, "storage", {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}})
    ghost = f"arn:aws:iam::{GOV}:role/ghost"
    deployed = aws.deploy(GOV, "loc", {"Location": _location(ghost)})
    assert deployed.failures == [f"InvalidInputException: Invalid principal: {ghost} does not exist"]


def _held(aws: LocalAws, account: str, principal: str) -> list[tuple[str, list[str], list[str]]]:
    listed = aws.client("lakeformation", account).list_permissions(CatalogId=account)["PrincipalResourcePermissions"]
    return sorted(
        (next(iter(g["Resource"])), sorted(g["Permissions"]), sorted(g["PermissionsWithGrantOption"]))
        for g in listed
        if g["Principal"]["DataLakePrincipalIdentifier"] == principal
    )


TABLE = {"Table": {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": {"Ref": "Table"}}}
COLUMNS = {
    "TableWithColumns": {
        "CatalogId": GOV,
        "DatabaseName": {"Ref": "Db"},
        "Name": {"Ref": "Table"},
        "ColumnNames": ["customer_id"],
    }
}


def test_grant_is_made_replaced_and_revoked(aws: LocalAws, admins: None) -> None:
    """Every property of a grant is create-only: a new principal is a new grant, the old one is revoked."""
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["DESCRIBE"], ["DESCRIBE"])})
    assert _held(aws, GOV, CONSUMER) == [("Table", ["DESCRIBE"], ["DESCRIBE"])]

    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, PRODUCER, TABLE, ["DESCRIBE", "SELECT"], ["DESCRIBE"])})
    assert _held(aws, GOV, CONSUMER) == []
    assert _held(aws, GOV, PRODUCER) == [("Table", ["DESCRIBE", "SELECT"], ["DESCRIBE"])]

    aws.deploy(GOV, "c", CATALOG)
    assert _held(aws, GOV, PRODUCER) == []


def test_grant_is_made_replaced_on_another_resource_and_revoked(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["SELECT"], ["SELECT"])})
    assert _held(aws, GOV, CONSUMER) == [("Table", ["SELECT"], ["SELECT"])]

    deployed = aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, COLUMNS, ["SELECT"], ["SELECT"])})
    assert deployed.status == "UPDATE_COMPLETE"
    assert _held(aws, GOV, CONSUMER) == [("TableWithColumns", ["SELECT"], ["SELECT"])]

    aws.deploy(GOV, "c", CATALOG)
    assert _held(aws, GOV, CONSUMER) == []


def test_changing_the_permissions_of_a_grant_revokes_it_then_grants_anew(aws: LocalAws, admins: None) -> None:
    """Every property is create-only and the schema says ``replacementStrategy: delete_then_create``:
    the old grant goes first, so the new one (same identity) does not collide with it."""
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["DESCRIBE"], ["DESCRIBE"])})
    deployed = aws.deploy(
        GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["DESCRIBE", "SELECT"], ["DESCRIBE"])}
    )
    assert deployed.status == "UPDATE_COMPLETE"
    assert _held(aws, GOV, CONSUMER) == [("Table", ["DESCRIBE", "SELECT"], ["DESCRIBE"])]
    share = [e["ResourceStatus"] for e in reversed(deployed.events) if e["LogicalResourceId"] == "Share"]
    assert share[-4:] == ["DELETE_IN_PROGRESS", "DELETE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]


def test_grant_on_a_missing_database_is_rejected(aws: LocalAws, admins: None) -> None:
    deployed = aws.deploy(
        GOV, "c", {"Share": grant(GOV, CONSUMER, {"Database": {"CatalogId": GOV, "Name": "nowhere"}}, ["DESCRIBE"])}
    )
    assert deployed.failures == [f"EntityNotFoundException: Database nowhere not found in catalog {GOV}"]


def test_grant_on_a_missing_table_is_rejected(aws: LocalAws, admins: None) -> None:
    missing = {"Table": {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": "nope"}}
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, missing, ["SELECT"])})
    assert deployed.failures == [f"EntityNotFoundException: Table sales_customers.nope not found in catalog {GOV}"]


def test_grant_to_a_role_that_does_not_exist_is_rejected(aws: LocalAws, admins: None) -> None:
    ghost = f"arn:aws:iam::{CONSUMER}:role/ghost"
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, ghost, TABLE, ["SELECT"])})
    assert deployed.failures == [f"InvalidInputException: Invalid principal: {ghost} does not exist"]


SHARED_TABLE = {"Table": {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}}
SHARED_COLUMNS = {
    "TableWithColumns": {
        "CatalogId": GOV,
        "DatabaseName": "sales_customers",
        "Name": "customers",
        "ColumnNames": ["customer_id"],
    }
}


def test_an_account_passes_on_what_it_holds_with_grant_option(aws: LocalAws, admins: None) -> None:
    aws.deploy(
        GOV,
        "c",
        {
            **CATALOG,
            "Describe": grant(GOV, CONSUMER, TABLE, ["DESCRIBE"], ["DESCRIBE"]),
            "Select": grant(GOV, CONSUMER, COLUMNS, ["SELECT"], ["SELECT"]),
        },
    )
    analyst = aws.role(CONSUMER, "analyst")
    assert aws.accept_invitations(CONSUMER) == [GOV]
    deployed = aws.deploy(
        CONSUMER,
        "access",
        {
            "Describe": grant(CONSUMER, analyst, SHARED_TABLE, ["DESCRIBE"]),
            "Select": grant(CONSUMER, analyst, SHARED_COLUMNS, ["SELECT"]),
        },
    )
    assert deployed.status == "CREATE_COMPLETE"
    assert _held(aws, CONSUMER, analyst) == [("Table", ["DESCRIBE"], []), ("TableWithColumns", ["SELECT"], [])]


def test_passing_on_a_permission_held_without_grant_option_is_rejected(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Select": grant(GOV, CONSUMER, COLUMNS, ["SELECT"])})
    analyst = aws.role(CONSUMER, "analyst")
    deployed = aws.deploy(CONSUMER, "access", {"Select": grant(CONSUMER, analyst, SHARED_COLUMNS, ["SELECT"])})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): account {CONSUMER} does not hold SELECT "
        f"with grant option on table sales_customers.customers (columns) (no grant from catalog {GOV} to the account)"
    ]


def test_an_account_shared_some_columns_may_pass_select_on_every_column_on(aws: LocalAws, admins: None) -> None:
    """Lake Formation guide, "Data filtering limitations": the external account's admin may grant SELECT on all
    columns; its principal still reads only the account's columns."""
    aws.deploy(GOV, "c", {**CATALOG, "Select": grant(GOV, CONSUMER, COLUMNS, ["SELECT"], ["SELECT"])})
    analyst = aws.role(CONSUMER, "analyst")
    assert aws.accept_invitations(CONSUMER) == [GOV]
    deployed = aws.deploy(CONSUMER, "access", {"Select": grant(CONSUMER, analyst, SHARED_TABLE, ["SELECT"])})
    assert deployed.status == "CREATE_COMPLETE"
    other = aws.role(CONSUMER, "other")
    denied = aws.deploy(CONSUMER, "more", {"Describe": grant(CONSUMER, other, SHARED_TABLE, ["DESCRIBE"])})
    assert "does not hold DESCRIBE with grant option on table sales_customers.customers" in denied.failures[0]


def test_two_grants_with_one_identity_fail_with_already_exists(aws: LocalAws, admins: None) -> None:
    """Identity = catalog + principal + resource (the schema's primaryIdentifier), as the old templates' Describe and Select."""
    deployed = aws.deploy(
        GOV,
        "c",
        {
            **CATALOG,
            "Describe": grant(GOV, CONSUMER, TABLE, ["DESCRIBE"], ["DESCRIBE"]),
            "Select": grant(GOV, CONSUMER, TABLE, ["SELECT"], ["SELECT"]),
        },
    )
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0].startswith("AlreadyExists: Resource of type 'AWS::LakeFormation::PrincipalPermissions'")
    assert (
        "(as Describe: one resource per catalog, principal and resource as Lake Formation stores it)"
        in deployed.failures[0]
    )


def test_a_grant_with_the_identity_of_one_in_another_stack_fails_with_already_exists(
    aws: LocalAws, admins: None
) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["DESCRIBE"], ["DESCRIBE"])})
    same_table = {"Table": {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}}
    deployed = aws.deploy(GOV, "other", {"Share": grant(GOV, CONSUMER, same_table, ["SELECT"])})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0].startswith("AlreadyExists: Resource of type 'AWS::LakeFormation::PrincipalPermissions'")
    assert _held(aws, GOV, CONSUMER) == [("Table", ["DESCRIBE"], ["DESCRIBE"])]


def test_revoking_a_grant_removes_its_permissions_whoever_else_granted_them(aws: LocalAws, admins: None) -> None:
    """Lake Formation keeps no count: the stack's grant is revoked though a grant made outside it overlaps."""
    aws.deploy(GOV, "c", {**CATALOG, "Select": grant(GOV, CONSUMER, TABLE, ["DESCRIBE", "SELECT"])})
    aws.client("lakeformation", GOV).grant_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER},
        Resource={"Table": {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}},
        Permissions=["SELECT"],
    )
    aws.deploy(GOV, "c", CATALOG)
    assert _held(aws, GOV, CONSUMER) == []


LF_VALUE_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:\*\/=+\-@%]*)$"  # Lake Formation API reference, LFTag
LF_KEY_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:\/=+\-@%]*)$"


def _refused(call: Any) -> tuple[str, str]:
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    raise AssertionError("the call was accepted")


def test_lf_tag_keys_and_values_lake_formation_allows_are_created_through_its_api(aws: LocalAws, admins: None) -> None:
    lf = aws.client("lakeformation", GOV)
    lf.create_lf_tag(TagKey="vertraulichkeit", TagValues=["öffentlich", "streng vertraulich", "機密", "*", "50%"])
    lf.create_lf_tag(TagKey="zone:eu/1=a+b-c@d%", TagValues=["v" * 256])
    lf.update_lf_tag(TagKey="vertraulichkeit", TagValuesToAdd=["länger"])
    assert sorted(_tags(aws)["vertraulichkeit"]) == sorted(
        ["öffentlich", "streng vertraulich", "機密", "*", "50%", "länger"]
    )
    assert _tags(aws)["zone:eu/1=a+b-c@d%"] == ["v" * 256]


def test_an_lf_tag_value_with_a_comma_is_refused_by_create_and_update(aws: LocalAws, admins: None) -> None:
    lf = aws.client("lakeformation", GOV)
    assert _refused(lambda: lf.create_lf_tag(TagKey="retention", TagValues=["short", "short,long"])) == (
        "ValidationException",
        "1 validation error detected: Value 'short,long' at 'tagValues.2.member' failed to "
        f"satisfy constraint: Member must satisfy regular expression pattern: {LF_VALUE_PATTERN}",
    )
    lf.create_lf_tag(TagKey="retention", TagValues=["short"])
    assert _refused(lambda: lf.update_lf_tag(TagKey="retention", TagValuesToAdd=["a,b"])) == (
        "ValidationException",
        "1 validation error detected: Value 'a,b' at 'tagValuesToAdd.1.member' failed to "
        f"satisfy constraint: Member must satisfy regular expression pattern: {LF_VALUE_PATTERN}",
    )
    assert _tags(aws) == {"retention": ["short"]}


def test_an_lf_tag_key_or_value_past_its_length_or_pattern_is_refused(aws: LocalAws, admins: None) -> None:
    lf = aws.client("lakeformation", GOV)
    assert _refused(lambda: lf.create_lf_tag(TagKey="k" * 129, TagValues=["v"]))[1].endswith(
        "at 'tagKey' failed to satisfy constraint: Member must have length less than or equal to 128"
    )
    assert _refused(lambda: lf.create_lf_tag(TagKey="k", TagValues=["v" * 257]))[1].endswith(
        "at 'tagValues.1.member' failed to satisfy constraint: Member must have length less than or equal to 256"
    )
    assert _refused(lambda: lf.create_lf_tag(TagKey="a*", TagValues=["v"])) == (
        "ValidationException",
        "1 validation error detected: Value 'a*' at 'tagKey' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {LF_KEY_PATTERN}",
    )
    assert _tags(aws) == {}


def test_a_template_s_lf_tag_gets_the_api_s_answer(aws: LocalAws, admins: None) -> None:
    deployed = aws.deploy(GOV, "tags", {"Retention": _tag("retention", ["short,long"])})
    assert deployed.failures == [
        "ValidationException: 1 validation error detected: Value 'short,long' at 'tagValues.1.member' failed to "
        f"satisfy constraint: Member must satisfy regular expression pattern: {LF_VALUE_PATTERN}"
    ]
    assert _tags(aws) == {}
