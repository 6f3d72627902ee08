"""A resource link's target is checked at Glue's API: ``glue.create_database`` with ``TargetDatabase`` through
boto3 gets the answer an ``AWS::Glue::Database`` template gets (both reach the same backend method)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, database, grant

TARGET = {"CatalogId": GOV, "DatabaseName": "sales_orders"}
LINK_INPUT = {"Name": "sales_orders", "TargetDatabase": TARGET}
SHARED = {
    "Db": database("sales_orders"),
    "Share": grant(GOV, CONSUMER, {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"], ["DESCRIBE"]),
}


def _through_the_api(aws: LocalAws) -> str:
    with pytest.raises(ClientError) as raised:
        aws.client("glue", CONSUMER).create_database(DatabaseInput=LINK_INPUT)
    error = raised.value.response["Error"]
    return f"{error['Code']}: {error['Message']}"


def _from_a_template(aws: LocalAws) -> list[str]:
    return aws.deploy(
        CONSUMER, "access", {"Link": database("sales_orders", catalog=CONSUMER, TargetDatabase=TARGET)}
    ).failures


def _both(aws: LocalAws) -> tuple[str, list[str]]:
    return _through_the_api(aws), _from_a_template(aws)


def test_a_link_to_a_database_that_does_not_exist_is_refused_either_way(aws: LocalAws) -> None:
    expected = f"EntityNotFoundException: Database sales_orders not found in catalog {GOV}"
    assert _both(aws) == (expected, [expected])


def test_a_link_to_a_database_not_shared_with_the_account_is_refused_either_way(aws: LocalAws) -> None:
    aws.deploy(GOV, "catalog", {"Db": database("sales_orders")})
    expected = (
        f"AccessDeniedException: Resource link sales_orders cannot target database sales_orders of catalog {GOV}: "
        f"it is not shared with account {CONSUMER} (no Lake Formation grant to the account)"
    )
    assert _both(aws) == (expected, [expected])


def test_a_link_to_a_share_whose_invitation_is_pending_is_refused_either_way(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "catalog", SHARED)
    [invitation] = aws.client("ram", CONSUMER).get_resource_share_invitations()["resourceShareInvitations"]
    expected = (
        f"AccessDeniedException: Insufficient Lake Formation permission(s): account {CONSUMER} has not accepted "
        f"the AWS RAM invitation {invitation['resourceShareInvitationArn']} from account {GOV}, which shares "
        f"arn:aws:glue:eu-west-1:{GOV}:database/sales_orders"
    )
    assert _both(aws) == (expected, [expected])


def test_a_link_to_an_accepted_share_is_made_either_way(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "catalog", SHARED)
    aws.accept_invitations(CONSUMER)
    glue = aws.client("glue", CONSUMER)
    glue.create_database(DatabaseInput={**LINK_INPUT, "Name": "through_the_api"})
    assert (
        aws.deploy(
            CONSUMER, "access", {"Link": database("from_a_template", catalog=CONSUMER, TargetDatabase=TARGET)}
        ).status
        == "CREATE_COMPLETE"
    )
    links: dict[str, Any] = {d["Name"]: d.get("TargetDatabase") for d in glue.get_databases()["DatabaseList"]}
    assert links == {"through_the_api": TARGET, "from_a_template": TARGET}


def test_an_update_that_points_a_link_at_an_unshared_database_is_refused_through_the_api(
    aws: LocalAws, admins: None
) -> None:
    aws.deploy(GOV, "catalog", {**SHARED, "Other": database("finance_invoices")})
    aws.accept_invitations(CONSUMER)
    glue = aws.client("glue", CONSUMER)
    glue.create_database(DatabaseInput=LINK_INPUT)
    with pytest.raises(ClientError) as raised:
        glue.update_database(
            Name="sales_orders",
            DatabaseInput={
                "Name": "sales_orders",
                "TargetDatabase": {"CatalogId": GOV, "DatabaseName": "finance_invoices"},
            },
        )
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"
    assert glue.get_database(Name="sales_orders")["Database"]["TargetDatabase"] == TARGET
