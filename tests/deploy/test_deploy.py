"""meshctl deploy: the waves it deploys between standalone accounts, --since, and its failures as one line.
(tests/localaws/test_e2e_standalone.py runs it against the local AWS with the real CDK CLI.)"""

from __future__ import annotations

import shutil

import boto3
import pytest
from moto import mock_aws

from datamesh.blueprint import targeted
from datamesh.config import Mesh, load_mesh
from datamesh.deploy.invitations import accept_invitations, await_invitations, waves
from datamesh.meshctl.exit_codes import ExitCode
from localaws.resources import athena, identity_center
from tests.conftest import EXAMPLE_MESH
from tests.meshctl.test_plan_against_templates import EDITS, yaml_edit
from tests.support.git_mesh import commit_example_mesh


@pytest.fixture(autouse=True)
def accounts(monkeypatch):
    """moto's accounts, reached from fake credentials: meshctl deploy sets their Lake Formation settings first."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "MESHCTL_ROLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    identity_center.install()  # moto has no Lake Formation Identity Center configuration: the local AWS's
    with mock_aws():
        yield


def _client(account: str, service: str):
    credentials = boto3.client("sts", region_name="eu-west-1").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="test"
    )["Credentials"]
    return boto3.client(
        service,
        region_name="eu-west-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def _settings(account: str) -> dict:
    return _client(account, "lakeformation").get_data_lake_settings()["DataLakeSettings"]


def test_settings_only_clears_the_defaults_and_raises_the_version_in_every_mesh_account(
    meshctl, example_mesh: Mesh, monkeypatch, tmp_path
) -> None:
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--settings-only")
    assert result.exit_code == 0, result.output
    assert not args.exists()  # no cdk deploy
    for account in {example_mesh.config.governance_account, *(d.account for d in example_mesh.domains)}:
        settings = _settings(account)
        assert (
            settings["CreateDatabaseDefaultPermissions"],
            settings["CreateTableDefaultPermissions"],
            settings["Parameters"]["CROSS_ACCOUNT_VERSION"],
        ) == ([], [], "3"), account


def test_settings_only_revokes_iam_allowed_principals_on_the_mesh_s_databases_and_tables_only(
    meshctl, example_mesh: Mesh, monkeypatch, tmp_path
) -> None:
    """A product database and table made while the defaults held (an earlier deploy) give ALL to the group;
    the step revokes it there, and leaves a database the mesh does not own as it is."""
    from localaws import support

    support.install()  # the local AWS's Lake Formation: defaults granted on create, its rules on revoke
    governance = example_mesh.config.governance_account
    glue, lakeformation = (_client(governance, service) for service in ("glue", "lakeformation"))
    glue.create_database(DatabaseInput={"Name": "sales_orders"})
    glue.create_table(DatabaseName="sales_orders", TableInput={"Name": "orders"})
    glue.create_database(DatabaseInput={"Name": "scratch"})
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    result = meshctl("deploy", "--settings-only")
    assert result.exit_code == 0, result.output
    assert (
        f"governance ({governance}): revoked IAMAllowedPrincipals' ALL on database sales_orders; "
        "ALL on table sales_orders.orders" in result.stdout
    )
    listed = lakeformation.list_permissions(CatalogId=governance)["PrincipalResourcePermissions"]
    assert [
        g["Resource"] for g in listed if g["Principal"]["DataLakePrincipalIdentifier"] == "IAM_ALLOWED_PRINCIPALS"
    ] == [{"Database": {"CatalogId": governance, "Name": "scratch"}}]


def test_access_stacks_come_after_every_catalog_stack(example_mesh: Mesh) -> None:
    before, after = waves(example_mesh)
    assert before[0] == "Governance"
    assert sorted(before[1:]) == sorted(
        f"{d.name.capitalize()}-{kind}" for d in example_mesh.producers for kind in ("Storage", "Catalog")
    )
    assert after == [f"{d.name.capitalize()}-Access" for d in example_mesh.consumers]


def test_without_the_cdk_cli_it_says_so_in_one_line(meshctl, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = meshctl("deploy")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.strip().splitlines()[-1].endswith("the CDK CLI is not installed (npm install aws-cdk)")


def test_a_mesh_with_problems_is_not_deployed(meshctl, mesh_copy) -> None:
    broken = mesh_copy(("mesh.yaml", lambda m: {**m, "organization": {"id": "not-an-org"}}))
    result = meshctl("deploy", "--mesh", str(broken))
    assert result.exit_code == ExitCode.PROBLEMS
    assert "organization" in result.stderr


def _cdk_that_records(tmp_path, exit_code: int):
    """A `cdk` first on PATH that writes its arguments, one a line, and exits with ``exit_code``."""
    (tmp_path / "bin").mkdir()
    cdk = tmp_path / "bin" / "cdk"
    cdk.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\nexit {exit_code}\n')
    cdk.chmod(0o755)
    return tmp_path / "args"


def test_within_an_organization_it_is_one_cdk_deploy_all_with_the_context_given(meshctl, monkeypatch, tmp_path) -> None:
    """The example mesh.yaml names an organization: `cdk deploy --all`, `-c today=` passed on (docs/local-aws.md, day 2)."""
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "-c", "today=2027-06-30", "-c", "allow-destroy=true")
    assert result.exit_code == 0, result.output
    recorded = args.read_text().splitlines()
    assert recorded[:2] == ["deploy", "--all"]
    assert "--require-approval" in recorded and recorded[recorded.index("--require-approval") + 1] == "never"
    contexts = [recorded[i + 1] for i, arg in enumerate(recorded) if arg == "--context"]
    assert contexts == ["mesh=mesh.yaml", "today=2027-06-30", "allow-destroy=true"]


def test_after_the_deploy_the_identity_center_consumer_has_its_workgroup_enabled(
    meshctl, monkeypatch, tmp_path
) -> None:
    """marketing lists the campaigns group (domains/marketing.yaml): its workgroup is created after the last wave."""
    athena.install()  # the local AWS's Athena refuses an Identity Center workgroup without an execution role
    _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy")
    assert result.exit_code == 0, result.output
    assert "marketing (444444444444): Athena workgroup acme-marketing-identity-center created" in result.output
    found = _client("444444444444", "athena").get_work_group(WorkGroup="acme-marketing-identity-center")
    assert found["WorkGroup"]["Configuration"]["IdentityCenterConfiguration"] == {
        "EnableIdentityCenter": True,
        "IdentityCenterInstanceArn": "arn:aws:sso:::instance/ssoins-78c7a38466c2f165",  # mesh.yaml
    }


def test_a_failed_cdk_deploy_exits_1_in_one_line(meshctl, monkeypatch, tmp_path) -> None:
    _cdk_that_records(tmp_path, 3)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy")
    assert result.exit_code == ExitCode.PROBLEMS
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("cdk deploy exited with 3; the stacks that failed say why above")
    )


def test_since_deploys_with_the_ref_and_names_what_changed(meshctl, monkeypatch, tmp_path) -> None:
    """`deploy --since REF` passes -c since=REF to cdk deploy and prints the stacks it builds."""
    mesh_file = commit_example_mesh(tmp_path / "repo")
    monkeypatch.setattr(targeted, "PROJECT", tmp_path / "repo")  # the code that built the ref: unchanged
    EDITS["revoke a subscription"](mesh_file)
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "2 stack(s) added or changed since HEAD: Marketing-Access, Sales-Catalog" in result.stdout
    recorded = args.read_text().splitlines()
    assert recorded[:2] == ["deploy", "--all"]
    assert [recorded[i + 1] for i, arg in enumerate(recorded) if arg == "--context"] == [
        f"mesh={mesh_file}",
        "since=HEAD",
    ]


def test_since_with_nothing_changed_runs_no_cdk(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(tmp_path / "repo")
    monkeypatch.setattr(targeted, "PROJECT", tmp_path / "repo")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "0 stack(s) added or changed since HEAD: none" in result.stdout
    assert not args.exists()


def test_since_an_unknown_ref_deploys_nothing(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(tmp_path / "repo")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "nope")
    assert result.exit_code == ExitCode.GIT
    assert result.stderr.strip().splitlines() == [
        "error: cdk context: since: nope: git: unknown revision 'nope'",
        "error: --since nope: nothing deployed",
    ]
    assert not args.exists()


def test_since_a_ref_whose_files_do_not_validate_deploys_nothing(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(
        tmp_path / "repo", yaml_edit("domains/sales.yaml", lambda d: d.update(account="2222"))
    )
    shutil.copy(EXAMPLE_MESH.parent / "domains" / "sales.yaml", mesh_file.parent / "domains" / "sales.yaml")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == ExitCode.PROBLEMS
    problem, last = result.stderr.strip().splitlines()
    assert problem.startswith(
        "error: cdk context: since: the files at HEAD do not validate (1 problem(s); the first: "
        "HEAD:domains/sales.yaml: account: "
    )
    assert last == "error: --since HEAD: nothing deployed"
    assert not args.exists()


def test_an_endpoint_that_answers_html_stops_the_deploy_in_one_line(
    meshctl, mesh_copy, html_endpoint, monkeypatch, tmp_path
) -> None:
    """Every account's Lake Formation settings are set through its API before the first wave: an endpoint that is
    not AWS stops the deploy there with exit 4, before any stack."""
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    standalone = mesh_copy(("mesh.yaml", lambda m: {k: v for k, v in m.items() if k != "organization"}))
    result = meshctl("deploy", "--mesh", str(standalone), "--endpoint-url", html_endpoint, "--max-attempts", "1")
    assert result.exit_code == ExitCode.AWS, result.output
    governance = load_mesh(standalone).config.governance_account  # its settings are set first, before any wave
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: account {governance} (governance) setting Lake Formation's defaults: STS GetCallerIdentity at "
        f"{html_endpoint}: HTTP 404 with an HTML page, not an answer of the STS API"
    )
    assert not args.exists()  # no cdk deploy


class _Ram:
    """A RAM client whose invitations appear after ``late`` calls to GetResourceShareInvitations."""

    def __init__(self, invitations: list[dict], late: int) -> None:
        self.invitations, self.late, self.accepted = invitations, late, []

    def can_paginate(self, operation: str) -> bool:
        return False

    def get_resource_share_invitations(self, **_) -> dict:
        self.late -= 1
        return {"resourceShareInvitations": self.invitations if self.late < 0 else []}

    def accept_resource_share_invitation(self, resourceShareInvitationArn: str) -> dict:
        self.accepted.append(resourceShareInvitationArn)
        return {}


def _invitation(arn: str, sender: str, share: str = "LakeFormation-V3-444444444444") -> dict:
    return {
        "resourceShareInvitationArn": arn,
        "senderAccountId": sender,
        "resourceShareName": share,
        "status": "PENDING",
    }


def test_a_late_invitation_is_awaited_with_progress_and_accepted() -> None:
    ram, said, slept = _Ram([_invitation("a", "111111111111")], late=2), [], []
    assert await_invitations(
        ram, "111111111111", timeout=60, interval=10, progress=said.append, sleep=slept.append
    ) == ["a"]
    assert ram.accepted == ["a"] and slept == [10, 10]
    assert said[0] == "  no AWS RAM invitation from 111111111111 yet; waiting (0 of 60 s)"


def test_the_wait_for_an_invitation_is_bounded() -> None:
    ram, slept = _Ram([], late=0), []
    assert (
        await_invitations(ram, "111111111111", timeout=30, interval=10, progress=lambda _: None, sleep=slept.append)
        == []
    )
    assert slept == [10, 10, 10]


def test_only_the_governance_accounts_lake_formation_shares_are_accepted() -> None:
    ram = _Ram(
        [
            _invitation("ours", "111111111111"),
            _invitation("other-account", "999999999999"),
            _invitation("other-share", "111111111111", share="vpc-subnets"),
        ],
        late=0,
    )
    assert accept_invitations(ram, "111111111111") == ["ours"]
    assert ram.accepted == ["ours"]
