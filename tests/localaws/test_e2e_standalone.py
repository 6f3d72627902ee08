"""End to end, standalone accounts (no organization in mesh.yaml): `meshctl deploy` runs the
real CDK CLI in waves against the local AWS and accepts each consumer's AWS RAM invitations
between the Catalog and Access stacks; a plain `cdk deploy --all` cannot deploy the mesh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from datamesh.config import Mesh
from datamesh.deploy import local_aws
from datamesh.names.naming import stack_id
from localaws import control
from localaws.accounts import Accounts
from localaws.control import Server
from tests.support.standalone_mesh import meshctl, standalone_copy

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Mesh, Server, Accounts]]:
    mesh = standalone_copy(tmp_path_factory.mktemp("standalone-mesh"))
    state_dir = tmp_path_factory.mktemp("e2e-standalone")
    server, _ = control.start(state_dir)
    try:
        local_aws.bootstrap(mesh, server)
        yield mesh, server, Accounts(server.endpoint, mesh.config.region)
    finally:
        control.stop(state_dir)


def test_cdk_deploy_all_fails_on_the_first_access_stack_without_accepted_invitations(
    standalone: tuple[Mesh, Server, Accounts], tmp_path: Path
) -> None:
    mesh, server, aws = standalone
    log = tmp_path / "deploy.log"
    assert local_aws.deploy(mesh, server, tmp_path, log=log) != 0
    assert "has not accepted the AWS RAM invitation" in log.read_text()
    for domain in mesh.consumers:
        cloudformation = aws.client("cloudformation", domain.account)
        name = f"{mesh.config.name}-{stack_id(domain.name, 'Access')}"
        failed = [
            s
            for s in cloudformation.list_stacks()["StackSummaries"]
            if s["StackName"] == name and s["StackStatus"] == "ROLLBACK_COMPLETE"
        ]
        if failed:  # a failed first create cannot be updated: delete it, as a user would
            cloudformation.delete_stack(StackName=name)


def test_meshctl_deploy_accepts_the_invitations_between_waves(
    standalone: tuple[Mesh, Server, Accounts], tmp_path: Path
) -> None:
    mesh, server, aws = standalone
    run = meshctl(mesh, aws, "deploy", "-c", "allow-destroy=true", "--output", str(tmp_path / "cdk.out"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for domain in mesh.domains:
        assert f"{domain.name} ({domain.account}): accepted" in run.stdout
        invitations = aws.client("ram", domain.account).get_resource_share_invitations()["resourceShareInvitations"]
        assert invitations and {i["status"] for i in invitations} == {"ACCEPTED"}
    findings, errors = local_aws.check(mesh, server)
    assert (errors, [(f.check, f.resource, f.status.value, f.detail) for f in findings if f.drift]) == ([], [])
