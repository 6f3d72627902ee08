"""When a deploy fails, the demo names the stack, the resource and the reason in one line."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from datamesh.config import Mesh
from datamesh.meshctl import demo_deploy
from localaws.server import LocalServer
from tests.localaws.conftest import LocalAws
from tests.localaws.templates import CONSUMER, GOV, REGION, database


def _assembly(directory: Path, stacks: dict[str, str]) -> Path:
    artifacts = {
        name: {"type": "aws:cloudformation:stack", "environment": f"aws://{account}/{REGION}", "properties": {"stackName": name}}
        for name, account in stacks.items()
    }
    (directory / "manifest.json").write_text(json.dumps({"artifacts": artifacts}))
    return directory


def test_a_failed_resource_is_one_line(aws: LocalAws, local_server: LocalServer, example_mesh: Mesh, tmp_path: Path) -> None:
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    aws.deploy(GOV, "acme-Good", {"Db": database("fine")})
    aws.deploy(GOV, "acme-Bad", {"Db": database("elsewhere", catalog=CONSUMER)})
    assembly = _assembly(tmp_path, {"acme-Good": GOV, "acme-Bad": GOV, "acme-Never": GOV})
    assert demo_deploy.failures(example_mesh, local_server, assembly, since) == [
        f"acme-Bad: Db (AWS::Glue::Database) CREATE_FAILED: AccessDeniedException: "
        f"Account {GOV} cannot create a database in the catalog of account {CONSUMER}"
    ]
