"""End to end: a Catalog stack that lacks a consumer's Select grant makes the local deploy of
the consumer's Access stack fail, with a message that says which grant is missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aws_cdk import App

from datamesh.app.mesh_app import build_mesh
from datamesh.config import Mesh, Permission, Share
from datamesh.deploy import local_aws as local_deploy
from datamesh.names import naming
from localaws import control
from localaws.accounts import Accounts
from localaws.control import Server

pytestmark = pytest.mark.e2e


def _select_share(mesh: Mesh) -> Share:
    return next(s for s in mesh.granted_shares() if Permission.SELECT in s.permissions)


def _drop_select_grant(template: Path, account: str) -> str:
    """Take SELECT out of the grant to ``account`` that holds it in a Catalog template (on a table without pii
    columns it shares one grant with DESCRIBE, which stays); returns the grant's logical id."""
    body = json.loads(template.read_text())
    logical_id, grant = next(
        (name, r["Properties"])
        for name, r in body["Resources"].items()
        if r["Type"] == "AWS::LakeFormation::PrincipalPermissions"
        and r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == account
        and "SELECT" in r["Properties"]["Permissions"]
    )
    grant["Permissions"] = [p for p in grant["Permissions"] if p != "SELECT"]
    grant["PermissionsWithGrantOption"] = [p for p in grant["PermissionsWithGrantOption"] if p != "SELECT"]
    if not grant["Permissions"]:
        del body["Resources"][logical_id]
    template.write_text(json.dumps(body))
    return logical_id


@pytest.fixture(scope="module")
def local_aws(tmp_path_factory: pytest.TempPathFactory, example_mesh: Mesh) -> Iterator[tuple[Server, Path]]:
    state_dir = tmp_path_factory.mktemp("e2e-missing-grant")
    server, _ = control.start(state_dir)
    try:
        local_deploy.bootstrap(example_mesh, server)
        local_deploy.form_organization(example_mesh, Accounts(server.endpoint, example_mesh.config.region))
        yield server, state_dir
    finally:
        control.stop(state_dir)


def test_access_stack_fails_clearly_when_its_select_grant_is_missing(
    local_aws: tuple[Server, Path], example_mesh: Mesh
) -> None:
    server, state_dir = local_aws
    share = _select_share(example_mesh)
    consumer = example_mesh.domain(share.consumer).account
    assembly = state_dir / "assembly"
    app = App(outdir=str(assembly))
    build_mesh(app, example_mesh, allow_destroy=True)
    app.synth()
    catalog_stack = f"{naming.pascal(share.producer)}-Catalog"
    access_stack = f"{naming.pascal(share.consumer)}-Access"
    _drop_select_grant(assembly / f"{catalog_stack}.template.json", consumer)

    log = state_dir / "deploy.log"
    code = local_deploy.deploy(example_mesh, server, state_dir, app=assembly, stacks=(access_stack,), log=log)

    output = log.read_text()
    database = naming.database(share.producer, share.product)
    rejection = (
        f"Insufficient Lake Formation permission(s): account {consumer} does not hold SELECT with grant option "
        f"on table {database}.{share.product}"
    )
    assert code != 0
    assert rejection in output
    assert f"{example_mesh.config.name}-{access_stack} failed" in output
    aws = Accounts(server.endpoint, example_mesh.config.region)
    gov = example_mesh.config.governance_account
    catalog = aws.client("cloudformation", gov).describe_stacks(StackName=f"{example_mesh.config.name}-{catalog_stack}")
    assert catalog["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    access = aws.client("cloudformation", consumer).describe_stacks(
        StackName=f"{example_mesh.config.name}-{access_stack}"
    )
    assert access["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE"
    assert rejection in access["Stacks"][0]["StackStatusReason"]
    assert aws.client("glue", consumer).get_databases()["DatabaseList"] == []
