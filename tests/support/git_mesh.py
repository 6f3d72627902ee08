"""The example mesh committed in a new git repository, for the tests of ``--since`` and ``-c since``."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLE_MESH, ROOT

COMMITTED = "2026-01-10T12:00:00+00:00"
LEFT_OUT = (":!mesh.yaml", ":!domains", ":!tests", ":!docs", ":!bench")
"""What the copy of the project leaves out: the mesh (the example's is committed in its place), and what no
synthesis reads."""


def git(repo: Path, *args: str) -> str:
    """``git ARGS`` in ``repo``, committing as of :data:`COMMITTED`."""
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMITTED, "GIT_COMMITTER_DATE": COMMITTED}
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout


def project_files() -> list[str]:
    """The files git tracks in this checkout, but :data:`LEFT_OUT`: the project as a clone has it."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--", ".", *LEFT_OUT], check=True, capture_output=True, text=True
    ).stdout
    return [path for path in listed.split("\0") if path and (ROOT / path).is_file()]


def commit_example_mesh(folder: Path, *edits: Callable[[Path], None], code: bool = False) -> Path:
    """The example mesh, edited by ``edits`` (and with ``code`` the project's files, :func:`project_files`),
    committed in a new repository in ``folder``; returns its mesh.yaml."""
    shutil.copytree(EXAMPLE_MESH.parent / "domains", folder / "domains")
    shutil.copy(EXAMPLE_MESH, folder / "mesh.yaml")
    for path in project_files() if code else ():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, folder / path)
    for edit in edits:
        edit(folder / "mesh.yaml")
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "the ref")
    return folder / "mesh.yaml"
