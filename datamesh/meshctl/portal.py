"""``meshctl portal``: write the catalog portal, a static site that works from disk or any static host."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode


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
) -> None:
    """Write the catalog portal: search, a page per product and per domain, the mesh graph and the KPIs.

    Search ranks as `meshctl catalog search`; its index is a script in the site, so it works from file://.
    Open DIR/index.html, or copy DIR to any static host (an S3 website, for example).
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
    written = site.build(loaded, out, data, now.date())
    output.line(f"wrote {len(written)} files to {out}; open {out / 'index.html'}")
