"""The mesh's ``lake_formation.admin_role_names`` become Lake Formation admins in every account it touches.

Expected values are read from the parameter files and written with IAM's ARN format and the
CDK bootstrap's default execution role name, not computed by the stacks' helpers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from datamesh.config import load_mesh
from tests.conftest import EXAMPLE_MESH

ADMIN_ROLES = ["DataPlatformAdmin", "LakeAuditor"]


@pytest.fixture(scope="module")
def mesh_file(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("admins")
    (target / "domains").symlink_to(EXAMPLE_MESH.parent / "domains", target_is_directory=True)
    doc = yaml.safe_load(EXAMPLE_MESH.read_text())
    doc["lake_formation"] = {"admin_role_names": ADMIN_ROLES}
    (target / "mesh.yaml").write_text(yaml.safe_dump(doc))
    return target / "mesh.yaml"


def expected_admins(mesh_file: Path) -> dict[str, list[str]]:
    """Account to its admins: the mesh's admin roles, then CDK's default execution role (bootstrap qualifier hnb659fds)."""
    mesh = yaml.safe_load(mesh_file.read_text())
    accounts = [mesh["governance_account"]]
    accounts += [
        yaml.safe_load(f.read_text())["account"] for f in sorted((mesh_file.parent / "domains").glob("*.yaml"))
    ]
    return {
        account: [
            *(f"arn:aws:iam::{account}:role/{name}" for name in mesh["lake_formation"]["admin_role_names"]),
            f"arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-{account}-{mesh['region']}",
        ]
        for account in accounts
    }


def test_every_account_gets_the_mesh_admin_roles_appended_once(mesh_file):
    admins: dict[str, list[list[str]]] = {}
    for stack in build_mesh(App(), load_mesh(mesh_file)).all():
        for settings in Template.from_stack(stack).find_resources("AWS::LakeFormation::DataLakeSettings").values():
            assert settings["Properties"]["MutationType"] == "APPEND"
            admins.setdefault(stack.account, []).append(
                [a["DataLakePrincipalIdentifier"] for a in settings["Properties"]["Admins"]]
            )
    expected = expected_admins(mesh_file)
    assert len(expected) == 5  # governance and four domains
    assert admins == {account: [arns] for account, arns in expected.items()}
