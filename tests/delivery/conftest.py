"""Fixtures: meshes with a tooling account (mesh.yaml: delivery)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from datamesh.config import Mesh, load_mesh
from tests.localaws.conftest import aws, local_server  # noqa: F401  (the in-process local AWS, reset per test)

ROOT = Path(__file__).resolve().parents[2]
TOOLING_ACCOUNT = "999999999999"
CONNECTION = "arn:aws:codeconnections:eu-west-1:999999999999:connection/12345678-1234-4234-8234-123456789012"
DELIVERY = {"tooling_account": TOOLING_ACCOUNT, "repository": "acme/data-mesh", "connection_arn": CONNECTION}


@pytest.fixture
def delivered_mesh(tmp_path: Path) -> Callable[..., Mesh]:
    """The example mesh with ``delivery`` set (``overrides`` replace its fields), loaded."""

    def load(**overrides: object) -> Mesh:
        shutil.copytree(ROOT / "domains", tmp_path / "domains", dirs_exist_ok=True)
        config = yaml.safe_load((ROOT / "mesh.yaml").read_text(encoding="utf-8"))
        config["delivery"] = {**DELIVERY, **overrides}
        (tmp_path / "mesh.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        return load_mesh(tmp_path / "mesh.yaml")

    return load
