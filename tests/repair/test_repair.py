"""meshctl repair against moto: drift made by hand, put back as the blueprint says; what it cannot or must not
repair is left and listed; nothing happens without a yes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from datamesh.meshctl.app import app
from tests.support.moto_deploy import grant, session

GOV, MARKETING = "111111111111", "444444444444"
ANALYST = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"
COLUMNS = {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers", "ColumnNames": ["customer_id"]}
ACCOUNT_GRANT = f"marketing ({MARKETING}) on table sales_customers.customers (columns customer_id)"
ANALYST_GRANT = "acme-marketing-analyst on table sales_customers.customers (columns customer_id)"


def _drift(meshctl) -> list[tuple[str, str, str]]:
    report = json.loads(meshctl("doctor", "--json").stdout)
    return sorted((f["check"], f["resource"], f["status"]) for f in report["findings"] if f["status"] != "ok")


def _revoke_select(catalog: str, principal: str, grantable: bool) -> None:
    session(catalog).client("lakeformation").revoke_permissions(
        CatalogId=catalog,
        Principal={"DataLakePrincipalIdentifier": principal},
        Resource={"TableWithColumns": COLUMNS},
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"] if grantable else [],
    )


def test_a_revoked_grant_is_granted_again_and_an_extra_one_is_left(deployed, meshctl):
    _revoke_select(GOV, MARKETING, grantable=True)
    lakeformation = session(GOV).client("lakeformation")
    grant(lakeformation, GOV, MARKETING, {"Database": {"CatalogId": GOV, "Name": "finance_invoices"}}, ["DESCRIBE"])
    result = meshctl("repair", "--yes")
    assert result.exit_code == 1, result.output
    assert f"{GOV} grant {ACCOUNT_GRANT} (missing): grant SELECT with grant option" in result.stdout
    assert f"not repaired: {GOV} grant marketing ({MARKETING}) on database finance_invoices (extra)" in result.stderr
    assert _drift(meshctl) == [("grant", f"marketing ({MARKETING}) on database finance_invoices", "extra")]
    held = [
        e
        for e in lakeformation.list_permissions(CatalogId=GOV)["PrincipalResourcePermissions"]
        if e["Principal"]["DataLakePrincipalIdentifier"] == MARKETING and "TableWithColumns" in e["Resource"]
    ]
    assert [(e["Permissions"], e["PermissionsWithGrantOption"]) for e in held] == [(["SELECT"], ["SELECT"])]


def test_nothing_is_done_without_a_yes(deployed):
    _revoke_select(GOV, MARKETING, grantable=True)
    result = CliRunner().invoke(app, ["repair"], input="n\n", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "take these 1 action(s)?" in result.stdout
    assert "repaired" not in result.stdout
    held = session(GOV).client("lakeformation").list_permissions(CatalogId=GOV)["PrincipalResourcePermissions"]
    assert not [
        e
        for e in held
        if e["Principal"]["DataLakePrincipalIdentifier"] == MARKETING and "TableWithColumns" in e["Resource"]
    ]


def test_only_the_findings_named_are_repaired(deployed, meshctl):
    _revoke_select(MARKETING, ANALYST, grantable=False)
    lakeformation = session(GOV).client("lakeformation")
    grant(lakeformation, GOV, MARKETING, {"Database": {"CatalogId": GOV, "Name": "finance_invoices"}}, ["DESCRIBE"])
    result = meshctl("repair", "--check", "analyst-grant", "--resource", ANALYST_GRANT, "--yes")
    assert result.exit_code == 0, result.output
    assert _drift(meshctl) == [("grant", f"marketing ({MARKETING}) on database finance_invoices", "extra")]


def test_a_grant_lake_formation_refuses_is_one_line_and_exit_4(deployed, meshctl):
    """The analyst's grant needs the account's grant with its grant option first (Lake Formation guide,
    "Granting permissions on Data Catalog resources"): naming only the analyst's, repair is refused."""
    _revoke_select(GOV, MARKETING, grantable=True)
    _revoke_select(MARKETING, ANALYST, grantable=False)
    result = meshctl("repair", "--check", "analyst-grant", "--yes")
    assert result.exit_code == 4
    assert "error: repair: LakeFormation GrantPermissions" in result.stderr
    assert "Traceback" not in result.output
    result = meshctl("repair", "--yes")
    assert result.exit_code == 0, result.output
    assert _drift(meshctl) == []


def test_a_deleted_resource_link_is_made_again_pointing_at_the_product(deployed, meshctl):
    session(MARKETING).client("glue").delete_database(CatalogId=MARKETING, Name="sales_customers")
    assert ("resource-link", "sales_customers", "missing") in _drift(meshctl)
    result = meshctl("repair", "--check", "resource-link", "--yes")
    assert result.exit_code == 0, result.output
    link = session(MARKETING).client("glue").get_database(CatalogId=MARKETING, Name="sales_customers")["Database"]
    assert link["TargetDatabase"] == {"CatalogId": GOV, "DatabaseName": "sales_customers"}
    assert _drift(meshctl) == []


def test_the_catalog_keys_statement_is_put_back_and_the_rest_of_the_policy_kept(deployed, meshctl):
    kms = session(GOV).client("kms")
    key = kms.describe_key(KeyId="alias/acme/catalog")["KeyMetadata"]["Arn"]
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    kept = [s for s in policy["Statement"] if s.get("Sid") != "MeshAccountsUseCatalogThroughGlue"]
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({**policy, "Statement": kept}))
    assert {check for check, _, _ in _drift(meshctl)} == {"key-access"}
    result = meshctl("repair", "--yes")
    assert result.exit_code == 0, result.output
    assert _drift(meshctl) == []
    now = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])["Statement"]
    assert now[: len(kept)] == kept
    assert now[-1]["Sid"] == "MeshAccountsUseCatalogThroughGlue"
    assert now[-1]["Condition"]["StringEquals"]["kms:ViaService"] == "glue.eu-west-1.amazonaws.com"


def test_a_pending_invitation_is_accepted(deployed, meshctl):
    ram = session(MARKETING).client("ram")
    (share,) = {i["resourceShareArn"] for i in ram.get_resource_share_invitations()["resourceShareInvitations"]}
    session(GOV).client("ram").delete_resource_share(resourceShareArn=share)
    lakeformation = session(GOV).client("lakeformation")
    grant(lakeformation, GOV, MARKETING, {"Database": {"CatalogId": GOV, "Name": "sales_customers"}}, ["DESCRIBE"])
    drift = _drift(meshctl)
    assert [(check, status) for check, _, status in drift] == [("ram-invitation", "different")]
    result = meshctl("repair", "--yes")
    assert result.exit_code == 0, result.output
    assert _drift(meshctl) == []
