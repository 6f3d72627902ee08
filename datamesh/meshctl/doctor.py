"""``meshctl doctor``: is what the files declare what exists in the accounts?"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from datamesh import naming
from datamesh.meshctl import aws, output
from datamesh.meshctl.findings import Finding, Status
from datamesh.meshctl.read_once import ReadOnce
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    import boto3
    from datamesh.blueprint import Blueprint
    from datamesh.config import Mesh

STATUS_STYLES = {Status.OK: "green", Status.MISSING: "red", Status.EXTRA: "magenta",
                 Status.DIFFERENT: "yellow", Status.RETAINED: "cyan", Status.PENDING: "blue"}
MAX_WORKERS = 8


def _check_account(plan: Blueprint, accounts: aws.Accounts, once: ReadOnce, account: str) -> list[Finding]:
    """Every check that reads ``account``: its resources, then governance, producer and consumer checks as the
    account is each. A key's use by a role of another account also reads the role's IAM policies there (once
    per run, shared through ``once`` with the other accounts' checks)."""
    from datamesh.blueprint import CATALOG_KEY_ACTIONS
    from datamesh.blueprint.accounts import GOVERNANCE
    from datamesh.meshctl import drift, drift_principals, drift_resources, iam_allowed, lake_settings, monitoring_checks

    mesh, cfg = plan.mesh, plan.mesh.config
    profiles = {cfg.governance_account: GOVERNANCE, **{d.account: d.name for d in mesh.domains}}
    domain = next((d for d in mesh.domains if d.account == account), None)

    def client(service: str) -> Any:
        return accounts.client(account, profiles[account], service)

    def reach(other: str, service: str) -> Any:
        return accounts.client(other, profiles[other], service)

    label = domain.name if domain else ""
    settings = client("lakeformation").get_data_lake_settings(CatalogId=account)["DataLakeSettings"]  # read once
    findings = [drift_resources.check_admins(settings, account, label, plan.admins[account]),
                lake_settings.check(settings, account, label),
                *iam_allowed.check(client("lakeformation"), account, iam_allowed.owned(plan).get(account, {}))]
    findings += [drift_resources.check_role(client("iam"), label, r.name)
                 for r in plan.roles if r.account == account]
    findings += [drift_resources.check_bucket(client("s3"), client("kms"), b.domain, b.name, b.key_alias, b.logs_to)
                 for b in plan.buckets if b.account == account]
    findings += [drift_resources.check_workgroup(client("athena"), w.domain, w.name, w.results_bucket)
                 for w in plan.workgroups if w.account == account]
    registration = naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))
    if account == cfg.governance_account:
        findings += drift.check_governance(plan, client)
        findings += drift_resources.check_lf_tag_values(client("lakeformation"), account, plan.lf_tags)
        findings.append(drift_resources.check_catalog_encryption(client("glue"), client("kms"), account,
                                                                 naming.catalog_key_alias(cfg.name)))
        findings += monitoring_checks.check_governance(plan, client)
    if domain is not None and domain.is_producer:
        data = naming.data_bucket(cfg.name, domain.name, account, cfg.region)
        findings.append(drift_resources.check_bucket_policy(client("s3"), domain.name, data, registration))
        findings.append(drift_resources.check_key_access(reach, once, domain.name, registration, account,
                                                         naming.data_key_alias(cfg.name, domain.name),
                                                         ("kms:Decrypt",), f"s3.{cfg.region}.amazonaws.com"))
        findings += monitoring_checks.check_producer(plan, domain.name, client)
    if domain is not None and domain.is_consumer:
        findings += drift.check_consumer(plan, domain.name, client)
        findings += drift_principals.check_principal_roles(client("iam"), domain)
        if mesh.granted_shares(consumer=domain.name, today=plan.today):
            analyst = naming.role_arn(account, naming.analyst_role(cfg.name, domain.name))
            findings.append(drift_resources.check_key_access(reach, once, domain.name, analyst, cfg.governance_account,
                                                             naming.catalog_key_alias(cfg.name), CATALOG_KEY_ACTIONS,
                                                             f"glue.{cfg.region}.amazonaws.com"))
    return [replace(f, account=account) for f in findings]


def run_checks(mesh: Mesh, settings: aws.Settings, today: date, base: boto3.Session | None = None,
               max_workers: int = MAX_WORKERS) -> tuple[list[Finding], list[str]]:
    """Findings of every account, checked concurrently, and one error line per account that failed.

    :param base: the session whose credentials reach the accounts (see :class:`aws.Accounts`).
    :param max_workers: at most this many accounts are read at a time.
    """
    from datamesh.blueprint import blueprint
    from datamesh.blueprint.accounts import GOVERNANCE

    accounts = aws.Accounts(settings, base)
    once = ReadOnce()
    plan = blueprint(mesh, today)
    targets = {mesh.config.governance_account: GOVERNANCE, **{d.account: d.name for d in mesh.domains}}
    findings: list[Finding] = []
    errors: list[str] = []
    with output.progress() as bar, ThreadPoolExecutor(max_workers=min(max_workers, len(targets))) as pool:
        task = bar.add_task("checking accounts", total=len(targets))
        futures = {pool.submit(_check_account, plan, accounts, once, account): account for account in targets}
        for future in as_completed(futures):
            account = futures[future]
            try:
                findings += future.result()
            except aws.AWS_FAILURES as exc:
                errors.append(aws.explain(exc, f"account {account} ({targets[account]})"))
            bar.advance(task)
    return sorted(findings), sorted(errors)


def doctor(
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    max_workers: Annotated[int, typer.Option("--max-workers", min=1, help="Accounts read at a time.")] = MAX_WORKERS,
    drift_only: Annotated[bool, typer.Option("--drift-only", help="List only what differs.")] = False,
    today: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Judge expiry as on this day (the app's -c today=).")] = None,
    json: output.JsonOption = False,
) -> None:
    """Compare every account of the mesh with the files; exit 1 on drift.

    Checks Lake Formation admins and settings, IAMAllowedPrincipals' permissions on the mesh's databases and tables, LF-tags and their values, catalog encryption, roles, buckets (versioning, public access block, encryption key, access logs), the data bucket's policy, workgroups.
    Checks databases, tables (columns, parameters), quality rulesets, registered locations, LF-tags on databases and pii=true on pii columns.
    Checks the producers' grants, the grants per subscription to consumer accounts, resource links.
    Checks the analyst role's grants in each consumer account; a SELECT reaching a pii column is different.
    Checks that the key and IAM policies let the registration role decrypt each producer's key through S3, and each subscribing analyst role use the catalog key through Glue.
    Up to --max-workers accounts are read at a time, with --role-name assumed from the default credentials (or --profile-template).
    Drift is missing, extra or different; a database CloudFormation retained after its product was removed is retained, not drift.
    Exit 1 on drift, 4 if an account could not be read.
    """
    loaded = output.load(mesh)
    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    findings, errors = run_checks(loaded, settings, today.date() if today else date.today(), max_workers=max_workers)
    counts = Counter(f.status.value for f in findings)
    if json:
        output.emit_json({
            "mesh": loaded.config.name,
            "findings": [{**asdict(f), "status": f.status.value} for f in findings if f.drift or not drift_only],
            "errors": errors,
            "summary": {status.value: counts.get(status.value, 0) for status in Status},
        })
    elif drift_only and not errors and not any(f.drift for f in findings):
        retained = counts.get(Status.RETAINED.value, 0)
        output.line(f"no drift: all {len(findings)} checks of mesh {loaded.config.name} match the files"
                    + (f" ({retained} retained after removal)" if retained else ""))
    elif findings:
        table = Table(title=f"mesh {loaded.config.name}: files compared with the accounts", title_justify="left")
        for column in ("domain", "product", "check", "resource", "status", "detail"):
            table.add_column(column)
        for f in findings:
            if f.drift or not drift_only:
                style = STATUS_STYLES[f.status]
                table.add_row(output.cell(f.domain), output.cell(f.product), output.cell(f.check),
                              output.cell(f.resource), output.cell(f.status.value, style), output.cell(f.detail))
        output.show(table)
        output.line(", ".join(f"{counts.get(s.value, 0)} {s.value}" for s in Status))
    if not json:
        for line in errors:
            output.error(line)
    if errors:
        raise typer.Exit(int(ExitCode.AWS))
    if any(f.drift for f in findings):
        raise typer.Exit(int(ExitCode.PROBLEMS))
