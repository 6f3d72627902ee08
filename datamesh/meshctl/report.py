"""``meshctl report``: the mesh's KPIs from the files and their git history, and with --live from the accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from datamesh.aws import sessions as aws
from datamesh.git import revision
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode
from datamesh.report import render, summary

if TYPE_CHECKING:  # the models load in the command's body, so that meshctl and its --help start at once
    from datamesh.config import Mesh


EVALUATIONS = 5
EvaluationsOption = Annotated[
    int,
    typer.Option(
        "--evaluations",
        metavar="N",
        min=1,
        help="With --live: how many of each ruleset's newest Glue Data Quality results make its trend.",
    ),
]


class Format(str, Enum):
    TABLE = "table"
    MARKDOWN = "markdown"
    HTML = "html"


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r}: use YYYY-MM, e.g. 2026-01", param_hint="--since") from None


def _show_table(report: dict[str, Any]) -> None:
    table = Table(title=f"mesh {report['mesh']}: KPIs on {report['as_of']}", title_justify="left")
    table.add_column("KPI")
    table.add_column("value")
    for name, value in render.summary_rows(report):
        table.add_row(output.cell(name, "bold"), output.cell(value))
    output.show(table)
    for title, header, rows in (
        *((f"{title} (what the accounts say)", header, rows(report)) for title, header, rows in render.LIVE_TABLES),
        ("trend per month", render.TREND_HEADER, render.trend_rows(report)),
    ):
        if rows:
            extra = Table(title=title, title_justify="left")
            for name in header:
                extra.add_column(name)
            for row in rows:
                extra.add_row(*(output.cell(c) for c in row))
            output.show(extra)


def report(
    mesh: output.MeshOption = Path("mesh.yaml"),
    format: Annotated[
        Format, typer.Option("--format", help="A table, Markdown or an HTML page (both with a trend chart).")
    ] = Format.TABLE,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="YYYY-MM", help="First month of the trend. Defaults to five months before this one."
        ),
    ] = None,
    expiring_within: Annotated[
        int,
        typer.Option("--expiring-within", metavar="DAYS", min=0, help="List granted shares that expire within DAYS."),
    ] = 30,
    live: Annotated[
        bool, typer.Option("--live", help="Add freshness and Glue Data Quality results from the accounts.")
    ] = False,
    evaluations: EvaluationsOption = EVALUATIONS,
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    json: output.JsonOption = False,
) -> None:
    """The mesh's KPIs: domains, products, shares, coverage, pii and lead times.

    Request-to-decision lead time comes from the commits that subscribed and decided (git log of domains/).
    The trend shows the mesh as each month's last commit left it; --since sets the first month.
    --live adds the age of each product's newest object against its contract's freshness SLA, and per
    ruleset the last Glue Data Quality evaluation (score, rules not passed, when) and the scores of the
    last --evaluations ones. Exit 5 if --since is given outside a git repository, 4 if something could not
    be read (the report still shows the rest, "cannot read" where it could not).
    """
    first = _month(since) if since else None
    loaded = output.load(mesh)
    now = datetime.now(UTC)
    try:
        data = summary.build(
            loaded, mesh, now, since=first, expiring_within=expiring_within, strict_history=first is not None
        )
    except revision.GitError as exc:
        output.fail(ExitCode.GIT, f"--since needs the git history of {mesh}: {exc}")
    if "history_error" in data:
        output.warning(f"no lead times or trend: {data['history_error']}")
    if live:
        settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
        data["live"] = read_live(loaded, settings, now, evaluations)
    if json:
        output.emit_json(data)
    elif format is Format.MARKDOWN:
        typer.echo(render.markdown(data), nl=False)
    elif format is Format.HTML:
        typer.echo(render.html_page(data), nl=False)
    else:
        _show_table(data)
    exit_if_unreadable(data)


def read_live(mesh: Mesh, settings: aws.Settings, now: datetime, evaluations: int) -> dict[str, Any]:
    """``report --live``'s and ``portal --live``'s reads of the accounts."""
    from datamesh.report import live_kpis

    return live_kpis.read(mesh, settings, now, evaluations)


def exit_if_unreadable(report: dict[str, Any]) -> None:
    """After the output: exit 4 with one line per failed read, when ``--live`` could not read something."""
    unreadable = report.get("live", {}).get("unreadable", [])
    if unreadable:
        output.fail(ExitCode.AWS, *unreadable)
