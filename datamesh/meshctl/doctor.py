"""``meshctl doctor``: is what the files declare what exists in the accounts?"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from datamesh.config import Mesh
from datamesh.meshctl import aws, drift, output
from datamesh.meshctl.exit_codes import ExitCode

STATUS_STYLES = {drift.Status.OK: "green", drift.Status.MISSING: "red", drift.Status.EXTRA: "magenta",
                 drift.Status.DIFFERENT: "yellow", drift.Status.RETAINED: "cyan"}
MAX_WORKERS = 8


def _check_account(mesh: Mesh, accounts: aws.Accounts, account: str, today: date) -> list[drift.Finding]:
    """Every check that reads ``account``: governance, producer and consumer, as the account is each."""
    cfg = mesh.config
    domain = next((d for d in mesh.domains if d.account == account), None)
    name = domain.name if domain else "governance"

    def client(service: str) -> Any:
        return accounts.client(account, name, service)

    findings = []
    if account == cfg.governance_account:
        findings += drift.check_governance(mesh, client, today)
    if domain is not None and domain.is_producer:
        findings += drift.check_producer(mesh, domain.name, client)
    if domain is not None and domain.is_consumer:
        findings += drift.check_consumer(mesh, domain.name, client, today)
    return [replace(f, account=account) for f in findings]


def run_checks(mesh: Mesh, settings: aws.Settings, today: date) -> tuple[list[drift.Finding], list[str]]:
    """Findings of every account, checked concurrently, and one error line per account that failed."""
    accounts = aws.Accounts(settings)
    targets = {mesh.config.governance_account: "governance", **{d.account: d.name for d in mesh.domains}}
    findings: list[drift.Finding] = []
    errors: list[str] = []
    with output.progress() as bar, ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(targets))) as pool:
        task = bar.add_task("checking accounts", total=len(targets))
        futures = {pool.submit(_check_account, mesh, accounts, account, today): account for account in targets}
        for future in as_completed(futures):
            account = futures[future]
            try:
                findings += future.result()
            except aws.AWS_FAILURES as exc:
                errors.append(aws.explain(exc, f"account {account} ({targets[account]})", settings))
            bar.advance(task)
    return sorted(findings), sorted(errors)


def doctor(
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    drift_only: Annotated[bool, typer.Option("--drift-only", help="List only what differs.")] = False,
    today: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Judge expiry as on this day (the app's -c today=).")] = None,
    json: output.JsonOption = False,
) -> None:
    """Compare every account of the mesh with the files; exit 1 on drift.

    Checks databases, tables, registered locations, LF-tags on databases and pii=true on pii columns.
    Checks the grants per subscription to consumer accounts, resource links and data buckets.
    Checks the analyst role's grants in each consumer account; a SELECT reaching a pii column is different.
    Each account is read concurrently, with --role-name assumed from the default credentials (or --profile-template).
    Drift is missing, extra or different; a database CloudFormation retained after its product was removed is retained, not drift.
    Exit 1 on drift, 4 if an account could not be read.
    """
    loaded = output.load(mesh)
    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    findings, errors = run_checks(loaded, settings, today.date() if today else date.today())
    counts = Counter(f.status.value for f in findings)
    if json:
        output.emit_json({
            "mesh": loaded.config.name,
            "findings": [{**asdict(f), "status": f.status.value} for f in findings if f.drift or not drift_only],
            "errors": errors,
            "summary": {status.value: counts.get(status.value, 0) for status in drift.Status},
        })
    elif drift_only and not errors and not any(f.drift for f in findings):
        retained = counts.get(drift.Status.RETAINED.value, 0)
        output.line(f"no drift: all {len(findings)} checks of mesh {loaded.config.name} match the files"
                    + (f" ({retained} retained after removal)" if retained else ""))
    else:
        table = Table(title=f"mesh {loaded.config.name}: files compared with the accounts", title_justify="left")
        for column in ("domain", "product", "check", "resource", "status", "detail"):
            table.add_column(column)
        for f in findings:
            if f.drift or not drift_only:
                style = STATUS_STYLES[f.status]
                table.add_row(output.cell(f.domain), output.cell(f.product), output.cell(f.check),
                              output.cell(f.resource), output.cell(f.status.value, style), output.cell(f.detail))
        output.show(table)
        output.line(", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in drift.Status))
        for line in errors:
            output.error(line)
    if errors:
        raise typer.Exit(int(ExitCode.AWS))
    if any(f.drift for f in findings):
        raise typer.Exit(int(ExitCode.PROBLEMS))
