"""How meshctl talks: rich tables on stdout, one line per error or warning on stderr, JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from datamesh.git.revision import GitError
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # the models load in a command's body, so that meshctl and its --help start at once
    from datamesh.config import Mesh, Problem, ShareState

MeshOption = Annotated[
    Path,
    typer.Option("--mesh", envvar="MESHCTL_MESH", help="The mesh.yaml to read; its domains/ folder sits beside it."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of tables, for scripts.")]
TodayOption = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Judge expiry as on this day (the app's -c today=).")
]

STATE_STYLES = {  # by ShareState's value
    "granted": "green",
    "pending": "yellow",
    "denied": "red",
    "expired": "dim",
}


def console(*, stderr: bool = False) -> Console:
    """A console on the current stdout or stderr; wide when not a terminal, so piped lines stay whole."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else 200
    return Console(file=stream, width=width, highlight=False)


def line(text: str, *, style: str = "", stderr: bool = False) -> None:
    """One line, printed as is (no markup, no wrapping)."""
    console(stderr=stderr).print(text, style=style or None, markup=False, soft_wrap=True)


def error(text: str) -> None:
    line(f"error: {text}", style="bold red", stderr=True)


def warning(text: str) -> None:
    line(f"warning: {text}", style="yellow", stderr=True)


def fail(code: ExitCode, *messages: str) -> NoReturn:
    """Print each message as an error line and exit with ``code``."""
    for message in messages:
        error(message)
    raise typer.Exit(int(code))


def report_problems(problems: Iterable[Problem]) -> None:
    """Each problem on one line: ``error: file: field: what is wrong``."""
    for problem in problems:
        error(str(problem))


@contextmanager
def exit_on_config_error(outcome: str) -> Iterator[None]:
    """The command boundary: helpers raise :class:`ConfigError`, the command exits here.

    Each problem is printed on one line, then ``N problem(s) found; <outcome>``; the exit
    status is 1 and nothing is printed as a traceback. Used by meshctl's commands and ``app.py``.
    """
    from datamesh.config import ConfigError

    try:
        yield
    except ConfigError as exc:
        report_problems(exc.problems)
        line(f"{len(exc.problems)} problem(s) found; {outcome}", stderr=True)
        raise SystemExit(int(ExitCode.PROBLEMS)) from None


@contextmanager
def exit_on_git_error() -> Iterator[None]:
    """The command boundary for :class:`GitError`: one line, exit 5."""
    try:
        yield
    except GitError as exc:
        fail(ExitCode.GIT, f"git: {exc}")


def load(mesh_file: Path, *, approvals: bool = True) -> Mesh:
    """The validated mesh, or every problem on its own line and exit 1 (``approvals``: see ``load_mesh``)."""
    from datamesh.config import load_mesh
    from datamesh.policies.parameter_rules import parameter_problems

    with exit_on_config_error("fix them first"):
        return load_mesh(mesh_file, rules=parameter_problems, approvals=approvals)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def cell(value: object, style: str = "") -> Text:
    """A table cell shown exactly as given (user text is never read as markup)."""
    return Text("" if value is None else str(value), style=style)


def state_cell(state: ShareState) -> Text:
    return cell(state.value, STATE_STYLES[state.value])


def show(table: Table) -> None:
    console().print(table)


def progress() -> Progress:
    """A progress bar on stderr for long work; silent when stderr is not a terminal."""
    err = console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
