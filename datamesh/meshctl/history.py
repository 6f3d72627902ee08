"""The parameter files as they were at a git revision, read with ``git show REF:path``."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath


class GitError(Exception):
    """git could not give the files; the message is one line."""


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def checkout_mesh(ref: str, mesh_file: Path, target: Path) -> Path | None:
    """Write ``mesh_file`` and its ``domains/`` (contracts included) as they were at ``ref`` into ``target``.

    :returns: the copied mesh.yaml, or None when it did not exist at ``ref``.
    :raises GitError: not a repository, or an unknown revision.
    """
    folder = Path(mesh_file).resolve().parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision {ref!r}") from None
    relative = PurePosixPath(folder.relative_to(top).as_posix())
    mesh_path = relative / Path(mesh_file).name
    listed = _git(top, "ls-tree", "-r", "--name-only", ref, "--", f"{mesh_path}", f"{relative / 'domains'}/")
    paths = [PurePosixPath(p) for p in listed.decode().splitlines()]
    if mesh_path not in paths:
        return None
    (target / "domains").mkdir(parents=True, exist_ok=True)
    (target / "mesh.yaml").write_bytes(_git(top, "show", f"{ref}:{mesh_path}"))
    for path in paths:
        if path != mesh_path:
            copy = target / path.relative_to(relative)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(_git(top, "show", f"{ref}:{path}"))
    return target / "mesh.yaml"
