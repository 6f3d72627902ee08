"""Doctor's run: every account of the mesh read concurrently and compared with the blueprint."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.progress import Progress

from datamesh.aws import sessions as aws
from datamesh.doctor.findings import Finding
from datamesh.doctor.read_once import ReadOnce
from datamesh.names import naming

if TYPE_CHECKING:
    import boto3

    from datamesh.blueprint import Blueprint
    from datamesh.config import Mesh

MAX_WORKERS = 8


def _check_account(blueprint: Blueprint, accounts: aws.Accounts, once: ReadOnce, account: str) -> list[Finding]:
    """Every check that reads ``account``: its resources, then governance, producer and consumer checks as the
    account is each. A key's use by a role of another account also reads the role's IAM policies there (once
    per run, shared through ``once`` with the other accounts' checks)."""
    from datamesh.blueprint import CATALOG_KEY_ACTIONS
    from datamesh.blueprint.accounts import GOVERNANCE
    from datamesh.doctor import (
        iam_allowed,
        identity_center,
        identity_center_workgroups,
        invitations,
        lake,
        lake_settings,
        monitoring_checks,
        principals,
        resources,
    )

    mesh, cfg = blueprint.mesh, blueprint.mesh.config
    profiles = {cfg.governance_account: GOVERNANCE, **{d.account: d.name for d in mesh.domains}}
    domain = next((d for d in mesh.domains if d.account == account), None)

    def client(service: str) -> Any:
        return accounts.client(account, profiles[account], service)

    def reach(other: str, service: str) -> Any:
        return accounts.client(other, profiles[other], service)

    label = domain.name if domain else ""
    settings = client("lakeformation").get_data_lake_settings(CatalogId=account)["DataLakeSettings"]  # read once
    findings = [
        resources.check_admins(settings, account, label, blueprint.admins[account]),
        lake_settings.check(settings, account, label),
        *iam_allowed.check(client("lakeformation"), account, iam_allowed.owned(blueprint).get(account, {})),
    ]
    findings += [resources.check_role(client("iam"), label, r.name) for r in blueprint.roles if r.account == account]
    idc = cfg.identity_center
    recipients = identity_center.wanted(mesh)
    if idc is not None and account in recipients:
        findings.append(
            identity_center.check(client("lakeformation"), account, label, idc.instance_arn, recipients[account])
        )
    findings += [
        resources.check_bucket(client("s3"), client("kms"), b.domain, b.name, b.key_alias, b.logs_to)
        for b in blueprint.buckets
        if b.account == account
    ]
    findings += [
        resources.check_workgroup(client("athena"), w.domain, w.name, w.results_bucket)
        for w in blueprint.workgroups
        if w.account == account
    ]
    registration = naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))
    if account == cfg.governance_account:
        findings += lake.check_governance(blueprint, client)
        findings += resources.check_lf_tag_values(client("lakeformation"), account, blueprint.lf_tags)
        findings.append(
            resources.check_catalog_encryption(
                client("glue"), client("kms"), account, naming.catalog_key_alias(cfg.name)
            )
        )
        findings += monitoring_checks.check_governance(blueprint, client)
    if domain is not None and cfg.organization is None:  # standalone accounts accept the governance's shares
        findings += invitations.check(client("ram"), domain.name, cfg.governance_account)
    if domain is not None and domain.is_producer:
        data = naming.data_bucket(cfg.name, domain.name, account, cfg.region)
        findings.append(resources.check_bucket_policy(client("s3"), domain.name, data, registration))
        findings.append(
            resources.check_key_access(
                reach,
                once,
                domain.name,
                registration,
                account,
                naming.data_key_alias(cfg.name, domain.name),
                ("kms:Decrypt",),
                f"s3.{cfg.region}.amazonaws.com",
            )
        )
        findings += monitoring_checks.check_producer(blueprint, domain.name, client)
    if domain is not None and domain.is_consumer:
        findings += lake.check_consumer(blueprint, domain.name, client)
        findings += principals.check_principal_roles(client("iam"), domain)
        if idc is not None:
            home = idc.account or cfg.governance_account
            findings += identity_center.check_principals(reach(home, "identitystore"), idc.identity_store_id, domain)
        if domain in identity_center_workgroups.domains(mesh):
            findings.append(identity_center_workgroups.check(client("athena"), mesh, domain))
        if mesh.granted_shares(consumer=domain.name, today=blueprint.today):
            analyst = naming.role_arn(account, naming.analyst_role(cfg.name, domain.name))
            findings.append(
                resources.check_key_access(
                    reach,
                    once,
                    domain.name,
                    analyst,
                    cfg.governance_account,
                    naming.catalog_key_alias(cfg.name),
                    CATALOG_KEY_ACTIONS,
                    f"glue.{cfg.region}.amazonaws.com",
                )
            )
    return [replace(f, account=account) for f in findings]


def run_checks(
    mesh: Mesh,
    settings: aws.Settings,
    today: date,
    base: boto3.Session | None = None,
    max_workers: int = MAX_WORKERS,
    progress: Progress | None = None,
    only: Collection[str] | None = None,
) -> tuple[list[Finding], list[str]]:
    """Findings of every account, checked concurrently, and one error line per account that failed.

    :param base: the session whose credentials reach the accounts (see :class:`aws.Accounts`).
    :param max_workers: at most this many accounts are read at a time.
    :param progress: a progress bar that counts the accounts read. Defaults to none.
    :param only: the accounts to read. Defaults to every account of the mesh.
    """
    from datamesh.blueprint import blueprint as blueprint_of
    from datamesh.blueprint.accounts import GOVERNANCE

    accounts = aws.Accounts(settings, base)
    once = ReadOnce()
    blueprint = blueprint_of(mesh, today)
    targets = {mesh.config.governance_account: GOVERNANCE, **{d.account: d.name for d in mesh.domains}}
    if only is not None:
        targets = {account: label for account, label in targets.items() if account in only}
    findings: list[Finding] = []
    errors: list[str] = []
    bar = progress or Progress(disable=True)
    with bar, ThreadPoolExecutor(max_workers=min(max_workers, len(targets))) as pool:
        task = bar.add_task("checking accounts", total=len(targets))
        futures = {pool.submit(_check_account, blueprint, accounts, once, account): account for account in targets}
        for future in as_completed(futures):
            account = futures[future]
            try:
                findings += future.result()
            except aws.AWS_FAILURES as exc:
                errors.append(aws.explain(exc, f"account {account} ({targets[account]})"))
            bar.advance(task)
    return sorted(findings), sorted(errors)
