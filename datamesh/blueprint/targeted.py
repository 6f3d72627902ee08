"""Which stacks ``-c since=REF`` synthesizes: those added or changed since a git revision of the mesh.

A stack is built when its id is new or the inputs it is built from (its digest in the
blueprint) differ from the revision's. Templates also change without a file changing:

- **Dates.** A share stops granting on its ``expires`` day. The revision was deployed on a
  day between its commit and ``today``, so its inputs are computed for two days, the day
  before the commit's date in UTC (on or before that date in every time zone) and
  ``today``, and a stack is built when its inputs differ from either. Expiry only ever
  withdraws grants, so a stack equal on both days was equal on every day between.
- **Code and checks.** When the project's code (:data:`CODE`) differs between the revision and
  the working tree, or mesh.yaml's ``policies`` (which decide what synthesis checks) changed,
  every stack is built and :attr:`Selection.note` says why.

It assumes the revision was deployed with the same ``-c`` options (``allow-destroy``), on or
after its commit's date.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from datamesh.blueprint import blueprint
from datamesh.config import ConfigError, Mesh, Problem, load_mesh
from datamesh.config.app_context import SINCE_CONTEXT
from datamesh.git import revision
from datamesh.policies.parameter_rules import parameter_problems

PROJECT = Path(__file__).resolve().parent.parent.parent
"""The folder holding app.py and the datamesh package."""
CODE = (
    "datamesh",
    "app.py",
    "cdk.json",
    "requirements.txt",
    "requirements-dev.txt",
    "package.json",
    "package-lock.json",
    "pyproject.toml",
)
"""What the templates are built with, relative to :data:`PROJECT`: a change to any synthesizes everything."""
NAMED = 10  # stacks the note names


class UnreadableRevision(ConfigError):
    """git could not give the files at the revision (a :class:`ConfigError` of one problem on ``since``)."""


@dataclass(frozen=True)
class Selection:
    stacks: frozenset[str] | None
    """Ids of the stacks to build; None: every stack."""
    note: str
    """One line: what is built and why."""


def _inputs(mesh: Mesh, today: date) -> dict[str, str]:
    """What each stack of ``mesh`` is built from on ``today``, by id."""
    return {s.id: s.inputs for s in blueprint(mesh.as_of(today), today).stacks}


def changed_stacks(before: Mesh | None, after: Mesh, today: date, deployed_from: date) -> frozenset[str]:
    """Ids of ``after``'s stacks that are new or whose inputs on ``today`` differ from ``before``'s
    on ``deployed_from`` or on ``today``."""
    now = _inputs(after, today)
    if before is None:
        return frozenset(now)
    then = [_inputs(before, day) for day in sorted({deployed_from, today})]
    return frozenset(id for id, inputs in now.items() if any(old.get(id) != inputs for old in then))


def _at_ref(problem: Problem, ref: str, scratch: Path) -> Problem:
    """The problem with its file named ``REF:path`` instead of the scratch copy's path."""
    path = Path(problem.file)
    relative = path.relative_to(scratch).as_posix() if path.is_relative_to(scratch) else path.name
    return replace(problem, file=f"{ref}:{relative}")


def files_at(ref: str, mesh_file: Path, scratch: Path) -> tuple[revision.Revision, Mesh | None]:
    """The revision ``ref`` and the mesh as its files were, copied into ``scratch`` (None when there was none).

    :raises revision.GitError: when git cannot give the files.
    :raises ConfigError: when they do not validate, each problem's file named ``REF:path``.
    """
    old = revision.checkout_mesh(ref, mesh_file, scratch)
    try:
        return old, load_mesh(old.mesh_file, rules=parameter_problems) if old.mesh_file else None
    except ConfigError as exc:
        raise ConfigError([_at_ref(p, ref, scratch) for p in exc.problems]) from None


def _code_changes(ref: str, mesh_file: Path, project: Path) -> str | None:
    """Why ``ref`` cannot tell which code built its templates, or None when the code is the same."""
    if not project.is_relative_to(revision.top_level(Path(mesh_file).resolve().parent)):
        return f"the project's code ({project}) is not in the git repository of {mesh_file}"
    changed = revision.changed_files(ref, project, CODE)
    if changed:
        more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
        return f"the project's code changed since {ref} ({changed[0]}{more})"
    return None


def since(ref: str, mesh: Mesh, today: date, *, project: Path | None = None) -> Selection:
    """The stacks of ``mesh`` to build on ``today`` given what ``ref`` (in the mesh file's repository) deployed.

    :param project: the folder whose :data:`CODE` built the templates; defaults to :data:`PROJECT`.
    :raises UnreadableRevision: git could not give ``ref`` (the mesh is in no repository, ``ref`` is unknown).
    :raises ConfigError: one problem on ``since``: the files at ``ref`` do not validate.
    """
    with tempfile.TemporaryDirectory(prefix="datamesh-since-") as scratch:
        try:
            old, before = files_at(ref, mesh.source, Path(scratch))
            code = _code_changes(ref, mesh.source, project or PROJECT)
        except revision.GitError as exc:
            raise UnreadableRevision([Problem("cdk context", SINCE_CONTEXT, f"{ref}: git: {exc}")]) from None
        except ConfigError as exc:
            raise ConfigError(
                [
                    Problem(
                        "cdk context",
                        SINCE_CONTEXT,
                        f"the files at {ref} do not validate ("
                        f"{len(exc.problems)} problem(s); the first: {exc.problems[0]})",
                    )
                ]
            ) from None
    if code is not None:
        return Selection(None, f"every stack is synthesized: {code}")
    if before is not None and before.config.policies != mesh.config.policies:
        return Selection(None, f"every stack is synthesized: mesh.yaml's policies changed since {ref}")
    built = changed_stacks(before, mesh, today, old.committed.date() - timedelta(days=1))
    names = sorted(built)
    listed = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
    return Selection(built, f"{len(built)} stack(s) added or changed since {ref}: {listed or 'none'}")


def kept(ids: Collection[str], selection: Selection | None) -> list[str]:
    """``ids`` that ``selection`` builds, in their order."""
    return [i for i in ids if selection is None or selection.stacks is None or i in selection.stacks]
