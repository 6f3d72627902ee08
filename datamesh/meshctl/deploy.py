"""``meshctl deploy``: deploy the mesh with the CDK CLI, accepting AWS RAM invitations where needed.

Lake Formation shares a producer's databases and tables with a consumer account through
AWS RAM. Within one AWS Organization that enabled RAM sharing (``organization`` in
mesh.yaml) the shares need no acceptance, and one ``cdk deploy --all`` deploys the mesh.
Between standalone accounts each consumer account receives an invitation it must accept
before its Access stack can link and grant the shared resources (a producer account
likewise, to use the grants on its own databases); CloudFormation has no resource that
accepts one. So the deploy runs in two waves: ``cdk deploy`` of the Governance, Storage
and Catalog stacks; then every domain account accepts the pending invitations from the
governance account; then ``cdk deploy`` of the Access stacks.

With ``--since REF`` only the stacks added or changed since that git revision are
synthesized and deployed (``cdk deploy -c since=REF``, :mod:`datamesh.blueprint.targeted`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.blueprint.targeted import Selection
    from datamesh.config import Mesh


def _selection(ref: str, mesh: Mesh, context: list[str]) -> Selection:
    """The stacks the app builds with ``-c since=REF`` and the same ``-c today``."""
    from datamesh.blueprint.targeted import UnreadableRevision, since
    from datamesh.config import ConfigError
    from datamesh.config.app_context import TODAY_CONTEXT, today_from_context

    given = dict(item.split("=", 1) for item in context if "=" in item)
    try:
        return since(ref, mesh, today_from_context(given.get(TODAY_CONTEXT)) or date.today())
    except ConfigError as exc:
        output.report_problems(exc.problems)
        output.fail(
            ExitCode.GIT if isinstance(exc, UnreadableRevision) else ExitCode.PROBLEMS,
            f"--since {ref}: nothing deployed",
        )


def prepare_accounts(mesh: Mesh, accounts: aws.Accounts) -> None:
    """Set the Lake Formation settings the grants need in every mesh account (:mod:`lake_settings`), and revoke
    ``IAMAllowedPrincipals``' permissions on the mesh's own databases and tables there (:mod:`iam_allowed`):
    the step before the first wave, whichever command deploys."""
    from datamesh.blueprint import blueprint
    from datamesh.blueprint.accounts import GOVERNANCE
    from datamesh.doctor import iam_allowed, identity_center, lake_settings

    owned = iam_allowed.owned(blueprint(mesh))
    recipients = identity_center.wanted(mesh)
    for account, name in {
        mesh.config.governance_account: GOVERNANCE,
        **{d.account: d.name for d in mesh.domains},
    }.items():
        try:
            fixed = lake_settings.prepare(accounts.client(account, name, "lakeformation"), account)
            revoked = iam_allowed.revoke(
                accounts.client(account, name, "lakeformation"),
                accounts.client(account, name, "sts"),
                account,
                owned.get(account, {}),
            )
            connected = (
                identity_center.prepare(
                    accounts.client(account, name, "lakeformation"),
                    account,
                    mesh.config.identity_center.instance_arn,
                    recipients[account],
                )
                if mesh.config.identity_center is not None and account in recipients
                else None
            )
        except aws.AWS_FAILURES as exc:
            output.fail(ExitCode.AWS, aws.explain(exc, f"account {account} ({name}) setting Lake Formation's defaults"))
        if connected:
            output.line(f"{name} ({account}): Lake Formation {connected}")
        output.line(
            f"{name} ({account}): Lake Formation settings " + (f"set ({'; '.join(fixed)})" if fixed else "in place")
        )
        if revoked:
            output.line(f"{name} ({account}): revoked IAMAllowedPrincipals' {'; '.join(revoked)}")


def create_workgroups(mesh: Mesh, accounts: aws.Accounts) -> None:
    """Create the Identity Center workgroup of every consumer domain that names Identity Center users or groups
    (:mod:`identity_center_workgroups`): the step after the last wave, whose Access stacks make their execution roles."""
    from datamesh.doctor import identity_center_workgroups

    for domain in identity_center_workgroups.domains(mesh):
        try:
            made = identity_center_workgroups.prepare(
                accounts.client(domain.account, domain.name, "athena"), mesh, domain
            )
        except aws.AWS_FAILURES as exc:
            output.fail(
                ExitCode.AWS, aws.explain(exc, f"account {domain.account} ({domain.name}) creating its workgroup")
            )
        if made:
            output.line(f"{domain.name} ({domain.account}): {made}")


def cdk_command(stacks: list[str], mesh_file: Path, context: list[str], output_dir: Path) -> list[str]:
    """``cdk deploy`` of ``stacks`` (every stack when empty) without approval prompts."""
    from datamesh.config.app_context import MESH_CONTEXT

    cdk = shutil.which("cdk") or "cdk"
    command = [
        cdk,
        "deploy",
        *(stacks or ["--all"]),
        "--require-approval",
        "never",
        "--output",
        str(output_dir),
        "--context",
        f"{MESH_CONTEXT}={mesh_file}",
    ]
    for item in context:
        command += ["--context", item]
    return command


def _run(command: list[str], endpoint_url: str | None) -> None:
    env = dict(os.environ, **({"AWS_ENDPOINT_URL": endpoint_url} if endpoint_url else {}))
    output.line(f"$ {' '.join(command)}", style="bold")
    try:
        code = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, check=False).returncode
    except FileNotFoundError:
        output.fail(ExitCode.USAGE, f"{command[0]}: the CDK CLI is not installed (npm install aws-cdk)")
    if code != 0:
        output.fail(ExitCode.PROBLEMS, f"cdk deploy exited with {code}; the stacks that failed say why above")


def deploy(
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    context: Annotated[
        list[str] | None,
        typer.Option("--context", "-c", metavar="KEY=VALUE", help="Passed to cdk deploy, e.g. -c allow-destroy=true."),
    ] = None,
    output_dir: Annotated[Path, typer.Option("--output", help="Where cdk writes the cloud assembly.")] = Path(
        "cdk.out"
    ),
    since_ref: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REF",
            help="Deploy only the stacks added or changed since this git revision of the mesh's repository "
            "(every stack when the project's code changed).",
        ),
    ] = None,
    invitation_timeout: Annotated[
        float,
        typer.Option(
            "--invitation-timeout",
            metavar="SECONDS",
            help="Standalone accounts: how long to wait for an AWS RAM invitation that has not arrived yet.",
        ),
    ] = 300.0,
    settings_only: Annotated[
        bool,
        typer.Option(
            "--settings-only",
            help="Only set every mesh account's Lake Formation settings (the step before a plain cdk deploy --all).",
        ),
    ] = False,
) -> None:
    """Deploy every stack of the mesh with `cdk deploy`, from the governance account's credentials.

    With `organization` in mesh.yaml: one `cdk deploy --all` (AWS RAM shares within the organization need no acceptance).
    Without: Governance, Storage and Catalog stacks; then each domain account accepts the governance account's pending AWS RAM invitations (assuming --role-name, or with --profile-template); then the Access stacks.
    With --since REF: only the stacks added or changed since that git revision, in the same order.
    First, in every mesh account, Lake Formation's defaults are cleared, its cross-account version raised to 3 and IAMAllowedPrincipals' permissions on the mesh's databases and tables revoked (--settings-only: only that).
    Exit 1 when a deploy fails or the files at REF do not validate, 4 when an account could not be reached, 5 when git cannot give REF.
    """
    from datamesh.blueprint import blueprint
    from datamesh.blueprint.targeted import kept
    from datamesh.config.app_context import SINCE_CONTEXT
    from datamesh.deploy import invitations

    loaded = output.load(mesh)
    cfg = loaded.config
    context = context or []
    accounts = aws.Accounts(aws.Settings(cfg.region, endpoint_url, role_name, profile_template, max_attempts))
    if settings_only:
        prepare_accounts(loaded, accounts)
        return
    selection = None
    if since_ref is not None:
        selection = _selection(since_ref, loaded, context)
        output.line(selection.note)
        if selection.stacks is not None and not selection.stacks:
            return
        context = [*context, f"{SINCE_CONTEXT}={since_ref}"]
    prepare_accounts(loaded, accounts)
    if cfg.organization is not None:
        _run(cdk_command([], mesh, context, output_dir), endpoint_url)
        create_workgroups(loaded, accounts)
        return
    before, after = (kept(wave, selection) for wave in invitations.waves(loaded))
    if before:
        _run(cdk_command(before, mesh, context, output_dir), endpoint_url)
    planned = blueprint(loaded)  # the accounts the governance account grants to, so shares with
    receivers = {g.principal for g in (*planned.grants, *planned.producer_grants)}
    for domain in loaded.domains:
        ram = accounts.client(domain.account, domain.name, "ram")
        try:
            accepted = (
                invitations.await_invitations(
                    ram, cfg.governance_account, timeout=invitation_timeout, progress=output.line
                )
                if domain.account in receivers
                else invitations.accept_invitations(ram, cfg.governance_account)
            )
        except aws.AWS_FAILURES as exc:
            output.fail(
                ExitCode.AWS, aws.explain(exc, f"account {domain.account} ({domain.name}) accepting invitations")
            )
        output.line(
            f"{domain.name} ({domain.account}): accepted {len(accepted)} AWS RAM invitation(s) from {cfg.governance_account}"
        )
    if after:
        _run(cdk_command(after, mesh, context, output_dir), endpoint_url)
    create_workgroups(loaded, accounts)
