"""End to end: ``meshctl why`` on the example mesh between standalone accounts, deployed by ``meshctl deploy`` with
the real CDK CLI to the local AWS. A granted share reads with every link ok; each of five breakages made by hand
through boto3 is named as the first broken link, with a fix that, run, makes ``why`` say yes and doctor find no
drift again. ``cdk deploy`` of the unchanged stack does not restore a revoked grant."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from datamesh.config import Mesh
from datamesh.deploy import local_aws
from datamesh.doctor.iam_allowed import as_admin
from localaws import control
from localaws.accounts import Accounts
from localaws.control import Server
from tests.support.standalone_mesh import meshctl, standalone_copy

pytestmark = pytest.mark.e2e

GOV, SALES, MARKETING = "111111111111", "222222222222", "444444444444"
ANALYST = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"
# marketing's SELECT on sales.customers names every column but the pii one (domains/sales/contracts/customers.yaml)
READABLE = {
    "DatabaseName": "sales_customers",
    "Name": "customers",
    "ColumnNames": ["country", "customer_id", "segment"],
}


class Deployed:
    """The deployed mesh, and meshctl and boto3 in its accounts."""

    def __init__(self, mesh: Mesh, server: Server, state_dir: Path) -> None:
        self.mesh, self.server, self.state_dir = mesh, server, state_dir
        self.aws = Accounts(server.endpoint, mesh.config.region)

    def client(self, service: str, account: str) -> Any:
        return self.aws.client(service, account)

    def meshctl(self, *args: str, stdin: str | None = None) -> Any:
        return meshctl(self.mesh, self.aws, *args, stdin=stdin)

    def why(self) -> tuple[int, dict[str, Any]]:
        run = self.meshctl("why", "marketing", "sales.customers", "--endpoint-url", self.server.endpoint, "--json")
        assert run.stdout, run.stderr
        return run.returncode, json.loads(run.stdout)

    def admin(self, account: str) -> AbstractContextManager[None]:
        """The caller as a data lake admin of ``account`` for a block, then not (Lake Formation lets only an admin
        revoke what it did not grant)."""
        return as_admin(self.client("lakeformation", account), self.client("sts", account), account)

    def drift(self) -> list[tuple[str, str, str]]:
        findings, errors = local_aws.check(self.mesh, self.server)
        assert errors == []
        return [(f.check, f.resource, f.status.value) for f in findings if f.drift]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    mesh = standalone_copy(tmp_path_factory.mktemp("why-mesh"))
    state_dir = tmp_path_factory.mktemp("e2e-why")
    server, _ = control.start(state_dir)
    try:
        local_aws.bootstrap(mesh, server)
        found = Deployed(mesh, server, state_dir)
        run = found.meshctl("deploy", "-c", "allow-destroy=true", "--output", str(state_dir / "cdk.out"))
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        yield found
    finally:
        control.stop(state_dir)


def test_a_granted_share_reads_with_every_link_ok(deployed: Deployed) -> None:
    code, answer = deployed.why()
    assert (code, answer["can_read"], answer["first_broken"]) == (0, True, None)
    assert {link["status"] for link in answer["links"]} == {"ok"}
    assert [link["link"] for link in answer["links"] if link["where"] != "files"] == [
        "role",
        "workgroup",
        "catalog key",
        "lake formation settings",
        "resource link",
        "principal grants",
        "share",
        "account grant",
        "table",
        "data location",
        "data access",
    ]


def _revoke_select(m: Deployed, catalog: str, principal: str) -> None:
    """Revoke ``principal``'s SELECT on sales_customers.customers in ``catalog``: on the data filter of sales'
    approval (French rows, every column but the pii one: domains/sales.yaml, domains/sales/contracts/customers.yaml)."""
    lakeformation = m.client("lakeformation", catalog)
    entry = next(
        e
        for e in lakeformation.list_permissions(CatalogId=catalog)["PrincipalResourcePermissions"]
        if e["Principal"]["DataLakePrincipalIdentifier"] == principal
        and e["Resource"].get("DataCellsFilter", {}).get("DatabaseName") == "sales_customers"
    )
    with m.admin(catalog):
        lakeformation.revoke_permissions(
            CatalogId=catalog,
            Principal=entry["Principal"],
            Resource=entry["Resource"],
            Permissions=entry["Permissions"],
            PermissionsWithGrantOption=entry["PermissionsWithGrantOption"],
        )


def _revoke_account_grant(m: Deployed) -> None:
    _revoke_select(m, GOV, MARKETING)


def _delete_resource_link(m: Deployed) -> None:
    with m.admin(MARKETING):
        m.client("glue", MARKETING).delete_database(CatalogId=MARKETING, Name="sales_customers")


def _revoke_analyst_grant(m: Deployed) -> None:
    _revoke_select(m, MARKETING, ANALYST)


def _remove_key_statement(m: Deployed) -> None:
    kms = m.client("kms", GOV)
    key = kms.describe_key(KeyId="alias/acme/catalog")["KeyMetadata"]["Arn"]
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    kept = [s for s in policy["Statement"] if s.get("Sid") != "MeshAccountsUseCatalogThroughGlue"]
    assert len(kept) == len(policy["Statement"]) - 1
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({**policy, "Statement": kept}))


def _leave_invitation_pending(m: Deployed) -> None:
    """The governance account deletes its Lake Formation share with marketing and grants again: Lake Formation
    shares through a new resource share, whose invitation marketing has not accepted."""
    invitations = m.client("ram", MARKETING).get_resource_share_invitations()["resourceShareInvitations"]
    (arn,) = {i["resourceShareArn"] for i in invitations if i["senderAccountId"] == GOV and i["status"] == "ACCEPTED"}
    m.client("ram", GOV).delete_resource_share(resourceShareArn=arn)
    with m.admin(GOV):
        m.client("lakeformation", GOV).grant_permissions(
            CatalogId=GOV,
            Principal={"DataLakePrincipalIdentifier": MARKETING},
            Resource={"Database": {"CatalogId": GOV, "Name": "sales_customers"}},
            Permissions=["DESCRIBE"],
            PermissionsWithGrantOption=["DESCRIBE"],
        )


BREAKAGES: dict[str, tuple[Callable[[Deployed], None], str]] = {
    "consumer grant revoked": (_revoke_account_grant, "account grant"),
    "resource link deleted": (_delete_resource_link, "resource link"),
    "analyst grant revoked": (_revoke_analyst_grant, "principal grants"),
    "catalog key policy statement removed": (_remove_key_statement, "catalog key"),
    "RAM invitation left pending": (_leave_invitation_pending, "share"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_why_names_a_breakage_first_and_its_fix_repairs_it(deployed: Deployed, breakage: str) -> None:
    break_it, link = BREAKAGES[breakage]
    break_it(deployed)
    code, answer = deployed.why()
    broken = [entry["link"] for entry in answer["links"] if entry["status"] != "ok"]
    assert (code, broken[:1], answer["first_broken"]["link"]) == (1, [link], link), answer
    fix = shlex.split(answer["first_broken"]["fix"])
    assert fix[:2] == ["meshctl", "repair"], fix
    repaired = deployed.meshctl(*fix[1:], stdin="y\n")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    code, answer = deployed.why()
    assert (code, answer["can_read"]) == (0, True), answer
    assert deployed.drift() == []


def test_cdk_deploy_of_an_unchanged_stack_leaves_a_revoked_grant_revoked(deployed: Deployed, tmp_path: Path) -> None:
    """CloudFormation updates no resource of a stack whose template did not change: the grant stays revoked, so
    drift needs ``meshctl repair``."""
    _revoke_account_grant(deployed)
    log = tmp_path / "deploy.log"
    assert local_aws.deploy(deployed.mesh, deployed.server, tmp_path, stacks=("Sales-Catalog",), log=log) == 0
    assert "(no changes)" in log.read_text()
    subject = f"marketing ({MARKETING}) on data filter acme-marketing on table sales_customers.customers"
    assert deployed.drift() == [("grant", subject, "missing")]
    repaired = deployed.meshctl("repair", "--check", "grant", "--endpoint-url", deployed.server.endpoint, "--yes")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert deployed.drift() == []
