"""The example mesh between standalone accounts (no organization in mesh.yaml), and meshctl run against it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from datamesh.config import Mesh, load_mesh
from localaws import cdk_cli
from localaws.accounts import Accounts
from localaws.control import REPO_ROOT
from tests.conftest import EXAMPLE_MESH, ROOT


def standalone_copy(folder: Path) -> Mesh:
    """A copy of the example mesh in ``folder`` whose mesh.yaml names no organization."""
    shutil.copytree(ROOT / "domains", folder / "domains")
    config = yaml.safe_load(EXAMPLE_MESH.read_text())
    del config["organization"]
    (folder / "mesh.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return load_mesh(folder / "mesh.yaml")


def meshctl(mesh: Mesh, aws: Accounts, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``meshctl ARGS`` on ``mesh`` with the governance account's credentials on the local AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env = cdk_cli.environment(env | aws.environment(mesh.config.governance_account)) | {
        "MESHCTL_MESH": str(mesh.source)
    }
    return subprocess.run(
        [sys.executable, "-m", "datamesh.meshctl", *args],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=1200,
    )
