"""End to end: the real CDK CLI bootstraps every account and deploys the example mesh to a
local AWS; boto3 reads back in each account what the mesh promised; redeploying changes nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from datamesh.config import Mesh, Permission, ShareState
from datamesh.deploy import local_aws
from datamesh.names import naming
from localaws import cdk_cli, control
from localaws.accounts import ACCESS_ROLE, Accounts
from localaws.control import REPO_ROOT, Server
from tests.support.doctor_cli import doctor_json

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Deployment:
    server: Server
    state_dir: Path
    exit_code: int
    output: str
    aws: Accounts

    def stacks(self) -> dict[str, str]:
        """Stack name -> account, from the deployed cloud assembly."""
        manifest = json.loads((self.state_dir / "cdk.out" / "manifest.json").read_text())
        return {
            a["properties"]["stackName"]: a["environment"].split("/")[2]
            for a in manifest["artifacts"].values()
            if a["type"] == "aws:cloudformation:stack"
        }

    def events(self) -> dict[str, int]:
        return {
            name: len(self.aws.client("cloudformation", account).describe_stack_events(StackName=name)["StackEvents"])
            for name, account in self.stacks().items()
        }


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory, example_mesh: Mesh) -> Iterator[Deployment]:
    state_dir = tmp_path_factory.mktemp("e2e-local-aws")
    server, _ = control.start(state_dir)
    try:
        local_aws.bootstrap(example_mesh, server)
        log = state_dir / "deploy.log"
        code = local_aws.deploy_mesh(example_mesh, server, state_dir, log=log)
        yield Deployment(
            server, state_dir, code, log.read_text(), Accounts(server.endpoint, example_mesh.config.region)
        )
    finally:
        control.stop(state_dir)


def test_the_cli_deploys_every_stack_of_the_mesh(deployed: Deployment, example_mesh: Mesh) -> None:
    assert deployed.exit_code == 0, deployed.output[-3000:]
    stacks = deployed.stacks()
    assert len(stacks) == 1 + 2 * len(example_mesh.producers) + len(example_mesh.consumers)
    for name, account in stacks.items():
        stack = deployed.aws.client("cloudformation", account).describe_stacks(StackName=name)["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE", name


def test_every_check_of_doctor_passes_on_what_the_cli_deployed(deployed: Deployment, example_mesh: Mesh) -> None:
    findings, errors = local_aws.check(example_mesh, deployed.server)
    assert (errors, [(f.check, f.resource, f.status.value, f.detail) for f in findings if f.drift]) == ([], [])
    # a data cells filter to check where the files narrow a granted share to some rows or columns
    sliced = {"data-filter"} if any(s.decision and s.decision.filters for s in example_mesh.granted_shares()) else set()
    assert {f.check for f in findings} == sliced | {  # every kind of check ran, none skipped
        "lf-admins",
        "lf-settings",
        "lf-tag-values",
        "catalog-encryption",
        "role",
        "bucket",
        "bucket-policy",
        "key-access",
        "workgroup",
        "database",
        "table",
        "table-parameters",
        "quality-ruleset",
        "lf-tag",
        "location",
        "producer-grant",
        "grant",
        "resource-link",
        "analyst-grant",
        "alerts topic",
        "alert subscription",
        "quality results rule",
        "quality schedule",
        "partition crawler",
        "crawl schedule",
        "monitoring-grant",
        "freshness rule",
        "freshness alarm",
        "landing rule",
        "identity-center-group",
        "lf-identity-center",
        "athena-identity-center-workgroup",
    }
    rulesets = {f.resource for f in findings if f.check == "quality-ruleset"}
    assert rulesets == {"sales_orders", "sales_customers", "finance_invoices"}  # one per contract of domains/*.yaml


def _grants(deployed: Deployment, account: str) -> list[dict]:
    return deployed.aws.client("lakeformation", account).list_permissions(CatalogId=account)[
        "PrincipalResourcePermissions"
    ]


def test_pending_subscriptions_get_nothing(deployed: Deployment, example_mesh: Mesh) -> None:
    gov = example_mesh.config.governance_account
    pending = [s for s in example_mesh.shares() if s.state is ShareState.PENDING]
    assert pending, "the example mesh has a pending subscription"
    for share in pending:
        consumer = example_mesh.domain(share.consumer).account
        database = naming.database(share.producer, share.product)
        to_consumer = [g for g in _grants(deployed, gov) if g["Principal"]["DataLakePrincipalIdentifier"] == consumer]
        assert [g for g in to_consumer if database in json.dumps(g["Resource"])] == []
        linked = [d["Name"] for d in deployed.aws.client("glue", consumer).get_databases()["DatabaseList"]]
        assert database not in linked


def test_granted_subscriptions_get_a_link_and_select_without_pii(deployed: Deployment, example_mesh: Mesh) -> None:
    gov = example_mesh.config.governance_account
    for share in example_mesh.granted_shares():
        consumer = example_mesh.domain(share.consumer).account
        database = naming.database(share.producer, share.product)
        link = deployed.aws.client("glue", consumer).get_database(Name=database)["Database"]
        assert link["TargetDatabase"] == {"CatalogId": gov, "DatabaseName": database}
        selects = [
            g["Resource"]
            for g in _grants(deployed, gov)
            if g["Principal"]["DataLakePrincipalIdentifier"] == consumer
            and "SELECT" in g["Permissions"]
            and database in json.dumps(g["Resource"])
        ]
        product = example_mesh.product(share.producer, share.product)
        readable = [c.name for c in product.columns if not c.pii] + [k.name for k in product.partition_keys]
        if Permission.SELECT not in share.permissions:
            assert selects == []
        elif share.decision is not None and share.decision.filters:  # on the approval's data filter of the table
            (on_filter,) = [s["DataCellsFilter"] for s in selects]
            (found,) = [
                f
                for f in deployed.aws.client("lakeformation", gov).list_data_cells_filter()["DataCellsFilters"]
                if f["Name"] == on_filter["Name"] and f["DatabaseName"] == database
            ]
            assert found["ColumnNames"] == readable
            assert found["RowFilter"] == {"FilterExpression": share.decision.rows}
        elif any(c.pii for c in product.columns):  # an include list of the other columns, beside DESCRIBE on the table
            assert [s["TableWithColumns"]["ColumnNames"] for s in selects] == [readable]
        else:  # nothing withheld: SELECT on the table
            assert [next(iter(s)) for s in selects] == ["Table"]


def test_a_second_demo_reuses_the_server_and_changes_nothing(deployed: Deployment, example_mesh: Mesh) -> None:
    before = deployed.events()
    run = subprocess.run(
        [sys.executable, "-m", "datamesh.meshctl", "demo", "--state-dir", str(deployed.state_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"local AWS reused: {deployed.server.endpoint}" in run.stdout
    accounts = {example_mesh.config.governance_account} | {d.account for d in example_mesh.domains}
    assert run.stdout.count(": already bootstrapped") == len(accounts)
    # The CLI reports on stderr, or on stdout when CI=true is set.
    assert (run.stdout + run.stderr).count("(no changes)") == len(deployed.stacks())
    assert " passed, 0 failed" in run.stdout
    assert deployed.events() == before


def test_a_revoked_grant_is_reported_as_a_fail(deployed: Deployment, example_mesh: Mesh) -> None:
    """marketing subscribes to sales.orders with DESCRIBE only (domains/marketing.yaml)."""
    lakeformation = deployed.aws.client("lakeformation", "111111111111")
    describe = {
        "Principal": {"DataLakePrincipalIdentifier": "444444444444"},
        "Resource": {"Table": {"CatalogId": "111111111111", "DatabaseName": "sales_orders", "Name": "orders"}},
        "Permissions": ["DESCRIBE"],
        "PermissionsWithGrantOption": ["DESCRIBE"],
    }
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    caller = {"DataLakePrincipalIdentifier": f"arn:aws:iam::111111111111:role/{ACCESS_ROLE}"}
    # Lake Formation lets only a data lake admin revoke and grant: make the caller one beside the stacks' admins
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**settings, "DataLakeAdmins": [*settings["DataLakeAdmins"], caller]}
    )
    lakeformation.revoke_permissions(**describe)
    try:
        findings, _ = local_aws.check(example_mesh, deployed.server)
        assert [(f.check, f.resource, f.status.value) for f in findings if f.drift] == [
            ("grant", "marketing (444444444444) on table sales_orders.orders", "missing")
        ]
    finally:
        lakeformation.grant_permissions(**describe)
        lakeformation.put_data_lake_settings(DataLakeSettings=settings)


def test_cdk_diff_after_the_deploy_shows_no_differences(
    deployed: Deployment, example_mesh: Mesh, tmp_path: Path
) -> None:
    cfg = example_mesh.config
    env = cdk_cli.environment(deployed.aws.environment(cfg.governance_account))
    assembly = deployed.state_dir / "cdk.out"
    same = cdk_cli.run(cdk_cli.diff_command(app=assembly), env, cwd=REPO_ROOT, log=tmp_path / "same.log")
    assert same == 0, (tmp_path / "same.log").read_text()[-3000:]
    assert "Number of stacks with differences: 0" in (tmp_path / "same.log").read_text()

    changed = tmp_path / "changed.out"
    shutil.copytree(assembly, changed)
    template = changed / "Sales-Catalog.template.json"
    document = json.loads(template.read_text())
    document["Description"] += " (changed)"
    template.write_text(json.dumps(document))
    differs = cdk_cli.run(cdk_cli.diff_command(app=changed), env, cwd=REPO_ROOT, log=tmp_path / "changed.log")
    assert differs == 1
    assert "Number of stacks with differences: 1" in (tmp_path / "changed.log").read_text()


def test_meshctl_doctor_finds_no_drift_in_what_the_cli_deployed(deployed: Deployment, example_mesh: Mesh) -> None:
    """doctor's expectations (datamesh/blueprint/) match what the CDK app really deploys."""
    run = doctor_json(example_mesh, deployed.aws)
    report = run.report
    assert (run.exit_code, report["errors"], run.drift) == (0, [], [])
    checks = {f["check"] for f in report["findings"]}
    assert {"analyst-grant", "lf-tag"} <= checks, checks  # the pii tags and analyst grants were read, not skipped
    pending = sorted(f["resource"] for f in report["findings"] if f["status"] == "pending confirmation")
    assert pending == sorted(
        f"acme-{d}-alerts -> {e}"
        for d, owner in (("finance", "finance-data@example.com"), ("sales", "sales-data@example.com"))
        for e in (owner, "data-platform@example.com")
    )  # nobody confirms on the local AWS
