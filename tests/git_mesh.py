"""The example mesh committed in a new git repository, for the tests of ``--since`` and ``-c since``."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from datamesh.blueprint.targeted import CODE
from tests.conftest import EXAMPLE_MESH, ROOT

COMMITTED = "2026-01-10T12:00:00+00:00"


def git(repo: Path, *args: str) -> str:
    """``git ARGS`` in ``repo``, committing as of :data:`COMMITTED`."""
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMITTED, "GIT_COMMITTER_DATE": COMMITTED}
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
                          check=True, capture_output=True, text=True, env=env).stdout


def commit_example_mesh(folder: Path, *edits: Callable[[Path], None], code: bool = False) -> Path:
    """The example mesh, edited by ``edits`` (and with ``code`` the project's code), committed in a new
    repository in ``folder``; returns its mesh.yaml."""
    shutil.copytree(EXAMPLE_MESH.parent / "domains", folder / "domains")
    shutil.copy(EXAMPLE_MESH, folder / "mesh.yaml")
    for path in CODE if code else ():
        if (ROOT / path).is_dir():
            shutil.copytree(ROOT / path, folder / path, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / path, folder / path)
    for edit in edits:
        edit(folder / "mesh.yaml")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "the ref")
    return folder / "mesh.yaml"
