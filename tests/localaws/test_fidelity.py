"""The local AWS refuses what real AWS refuses: who may grant and in which order, LF-tag value
limits, AWS RAM invitations and organizations. Each rule has a failing and a passing template."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from datamesh.deploy.invitations import accept_invitations
from localaws.accounts import ACCESS_ROLE
from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, PRODUCER, database, grant, table

CATALOG = {"Db": database("sales_orders"), "Table": table({"Ref": "Db"}, "orders", ["order_id", "email"])}
TABLE = {"Table": {"CatalogId": GOV, "DatabaseName": {"Ref": "Db"}, "Name": {"Ref": "Table"}}}
DATABASE = {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}
LINK = database("sales_orders", catalog=CONSUMER, TargetDatabase={"CatalogId": GOV, "DatabaseName": "sales_orders"})


def _settings(admin: str) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::DataLakeSettings",
        "Properties": {"Admins": [{"DataLakePrincipalIdentifier": admin}], "MutationType": "APPEND"},
    }


def _tag(values: list[str]) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::Tag",
        "Properties": {"CatalogId": GOV, "TagKey": "domain", "TagValues": values},
    }


# Who may grant --------------------------------------------------------------------------


def test_a_grant_by_a_principal_that_is_no_data_lake_admin_is_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["SELECT"])})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{GOV}:role/{ACCESS_ROLE} "
        f"is not a data lake administrator of account {GOV} and holds no grant option to grant SELECT on table "
        "sales_orders.orders"
    ]


def test_a_principal_holding_the_grant_option_may_grant_without_being_admin(aws: LocalAws) -> None:
    aws.role(GOV, ACCESS_ROLE)  # a grant's principal must exist
    caller = aws.lake_formation_admin(GOV)
    aws.deploy(GOV, "c", CATALOG)
    lakeformation = aws.client("lakeformation", GOV)
    lakeformation.grant_permissions(
        Principal={"DataLakePrincipalIdentifier": caller},
        Resource={"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "orders"}},
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"],
    )
    lakeformation.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": []})
    analyst = aws.role(GOV, "analyst")
    assert (
        aws.deploy(
            GOV,
            "g",
            {
                "Share": grant(
                    GOV,
                    analyst,
                    {"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "orders"}},
                    ["SELECT"],
                )
            },
        ).status
        == "CREATE_COMPLETE"
    )


def test_a_grant_that_races_the_settings_making_its_deployer_admin_is_refused(aws: LocalAws) -> None:
    """CloudFormation creates resources without a dependency in parallel: the old Access stacks' grants."""
    caller = aws.role(GOV, ACCESS_ROLE)
    racing = {"Admins": _settings(caller), **CATALOG, "Share": grant(GOV, CONSUMER, TABLE, ["SELECT"])}
    deployed = aws.deploy(GOV, "c", racing)
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): {caller} becomes a data lake administrator "
        "through Admins of the same stack, which Share does not depend on (CloudFormation may create them in either "
        "order; add DependsOn)"
    ]


def test_a_grant_that_depends_on_the_settings_making_its_deployer_admin_is_made(aws: LocalAws) -> None:
    caller = aws.role(GOV, ACCESS_ROLE)
    ordered = {
        "Share": {**grant(GOV, CONSUMER, TABLE, ["SELECT"]), "DependsOn": ["Admins"]},
        **CATALOG,
        "Admins": _settings(caller),
    }
    assert aws.deploy(GOV, "c", ordered).status == "CREATE_COMPLETE"


def test_an_admin_made_by_an_earlier_deploy_of_the_stack_may_grant(aws: LocalAws) -> None:
    caller = aws.role(GOV, ACCESS_ROLE)
    aws.deploy(GOV, "c", {**CATALOG, "Admins": _settings(caller)})
    assert (
        aws.deploy(
            GOV, "c", {**CATALOG, "Admins": _settings(caller), "Share": grant(GOV, CONSUMER, TABLE, ["SELECT"])}
        ).status
        == "UPDATE_COMPLETE"
    )


def test_tags_are_created_and_associated_only_by_data_lake_admins(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "t", {"Domain": _tag(["sales"])})
    assert deployed.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): arn:aws:iam::{GOV}:role/{ACCESS_ROLE} "
        f"is not a data lake administrator of account {GOV} and holds no grant option to create LF-tag domain"
    ]


# LF-tag values --------------------------------------------------------------------------


def test_an_lf_tag_takes_at_most_50_values_per_call(aws: LocalAws, admins: None) -> None:
    values = [f"d{i}" for i in range(51)]
    deployed = aws.deploy(GOV, "t", {"Domain": _tag(values)})
    assert deployed.failures == [
        "InvalidInputException: LF-tag domain: 51 values created in one call; Lake Formation takes at most 50"
    ]
    assert aws.deploy(GOV, "t2", {"Domain": _tag(values[:50])}).status == "CREATE_COMPLETE"


def test_adding_more_than_50_values_in_one_update_is_refused(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "t", {"Domain": _tag(["sales"])})
    deployed = aws.deploy(GOV, "t", {"Domain": _tag(["sales", *(f"d{i}" for i in range(51))])})
    assert deployed.status == "UPDATE_ROLLBACK_COMPLETE"
    assert (
        deployed.failures[0]
        == "InvalidInputException: LF-tag domain: 51 values added in one call; Lake Formation takes at most 50"
    )


# AWS RAM ----------------------------------------------------------------------------------


def _invitations(aws: LocalAws, account: str) -> list[dict[str, Any]]:
    return aws.client("ram", account).get_resource_share_invitations()["resourceShareInvitations"]


def test_a_grant_to_another_account_invites_it_and_the_share_is_unusable_until_accepted(
    aws: LocalAws, admins: None
) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, DATABASE, ["DESCRIBE"], ["DESCRIBE"])})
    [invitation] = _invitations(aws, CONSUMER)
    assert (invitation["senderAccountId"], invitation["receiverAccountId"], invitation["status"]) == (
        GOV,
        CONSUMER,
        "PENDING",
    )

    deployed = aws.deploy(CONSUMER, "access", {"Link": LINK})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        f"AccessDeniedException: Insufficient Lake Formation permission(s): account {CONSUMER} has not accepted the "
        f"AWS RAM invitation {invitation['resourceShareInvitationArn']} from account {GOV}, which shares "
        f"arn:aws:glue:eu-west-1:{GOV}:database/sales_orders"
    ]

    assert accept_invitations(aws.client("ram", CONSUMER), GOV) == [invitation["resourceShareInvitationArn"]]
    assert accept_invitations(aws.client("ram", CONSUMER), GOV) == []
    assert aws.deploy(CONSUMER, "access-again", {"Link": LINK}).status == "CREATE_COMPLETE"


def test_re_granting_a_share_whose_invitation_is_pending_is_refused(aws: LocalAws, admins: None) -> None:
    columns = {
        "TableWithColumns": {
            "CatalogId": GOV,
            "DatabaseName": {"Ref": "Db"},
            "Name": {"Ref": "Table"},
            "ColumnWildcard": {},
        }
    }
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, columns, ["SELECT"], ["SELECT"])})
    analyst = aws.role(CONSUMER, "analyst")
    shared = {
        "TableWithColumns": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "orders", "ColumnWildcard": {}}
    }
    deployed = aws.deploy(CONSUMER, "access", {"Select": grant(CONSUMER, analyst, shared, ["SELECT"])})
    assert f"account {CONSUMER} has not accepted the AWS RAM invitation" in deployed.failures[0]


def test_accepting_an_invitation_twice_fails_as_ram_does(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, DATABASE, ["DESCRIBE"])})
    ram = aws.client("ram", CONSUMER)
    arn = _invitations(aws, CONSUMER)[0]["resourceShareInvitationArn"]
    ram.accept_resource_share_invitation(resourceShareInvitationArn=arn)
    with pytest.raises(ClientError) as raised:
        ram.accept_resource_share_invitation(resourceShareInvitationArn=arn)
    assert raised.value.response["Error"]["Code"] == "ResourceShareInvitationAlreadyAcceptedException"


def _organization(aws: LocalAws, *, ram_sharing: bool) -> None:
    organizations = aws.client("organizations", GOV)
    organizations.create_organization(FeatureSet="ALL")
    for account in (PRODUCER, CONSUMER):
        organizations.invite_account_to_organization(Target={"Id": account, "Type": "ACCOUNT"})
    if ram_sharing:
        aws.client("ram", GOV).enable_sharing_with_aws_organization()


def test_within_an_organization_with_ram_sharing_no_invitation_is_needed(aws: LocalAws, admins: None) -> None:
    _organization(aws, ram_sharing=True)
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, DATABASE, ["DESCRIBE"], ["DESCRIBE"])})
    assert _invitations(aws, CONSUMER) == []
    assert aws.deploy(CONSUMER, "access", {"Link": LINK}).status == "CREATE_COMPLETE"


def test_an_organization_without_ram_sharing_still_invites(aws: LocalAws, admins: None) -> None:
    _organization(aws, ram_sharing=False)
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, DATABASE, ["DESCRIBE"], ["DESCRIBE"])})
    assert [i["status"] for i in _invitations(aws, CONSUMER)] == ["PENDING"]
    assert aws.deploy(CONSUMER, "access", {"Link": LINK}).status == "ROLLBACK_COMPLETE"


def test_an_invitation_from_an_account_other_than_the_governance_one_stays_pending(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Share": grant(GOV, CONSUMER, DATABASE, ["DESCRIBE"], ["DESCRIBE"])})
    aws.deploy(
        PRODUCER,
        "p",
        {
            "Db": database("scratch", catalog=PRODUCER),
            "Share": grant(
                PRODUCER, CONSUMER, {"Database": {"CatalogId": PRODUCER, "Name": {"Ref": "Db"}}}, ["DESCRIBE"]
            ),
        },
    )
    by_sender = {i["senderAccountId"]: i for i in _invitations(aws, CONSUMER)}
    assert accept_invitations(aws.client("ram", CONSUMER), GOV) == [by_sender[GOV]["resourceShareInvitationArn"]]
    assert {i["senderAccountId"]: i["status"] for i in _invitations(aws, CONSUMER)} == {
        GOV: "ACCEPTED",
        PRODUCER: "PENDING",
    }
