"""``meshctl doctor``: is what the files declare what exists in the accounts?"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from datamesh.aws import sessions as aws
from datamesh.doctor.findings import Status
from datamesh.doctor.run import MAX_WORKERS
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

STATUS_STYLES = {
    Status.OK: "green",
    Status.MISSING: "red",
    Status.EXTRA: "magenta",
    Status.DIFFERENT: "yellow",
    Status.RETAINED: "cyan",
    Status.PENDING: "blue",
}


def doctor(
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    max_workers: Annotated[int, typer.Option("--max-workers", min=1, help="Accounts read at a time.")] = MAX_WORKERS,
    drift_only: Annotated[bool, typer.Option("--drift-only", help="List only what differs.")] = False,
    today: output.TodayOption = None,
    json: output.JsonOption = False,
) -> None:
    """Compare every account of the mesh with the files; exit 1 on drift.

    Checks Lake Formation admins and settings, IAMAllowedPrincipals' permissions on the mesh's databases and tables, LF-tags and their values, catalog encryption, roles, buckets (versioning, public access block, encryption key, access logs), the data bucket's policy, workgroups.
    Checks databases, tables (columns, parameters), quality rulesets, registered locations, LF-tags on databases and pii=true on pii columns.
    Checks the producers' grants, the grants per subscription to consumer accounts, resource links; between standalone accounts, that each domain account accepted its AWS RAM invitations.
    Checks the analyst role's grants in each consumer account; a SELECT reaching a pii column is different.
    Checks the data cells filters of approvals with rows or withheld columns (rows, columns) and the grants on them.
    Checks that the key and IAM policies let the registration role decrypt each producer's key through S3, and each subscribing analyst role use the catalog key through Glue.
    Up to --max-workers accounts are read at a time, with --role-name assumed from the default credentials (or --profile-template).
    Drift is missing, extra or different; a database CloudFormation retained after its product was removed is retained, not drift.
    With --json each finding carries "drift": true or false.
    Exit 1 on drift, 4 if an account could not be read.
    """
    loaded = output.load(mesh)
    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    from datamesh.doctor.run import run_checks

    findings, errors = run_checks(
        loaded, settings, today.date() if today else date.today(), max_workers=max_workers, progress=output.progress()
    )
    counts = Counter(f.status.value for f in findings)
    if json:
        output.emit_json(
            {
                "mesh": loaded.config.name,
                "findings": [
                    {**asdict(f), "status": f.status.value, "drift": f.drift}
                    for f in findings
                    if f.drift or not drift_only
                ],
                "errors": errors,
                "summary": {status.value: counts.get(status.value, 0) for status in Status},
            }
        )
    elif drift_only and not errors and not any(f.drift for f in findings):
        retained = counts.get(Status.RETAINED.value, 0)
        output.line(
            f"no drift: all {len(findings)} checks of mesh {loaded.config.name} match the files"
            + (f" ({retained} retained after removal)" if retained else "")
        )
    elif findings:
        table = Table(title=f"mesh {loaded.config.name}: files compared with the accounts", title_justify="left")
        for column in ("domain", "product", "check", "resource", "status", "detail"):
            table.add_column(column)
        for f in findings:
            if f.drift or not drift_only:
                style = STATUS_STYLES[f.status]
                table.add_row(
                    output.cell(f.domain),
                    output.cell(f.product),
                    output.cell(f.check),
                    output.cell(f.resource),
                    output.cell(f.status.value, style),
                    output.cell(f.detail),
                )
        output.show(table)
        output.line(", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in Status))
    if not json:
        for line in errors:
            output.error(line)
    if errors:
        raise typer.Exit(int(ExitCode.AWS))
    if any(f.drift for f in findings):
        raise typer.Exit(int(ExitCode.PROBLEMS))
