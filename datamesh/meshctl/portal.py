"""``meshctl portal``: write the catalog portal, a static site that works from disk or any static host."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode
from datamesh.meshctl.report import EVALUATIONS, EvaluationsOption, exit_if_unreadable, read_live


def portal(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder to write the site into: new, empty, or an earlier portal (its files are replaced).",
        ),
    ],
    mesh: output.MeshOption = Path("mesh.yaml"),
    live: Annotated[
        bool,
        typer.Option(
            "--live", help="Add each product's freshness and Glue Data Quality evaluations from the accounts."
        ),
    ] = False,
    evaluations: EvaluationsOption = EVALUATIONS,
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
) -> None:
    """Write the catalog portal: search, a page per product and per domain, the mesh graph and the KPIs.

    Search ranks as `meshctl catalog search`; its index is a script in the site, so it works from file://.
    Open DIR/index.html, or copy DIR to any static host (an S3 website, for example).
    --live reads the accounts as `meshctl report --live` does; what could not be read says "cannot read" on
    its page, and the command exits 4 after writing the site.
    """
    from datamesh.portal import site
    from datamesh.report import summary

    try:
        site.check_folder(out)
    except site.NotAPortal as exc:
        output.fail(ExitCode.USAGE, str(exc))
    loaded = output.load(mesh)
    now = datetime.now(UTC)
    data = summary.build(loaded, mesh, now, since=None)
    if "history_error" in data:
        output.warning(f"KPIs without lead times or trend: {data['history_error']}")
    if live:
        settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
        data["live"] = read_live(loaded, settings, now, evaluations)
    written = site.build(loaded, out, data, now.date())
    output.line(f"wrote {len(written)} files to {out}; open {out / 'index.html'}")
    exit_if_unreadable(data)
