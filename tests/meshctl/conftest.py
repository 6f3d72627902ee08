"""Fixtures of meshctl's tests: the test mesh in a temporary folder, and an in-process runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from datamesh.meshctl.app import app
from tests.meshctl.fixture_mesh import write_mesh


@pytest.fixture
def mesh_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test mesh in a fresh folder, which is also the working directory."""
    write_mesh(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MESHCTL_MESH", raising=False)
    return tmp_path


@pytest.fixture
def meshctl() -> Callable[..., Result]:
    """Run ``meshctl ARGS`` in-process; the result has exit_code, stdout and stderr."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})

    return run
