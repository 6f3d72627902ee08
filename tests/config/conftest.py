"""A copy of the example mesh whose files a test overwrites with raw text or bytes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from datamesh.config import ConfigError, load_mesh
from datamesh.policies.parameter_rules import parameter_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mesh_dir(tmp_path: Path) -> Path:
    target = tmp_path / "mesh"
    shutil.copytree(ROOT / "domains", target / "domains")
    shutil.copy(ROOT / "mesh.yaml", target / "mesh.yaml")
    return target


@pytest.fixture
def problems() -> Callable[[Path], list[str]]:
    """The problems of the mesh in a folder, each as ``file-relative-to-the-folder: field: reason``."""

    def run(folder: Path) -> list[str]:
        with pytest.raises(ConfigError) as raised:
            load_mesh(folder / "mesh.yaml", rules=parameter_problems)
        return [str(p).replace(f"{folder}/", "") for p in raised.value.problems]

    return run
