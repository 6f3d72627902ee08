"""IAM Identity Center in the local AWS: each account's instance and identity store, the Lake Formation Identity
Center configuration, and grants to users and groups; each rule with a failing and a passing case."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from localaws.resources.identity_center import entity_id, instance_of
from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV

REGION = "eu-west-1"
INSTANCE, STORE = instance_of(GOV, REGION)


def _error(call, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def _group(aws: LocalAws, name: str) -> str:
    return aws.client("identitystore", GOV).create_group(IdentityStoreId=STORE, DisplayName=name)["GroupId"]


def _grant(aws: LocalAws, principal: str) -> None:
    aws.client("glue", CONSUMER).create_database(DatabaseInput={"Name": "reports"})
    aws.client("lakeformation", CONSUMER).grant_permissions(
        Principal={"DataLakePrincipalIdentifier": principal},
        Resource={"Database": {"CatalogId": CONSUMER, "Name": "reports"}},
        Permissions=["DESCRIBE"],
    )


def test_an_accounts_instance_and_its_groups_have_the_ids_a_mesh_file_can_name(aws: LocalAws) -> None:
    (instance,) = aws.client("sso-admin", GOV).list_instances()["Instances"]
    assert (instance["InstanceArn"], instance["IdentityStoreId"]) == (INSTANCE, STORE)
    assert _group(aws, "marketing-campaigns") == entity_id(STORE, "marketing-campaigns")


def test_without_a_configuration_describe_answers_not_found(aws: LocalAws) -> None:
    lf = aws.client("lakeformation", CONSUMER)
    code, _ = _error(lf.describe_lake_formation_identity_center_configuration, CatalogId=CONSUMER)
    assert code == "EntityNotFoundException"


def test_a_configuration_names_an_instance_that_exists_and_is_made_once(aws: LocalAws) -> None:
    assert aws.client("sso-admin", GOV).list_instances()["Instances"]  # the management account's instance
    lf = aws.client("lakeformation", CONSUMER)
    unknown = "arn:aws:sso:::instance/ssoins-0000000000000000"
    assert _error(lf.create_lake_formation_identity_center_configuration, CatalogId=CONSUMER, InstanceArn=unknown) == (
        "InvalidInputException",
        f"Identity Center instance {unknown} does not exist",
    )
    lf.create_lake_formation_identity_center_configuration(
        CatalogId=CONSUMER, InstanceArn=INSTANCE, ShareRecipients=[{"DataLakePrincipalIdentifier": GOV}]
    )
    found = lf.describe_lake_formation_identity_center_configuration(CatalogId=CONSUMER)
    assert (found["InstanceArn"], found["ShareRecipients"]) == (INSTANCE, [{"DataLakePrincipalIdentifier": GOV}])
    code, _ = _error(lf.create_lake_formation_identity_center_configuration, CatalogId=CONSUMER, InstanceArn=INSTANCE)
    assert code == "AlreadyExistsException"


def test_a_grant_to_a_group_needs_the_accounts_configuration(aws: LocalAws, admins: None) -> None:
    principal = f"arn:aws:identitystore:::group/{_group(aws, 'marketing-campaigns')}"
    code, message = _error(_grant, aws=aws, principal=principal)
    assert (code, message) == (
        "InvalidInputException",
        f"Invalid principal: account {CONSUMER} has no Lake Formation Identity Center configuration",
    )


def test_a_grant_to_a_group_that_exists_is_listed(aws: LocalAws, admins: None) -> None:
    principal = f"arn:aws:identitystore:::group/{_group(aws, 'marketing-campaigns')}"
    lf = aws.client("lakeformation", CONSUMER)
    lf.create_lake_formation_identity_center_configuration(CatalogId=CONSUMER, InstanceArn=INSTANCE)
    _grant(aws, principal)
    held = lf.list_permissions(
        Principal={"DataLakePrincipalIdentifier": principal},
        Resource={"Database": {"CatalogId": CONSUMER, "Name": "reports"}},
    )["PrincipalResourcePermissions"]
    assert [h["Permissions"] for h in held] == [["DESCRIBE"]]


@pytest.mark.parametrize("kind", ["group", "user"])
def test_a_grant_to_a_user_or_group_that_does_not_exist_fails(aws: LocalAws, admins: None, kind: str) -> None:
    aws.client("lakeformation", CONSUMER).create_lake_formation_identity_center_configuration(
        CatalogId=CONSUMER, InstanceArn=INSTANCE
    )
    principal = f"arn:aws:identitystore:::{kind}/{entity_id(STORE, 'nobody')}"
    assert _error(_grant, aws=aws, principal=principal) == (
        "InvalidInputException",
        f"Invalid principal: {principal} does not exist in identity store {STORE}",
    )
