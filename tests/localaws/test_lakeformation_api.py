"""Lake Formation's rules hold at its API: a boto3 call gets the answer a CloudFormation handler
gets (both reach the same backend method), for each rule a failing and a passing case."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from localaws.accounts import ACCESS_ROLE
from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, database, grant, table

CATALOG = {"Db": database("sales_customers"), "Table": table({"Ref": "Db"}, "customers", ["customer_id", "email"])}
NAMED = {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}
BY_REF = {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": {"Ref": "Table"}}


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    return f"{error['Code']}: {error['Message']}"


def _held(aws: LocalAws, principal: str) -> list[tuple[str, list[str]]]:
    listed = aws.client("lakeformation", GOV).list_permissions(CatalogId=GOV)["PrincipalResourcePermissions"]
    return sorted(
        (next(iter(g["Resource"])), sorted(g["Permissions"]))
        for g in listed
        if g["Principal"]["DataLakePrincipalIdentifier"] == principal
    )


# SELECT with grant option and column filtering: an include list ----------------------------------


EXCLUDED = "To grant SELECT with the grant option and column filtering, name the columns to include"


def test_select_with_grant_option_on_an_exclude_list_is_refused_from_a_template(aws: LocalAws, admins: None) -> None:
    excluded = {"TableWithColumns": {**BY_REF, "ColumnWildcard": {"ExcludedColumnNames": ["email"]}}}
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, excluded, ["SELECT"], ["SELECT"])})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0].startswith(f"InvalidInputException: {EXCLUDED}")
    included = {"TableWithColumns": {**BY_REF, "ColumnNames": ["customer_id"]}}
    assert (
        aws.deploy(GOV, "c2", {**CATALOG, "Share": grant(GOV, CONSUMER, included, ["SELECT"], ["SELECT"])}).status
        == "CREATE_COMPLETE"
    )


def test_select_with_grant_option_on_an_exclude_list_is_refused_through_the_api(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", CATALOG)
    lakeformation = aws.client("lakeformation", GOV)
    excluded = {"TableWithColumns": {**NAMED, "ColumnWildcard": {"ExcludedColumnNames": ["email"]}}}
    principal = {"DataLakePrincipalIdentifier": CONSUMER}
    assert _refused(
        lakeformation.grant_permissions,
        Principal=principal,
        Resource=excluded,
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"],
    ).startswith(f"InvalidInputException: {EXCLUDED}")
    lakeformation.grant_permissions(Principal=principal, Resource=excluded, Permissions=["SELECT"])  # without: allowed
    lakeformation.grant_permissions(
        Principal=principal,
        Resource={"TableWithColumns": {**NAMED, "ColumnNames": ["customer_id"]}},
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"],
    )
    assert _held(aws, CONSUMER) == [("TableWithColumns", ["SELECT"]), ("TableWithColumns", ["SELECT"])]


# SELECT on every column is SELECT on the table ------------------------------------------------------


def test_select_on_every_column_is_stored_and_revoked_as_select_on_the_table(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", CATALOG)
    lakeformation = aws.client("lakeformation", GOV)
    every_column = {"TableWithColumns": {**NAMED, "ColumnWildcard": {}}}
    principal = {"DataLakePrincipalIdentifier": CONSUMER}
    lakeformation.grant_permissions(Principal=principal, Resource={"Table": NAMED}, Permissions=["DESCRIBE"])
    lakeformation.grant_permissions(Principal=principal, Resource=every_column, Permissions=["SELECT"])
    assert _held(aws, CONSUMER) == [("Table", ["DESCRIBE", "SELECT"])]
    lakeformation.revoke_permissions(Principal=principal, Resource=every_column, Permissions=["SELECT"])
    assert _held(aws, CONSUMER) == [("Table", ["DESCRIBE"])]


def test_describe_on_a_table_and_select_on_its_every_column_are_one_identity(aws: LocalAws, admins: None) -> None:
    """Two resources on one grant as Lake Formation stores it (the old templates' DESCRIBE and SELECT of a table
    without pii columns) collide; one resource holding both permissions is made."""
    every_column = {"TableWithColumns": {**BY_REF, "ColumnWildcard": {}}}
    deployed = aws.deploy(
        GOV,
        "c",
        {
            **CATALOG,
            "Describe": grant(GOV, CONSUMER, {"Table": BY_REF}, ["DESCRIBE"], ["DESCRIBE"]),
            "Select": {**grant(GOV, CONSUMER, every_column, ["SELECT"], ["SELECT"]), "DependsOn": ["Describe"]},
        },
    )
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures[0].startswith("AlreadyExists: Resource of type 'AWS::LakeFormation::PrincipalPermissions'")
    both = grant(GOV, CONSUMER, {"Table": BY_REF}, ["DESCRIBE", "SELECT"], ["DESCRIBE", "SELECT"])
    assert aws.deploy(GOV, "c2", {**CATALOG, "Describe": both}).status == "CREATE_COMPLETE"
    assert _held(aws, CONSUMER) == [("Table", ["DESCRIBE", "SELECT"])]


# Who may grant and create LF-tags, and how many values a call takes ---------------------------------


def test_a_grant_through_the_api_by_no_data_lake_admin_is_refused_as_from_a_template(
    aws: LocalAws, admins: None
) -> None:
    aws.deploy(GOV, "c", CATALOG)
    lakeformation = aws.client("lakeformation", GOV)
    lakeformation.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": []})
    expected = (
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{GOV}:role/{ACCESS_ROLE} "
        f"is not a data lake administrator of account {GOV} and holds no grant option to grant SELECT on table "
        "sales_customers.customers"
    )
    assert (
        _refused(
            lakeformation.grant_permissions,
            Principal={"DataLakePrincipalIdentifier": CONSUMER},
            Resource={"Table": NAMED},
            Permissions=["SELECT"],
        )
        == expected
    )
    assert aws.deploy(GOV, "g", {"Share": grant(GOV, CONSUMER, {"Table": NAMED}, ["SELECT"])}).failures == [expected]
    aws.lake_formation_admin(GOV)
    lakeformation.grant_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER}, Resource={"Table": NAMED}, Permissions=["SELECT"]
    )
    assert _held(aws, CONSUMER) == [("Table", ["SELECT"])]


def test_lf_tags_through_the_api_are_created_only_by_data_lake_admins(aws: LocalAws) -> None:
    lakeformation = aws.client("lakeformation", GOV)
    assert _refused(lakeformation.create_lf_tag, TagKey="domain", TagValues=["sales"]) == (
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{GOV}:role/{ACCESS_ROLE} "
        f"is not a data lake administrator of account {GOV} and holds no grant option to create LF-tag domain"
    )
    aws.lake_formation_admin(GOV)
    lakeformation.create_lf_tag(TagKey="domain", TagValues=["sales"])
    assert lakeformation.get_lf_tag(TagKey="domain")["TagValues"] == ["sales"]


def test_an_lf_tag_call_through_the_api_takes_at_most_50_values(aws: LocalAws, admins: None) -> None:
    lakeformation = aws.client("lakeformation", GOV)
    values = [f"d{i}" for i in range(51)]
    assert _refused(lakeformation.create_lf_tag, TagKey="domain", TagValues=values) == (
        "InvalidInputException: LF-tag domain: 51 values created in one call; Lake Formation takes at most 50"
    )
    lakeformation.create_lf_tag(TagKey="domain", TagValues=values[:50])
    assert _refused(lakeformation.update_lf_tag, TagKey="domain", TagValuesToAdd=[f"e{i}" for i in range(51)]) == (
        "InvalidInputException: LF-tag domain: 51 values added in one call; Lake Formation takes at most 50"
    )
    lakeformation.update_lf_tag(TagKey="domain", TagValuesToAdd=["e0"])
    assert len(lakeformation.get_lf_tag(TagKey="domain")["TagValues"]) == 51


# The account's default permissions, and the step that clears them -------------------------------------


def _iam_allowed(aws: LocalAws, account: str) -> list[str]:
    listed = aws.client("lakeformation", account).list_permissions(CatalogId=account)["PrincipalResourcePermissions"]
    return sorted(
        next(iter(g["Resource"]))
        for g in listed
        if g["Principal"]["DataLakePrincipalIdentifier"] == "IAM_ALLOWED_PRINCIPALS"
    )


def test_a_new_account_leaves_new_databases_and_tables_to_iam_until_the_step(aws: LocalAws) -> None:
    """Lake Formation guide, "Changing the default settings for your data lake": ALL to IAM_ALLOWED_PRINCIPALS on
    every new database and table; :func:`lake_settings.prepare` clears it, keeping the admins."""
    from datamesh.doctor import lake_settings

    lakeformation = aws.client("lakeformation", GOV)
    before = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    admin = aws.role(GOV, ACCESS_ROLE)
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**before, "DataLakeAdmins": [{"DataLakePrincipalIdentifier": admin}]}
    )
    before = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    assert lake_settings.problems(before) == [
        "CreateDatabaseDefaultPermissions gives ALL to IAM_ALLOWED_PRINCIPALS",
        "CreateTableDefaultPermissions gives ALL to IAM_ALLOWED_PRINCIPALS",
        "cross-account version 1, needs 3 or later",
    ]
    aws.deploy(GOV, "old", {"Db": database("sales_old"), "Table": table({"Ref": "Db"}, "t", ["c"])})
    assert _iam_allowed(aws, GOV) == ["Database", "Table"]

    assert lake_settings.prepare(lakeformation, GOV) == lake_settings.problems(before)
    after = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    assert (after["DataLakeAdmins"], after["Parameters"]["CROSS_ACCOUNT_VERSION"]) == (before["DataLakeAdmins"], "3")
    assert lake_settings.problems(after) == [] and lake_settings.prepare(lakeformation, GOV) == []
    aws.deploy(GOV, "new", {"Db": database("sales_new"), "Table": table({"Ref": "Db"}, "t", ["c"])})
    assert _iam_allowed(aws, GOV) == ["Database", "Table"]  # the old ones only


def test_a_database_s_own_table_defaults_decide_for_its_new_tables(aws: LocalAws) -> None:
    """A database created with ``CreateTableDefaultPermissions`` gives its new tables those, not the account's:
    ``[]`` keeps IAM_ALLOWED_PRINCIPALS off its tables while the account's defaults still hold, and ALL to the
    group does the opposite after they are cleared (API reference, ``DataLakeSettings``: "You can override
    this default setting when you create a database")."""
    from datamesh.doctor import lake_settings

    everyone = [{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, "Permissions": ["ALL"]}]
    aws.deploy(
        GOV,
        "own",
        {"Db": database("sales_own", CreateTableDefaultPermissions=[]), "T": table({"Ref": "Db"}, "t", ["c"])},
    )
    assert _iam_allowed(aws, GOV) == ["Database"]  # the account's database default still holds; no table
    lakeformation = aws.client("lakeformation", GOV)
    admin = aws.role(GOV, ACCESS_ROLE)
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**settings, "DataLakeAdmins": [{"DataLakePrincipalIdentifier": admin}]}
    )
    lake_settings.prepare(lakeformation, GOV)
    aws.deploy(
        GOV,
        "iam",
        {"Db": database("sales_iam", CreateTableDefaultPermissions=everyone), "T": table({"Ref": "Db"}, "t", ["c"])},
    )
    assert _iam_allowed(aws, GOV) == ["Database", "Table"]  # sales_iam's table, by its database's own default


LINK = database(
    "sales_customers", catalog=CONSUMER, TargetDatabase={"CatalogId": GOV, "DatabaseName": "sales_customers"}
)


def _settings(admin: str) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::DataLakeSettings",
        "Properties": {"Admins": [{"DataLakePrincipalIdentifier": admin}], "MutationType": "APPEND"},
    }


def test_a_resource_link_racing_the_settings_that_make_its_deployer_admin_is_refused(aws: LocalAws) -> None:
    """Once the account's defaults are cleared, creating a database (a resource link is one) needs a data lake
    admin; a link in the stack that makes its deployer admin must depend on it, as the grants do."""
    from datamesh.doctor import lake_settings

    aws.lake_formation_admin(GOV)
    database_grant = grant(
        GOV, CONSUMER, {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"], ["DESCRIBE"]
    )
    aws.deploy(GOV, "c", {**CATALOG, "Share": database_grant})
    aws.accept_invitations(CONSUMER)
    caller = aws.role(CONSUMER, ACCESS_ROLE)
    lake_settings.prepare(aws.client("lakeformation", CONSUMER), CONSUMER)
    racing = aws.deploy(CONSUMER, "access", {"Admins": _settings(caller), "Link": LINK})
    assert racing.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): {caller} becomes a data lake administrator "
        "through Admins of the same stack, which Link does not depend on (CloudFormation may create them in either "
        "order; add DependsOn)"
    ]
    waiting = aws.deploy(CONSUMER, "access2", {"Admins": _settings(caller), "Link": {**LINK, "DependsOn": ["Admins"]}})
    assert waiting.status == "CREATE_COMPLETE"


def test_while_the_defaults_hold_iam_alone_decides_who_creates_a_database(aws: LocalAws) -> None:
    from datamesh.doctor import lake_settings

    aws.client("glue", CONSUMER).create_database(DatabaseInput={"Name": "scratch"})  # no data lake admin needed
    lake_settings.prepare(aws.client("lakeformation", CONSUMER), CONSUMER)
    assert _refused(aws.client("glue", CONSUMER).create_database, DatabaseInput={"Name": "scratch2"}) == (
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{CONSUMER}:role/{ACCESS_ROLE} "
        f"is not a data lake administrator of account {CONSUMER} and holds no grant option to create database scratch2"
    )


# Revoking: who may, and only what is held ---------------------------------------------------------------

IAM_ALLOWED = {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}
OLD_DATABASE = {"Database": {"CatalogId": GOV, "Name": "sales_old"}}


def test_iam_allowed_principals_permissions_are_revoked_by_a_data_lake_admin_and_only_once(aws: LocalAws) -> None:
    """A database and table made while the defaults hold give ALL to the group; a data lake admin revokes it
    (Lake Formation guide, "Revoking permissions using the Lake Formation console"), and revoking what is no
    longer held is refused with "No permissions revoked" (tokern/lakecli issue 10)."""
    lakeformation = aws.client("lakeformation", GOV)
    aws.deploy(GOV, "old", {"Db": database("sales_old"), "Table": table({"Ref": "Db"}, "t", ["c"])})
    assert _iam_allowed(aws, GOV) == ["Database", "Table"]
    assert _refused(
        lakeformation.revoke_permissions, Principal=IAM_ALLOWED, Resource=OLD_DATABASE, Permissions=["ALL"]
    ) == (
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{GOV}:role/{ACCESS_ROLE} is not "
        f"a data lake administrator of account {GOV} and holds no grant option to revoke ALL on database sales_old"
    )
    aws.lake_formation_admin(GOV)
    lakeformation.revoke_permissions(Principal=IAM_ALLOWED, Resource=OLD_DATABASE, Permissions=["ALL"])
    lakeformation.revoke_permissions(
        Principal=IAM_ALLOWED, Resource={"Table": {"DatabaseName": "sales_old", "Name": "t"}}, Permissions=["ALL"]
    )
    assert _iam_allowed(aws, GOV) == []
    assert _refused(
        lakeformation.revoke_permissions, Principal=IAM_ALLOWED, Resource=OLD_DATABASE, Permissions=["ALL"]
    ) == (
        "InvalidInputException: No permissions revoked. Grantee has no permissions and no grantable permissions on resource."
    )


def test_a_grant_revoked_outside_its_stack_is_deleted_with_the_stack(aws: LocalAws, admins: None) -> None:
    """The handler takes "No permissions revoked" on delete as the grant being gone already."""
    share = grant(GOV, CONSUMER, {"Table": BY_REF}, ["DESCRIBE"])
    aws.deploy(GOV, "c", {**CATALOG, "Share": share})
    aws.client("lakeformation", GOV).revoke_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER}, Resource={"Table": NAMED}, Permissions=["DESCRIBE"]
    )
    deployed = aws.deploy(GOV, "c", CATALOG)
    assert (deployed.status, deployed.failures) == ("UPDATE_COMPLETE", [])


def test_the_step_revokes_the_group_on_the_mesh_s_resources_only_and_keeps_the_admins(aws: LocalAws) -> None:
    """:func:`iam_allowed.revoke` from a caller that is no data lake admin: made one for the revocations, then not."""
    from datamesh.doctor import iam_allowed

    lakeformation = aws.client("lakeformation", GOV)
    aws.deploy(
        GOV,
        "old",
        {"Db": database("sales_old"), "Table": table({"Ref": "Db"}, "t", ["c"]), "Other": database("not_the_mesh_s")},
    )
    other_admin = {"DataLakePrincipalIdentifier": aws.role(GOV, "platform-admin")}
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    lakeformation.put_data_lake_settings(DataLakeSettings={**settings, "DataLakeAdmins": [other_admin]})
    mine = {("sales_old", ""): ("sales", "old"), ("sales_old", "t"): ("sales", "old")}
    revoked = iam_allowed.revoke(lakeformation, aws.client("sts", GOV), GOV, mine)
    assert sorted(revoked) == ["ALL on database sales_old", "ALL on table sales_old.t"]
    listed = lakeformation.list_permissions(CatalogId=GOV)["PrincipalResourcePermissions"]
    assert [g["Resource"] for g in listed if g["Principal"] == IAM_ALLOWED] == [
        {"Database": {"CatalogId": GOV, "Name": "not_the_mesh_s"}}
    ]
    assert lakeformation.get_data_lake_settings()["DataLakeSettings"]["DataLakeAdmins"] == [other_admin]
    assert iam_allowed.revoke(lakeformation, aws.client("sts", GOV), GOV, mine) == []
