"""`meshctl demo` around the deploy: a failed resource is one line, a bad mesh starts nothing, the closing hints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from datamesh.config import Mesh
from datamesh.deploy import local_aws
from datamesh.meshctl.app import app
from datamesh.meshctl.demo import usage
from localaws.server import LocalServer
from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, REGION, database


def _assembly(directory: Path, stacks: dict[str, str]) -> Path:
    artifacts = {
        name: {
            "type": "aws:cloudformation:stack",
            "environment": f"aws://{account}/{REGION}",
            "properties": {"stackName": name},
        }
        for name, account in stacks.items()
    }
    (directory / "manifest.json").write_text(json.dumps({"artifacts": artifacts}))
    return directory


def test_a_failed_resource_is_one_line(
    aws: LocalAws, local_server: LocalServer, example_mesh: Mesh, tmp_path: Path
) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    aws.deploy(GOV, "acme-Good", {"Db": database("fine")})
    aws.deploy(GOV, "acme-Bad", {"Db": database("elsewhere", catalog=CONSUMER)})
    assembly = _assembly(tmp_path, {"acme-Good": GOV, "acme-Bad": GOV, "acme-Never": GOV})
    assert local_aws.failures(example_mesh, local_server, assembly, since) == [
        f"acme-Bad: Db (AWS::Glue::Database) CREATE_FAILED: AccessDeniedException: "
        f"Account {GOV} cannot create a database in the catalog of account {CONSUMER}"
    ]


def test_a_mesh_with_problems_starts_no_local_aws(tmp_path: Path) -> None:
    (tmp_path / "mesh.yaml").write_text("name: acme\nregion: eu-west-1\n")  # no governance_account
    result = CliRunner().invoke(
        app, ["demo", "--mesh", str(tmp_path / "mesh.yaml"), "--state-dir", str(tmp_path / "state")]
    )
    assert result.exit_code == 1
    assert "governance_account" in result.stderr
    assert not (tmp_path / "state").exists()


def test_the_demo_ends_with_the_localaws_commands_for_the_mesh_s_accounts(example_mesh: Mesh, tmp_path: Path) -> None:
    lines = usage(example_mesh, tmp_path).splitlines()
    assert f'-m localaws --state-dir {tmp_path} env --account 111111111111 --region eu-west-1)"' in lines[2]
    assert lines[-2].endswith(
        "status --region eu-west-1 --account 111111111111 --account 222222222222 "
        "--account 333333333333 --account 444444444444 --account 555555555555"
    )
    assert lines[-1].endswith(f"-m localaws --state-dir {tmp_path} stop    (state in {tmp_path})")
