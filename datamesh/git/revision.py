"""The parameter files as they were at a git revision, and which of the project's files changed since.

The files are read in one ``git cat-file --batch`` process: the commit, the mesh file and
every file under ``domains/`` (contracts included), whatever their number.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

TREE, BLOB = "tree", "blob"


class GitError(Exception):
    """git could not give the files; the message is one line."""


def git(folder: Path, *args: str) -> bytes:
    """``git -C folder ARGS``'s output; :class:`GitError` with git's last line of stderr when it fails."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        raise GitError(_last_line(done.stderr) or f"git {' '.join(args)} failed")
    return done.stdout


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode(errors="replace").strip().splitlines()
    return lines[-1].removeprefix("fatal: ") if lines else ""


@dataclass(frozen=True)
class Revision:
    commit: str
    committed: datetime
    """The commit's committer time (UTC)."""
    mesh_file: Path | None
    """The copy of the mesh file; None when it did not exist at the revision."""


class _Objects:
    """A ``git cat-file --batch`` process in one folder: objects by name (``REF:./path``, an id), one at a time."""

    def __init__(self, folder: Path) -> None:
        try:
            self._git = subprocess.Popen(
                ["git", "-C", str(folder), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError:
            raise GitError("git is not installed") from None

    def get(self, name: str) -> tuple[str, str, bytes] | None:
        """(id, type, content) of the object ``name``; None when there is none."""
        stdin, stdout = self._pipes()
        try:
            stdin.write(name.encode() + b"\n")
            stdin.flush()
        except BrokenPipeError:
            pass  # git exited: its reason is on stderr
        header = stdout.readline().split()
        if not header:
            self._git.wait()
            raise GitError(_last_line(self._git.stderr.read() if self._git.stderr else b"") or "git cat-file failed")
        if len(header) != 3:  # "<name> missing" or "<name> ambiguous"
            return None
        oid, kind, size = header[0].decode(), header[1].decode(), int(header[2])
        content = stdout.read(size)
        stdout.read(1)  # the newline after each object
        return oid, kind, content

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        assert self._git.stdin is not None and self._git.stdout is not None
        return self._git.stdin, self._git.stdout

    def close(self) -> None:
        for pipe in (self._git.stdin, self._git.stdout, self._git.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except BrokenPipeError:
                    pass  # git exited first (not a repository)
        self._git.wait()


def _tree_entries(content: bytes, id_length: int) -> list[tuple[str, str, str]]:
    """(mode, name, id) of each entry of a raw tree object."""
    entries, at = [], 0
    while at < len(content):
        space, nul = content.index(b" ", at), content.index(b"\0", at)
        entries.append(
            (
                content[at:space].decode(),
                content[space + 1 : nul].decode(),
                content[nul + 1 : nul + 1 + id_length].hex(),
            )
        )
        at = nul + 1 + id_length
    return entries


def _committed(commit: bytes) -> datetime:
    for line in commit.split(b"\n"):
        if line.startswith(b"committer "):
            return datetime.fromtimestamp(int(line.split()[-2]), UTC)
    raise GitError("a commit without a committer line")


def _copy_tree(objects: _Objects, tree: tuple[str, str, bytes], target: Path) -> None:
    oid, _, content = tree
    for mode, name, entry in _tree_entries(content, len(oid) // 2):
        if name in (".", "..") or mode.startswith("16"):  # submodules have no content here
            continue
        found = objects.get(entry)
        if found is None:
            raise GitError(f"object {entry} is missing")
        if found[1] == TREE:
            _copy_tree(objects, found, target / name)
        elif found[1] == BLOB and mode.startswith("100"):
            target.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(found[2])


def checkout_mesh(ref: str, mesh_file: Path, target: Path) -> Revision:
    """Write ``mesh_file`` (as ``target/mesh.yaml``) and its ``domains/`` as they were at ``ref`` into ``target``.

    :raises GitError: git is missing, the mesh is not in a repository, or ``ref`` names no commit.
    """
    objects = _Objects(Path(mesh_file).resolve().parent)
    try:
        commit = objects.get(f"{ref}^{{commit}}")
        if commit is None:
            raise GitError(f"unknown revision {ref!r}")
        mesh = objects.get(f"{commit[0]}:./{Path(mesh_file).name}")
        if mesh is None or mesh[1] != BLOB:
            return Revision(commit[0], _committed(commit[2]), None)
        target.mkdir(parents=True, exist_ok=True)
        (target / "mesh.yaml").write_bytes(mesh[2])
        domains = objects.get(f"{commit[0]}:./domains")
        if domains is not None and domains[1] == TREE:
            _copy_tree(objects, domains, target / "domains")
        return Revision(commit[0], _committed(commit[2]), target / "mesh.yaml")
    finally:
        objects.close()


def changed_files(ref: str, folder: Path, paths: tuple[str, ...]) -> list[str]:
    """``paths`` (relative to ``folder``, in the repository of the mesh) that differ between ``ref`` and the
    working tree, untracked files included.

    :raises GitError: ``folder`` is not in a repository, or ``ref`` is unknown.
    """
    changed = git(folder, "diff", "--name-only", "--relative", ref, "--", *paths).decode().splitlines()
    untracked = git(folder, "ls-files", "--others", "--exclude-standard", "--", *paths).decode().splitlines()
    return sorted({*changed, *untracked})


def top_level(folder: Path) -> Path:
    """The working tree holding ``folder``. :raises GitError: not in a repository."""
    return Path(git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
