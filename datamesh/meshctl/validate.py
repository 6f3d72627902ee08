"""``meshctl validate``: every parameter-file problem on one line, and warnings about expiring shares."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh

EXPIRY_NOTICE_DAYS = 14


def expiry_warnings(mesh: Mesh, today: date, notice_days: int = EXPIRY_NOTICE_DAYS) -> list[str]:
    """One line per subscription that expired or expires within ``notice_days`` of ``today``."""
    from datamesh.config.loader import display_path
    from datamesh.shares.yaml_files import domain_file

    warnings = []
    for consumer in mesh.consumers:
        file = display_path(domain_file(mesh.source, consumer.name))
        for i, sub in enumerate(consumer.consumes):
            if sub.expires is None:
                continue
            days = (sub.expires - today).days
            where = f"{file}: consumes[{i}].expires"
            if days <= 0:
                warnings.append(f"{where}: {sub.product} expired on {sub.expires}; it grants nothing")
            elif days <= notice_days:
                warnings.append(f"{where}: {sub.product} expires on {sub.expires} (in {days} day{'s' * (days > 1)})")
    return warnings


def _checked(mesh: Path, since: str | None) -> Mesh:
    """The validated mesh, with the mesh's policies, and no unannounced breaking change since ``since``.

    :raises ConfigError: with every problem found (of the files at ``since`` when those do not validate).
    :raises GitError: when git cannot give the files at ``since``.
    """
    from datamesh.config import ConfigError, load_mesh
    from datamesh.meshctl.contract import unannounced_problems
    from datamesh.meshctl.plan import mesh_at
    from datamesh.policies.parameter_rules import parameter_problems

    loaded = load_mesh(mesh, rules=parameter_problems)
    if since is not None:
        with tempfile.TemporaryDirectory() as scratch:
            before = mesh_at(since, mesh, Path(scratch))
        breaking = unannounced_problems(before, loaded) if before else []
        if breaking:
            raise ConfigError(breaking)
    return loaded


def validate(
    mesh: output.MeshOption = Path("mesh.yaml"),
    notice_days: Annotated[
        int, typer.Option("--notice-days", min=0, help="Warn about subscriptions expiring within this many days.")
    ] = EXPIRY_NOTICE_DAYS,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REF",
            help="Also fail on contract changes since this git revision that break consumers without a major version.",
        ),
    ] = None,
    json: output.JsonOption = False,
) -> None:
    """Validate mesh.yaml and every domains/*.yaml together.

    Each problem is one line naming the file, the field and the reason (exit 1 on any).
    Subscriptions that expired or expire soon are warnings, on lines of their own.
    """
    from datamesh.config import ConfigError, ShareState

    today = date.today()
    with output.exit_on_git_error(), output.exit_on_config_error("the files do not validate"):
        try:
            loaded = _checked(mesh, since)
        except ConfigError as exc:
            if not json:
                raise
            output.emit_json({"valid": False, "problems": [asdict(p) for p in exc.problems], "warnings": []})
            raise typer.Exit(int(ExitCode.PROBLEMS)) from None
    warnings = expiry_warnings(loaded, today, notice_days)
    counts = {state: 0 for state in ShareState}
    for share in loaded.shares(today):
        counts[share.state] += 1
    if json:
        output.emit_json(
            {
                "valid": True,
                "problems": [],
                "warnings": warnings,
                "mesh": loaded.config.name,
                "domains": len(loaded.domains),
                "products": sum(len(d.products) for d in loaded.domains),
                "shares": {state.value: n for state, n in counts.items()},
            }
        )
        return
    for text in warnings:
        output.warning(text)
    table = Table(title=f"mesh {loaded.config.name} is valid", title_justify="left")
    for column in ("domains", "products", *(state.value for state in ShareState)):
        table.add_column(column, justify="right")
    table.add_row(
        str(len(loaded.domains)),
        str(sum(len(d.products) for d in loaded.domains)),
        *(output.cell(n, output.STATE_STYLES[state.value]) for state, n in counts.items()),
    )
    output.show(table)
