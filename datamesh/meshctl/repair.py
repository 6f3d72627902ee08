"""``meshctl repair``: put back what drifted, as the blueprint says, for the drift findings named."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode


def repair(
    check: Annotated[
        list[str] | None, typer.Option("--check", help="Repair findings of this check (repeatable). Default: any.")
    ] = None,
    resource: Annotated[
        list[str] | None,
        typer.Option("--resource", help="Repair the finding on this resource, as doctor names it (repeatable)."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")] = False,
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    today: output.TodayOption = None,
) -> None:
    """Re-apply what the files say for doctor's drift findings: grants, resource links, the catalog key's
    statement, AWS RAM invitations, the Lake Formation settings step.

    Reads every account as doctor does, keeps the drift findings --check and --resource name, shows what it
    will do and asks (or --yes). It only grants, creates and accepts: it deletes nothing, and leaves extra
    grants and what it cannot repair listed. Exit 0 when every finding named was repaired, 1 when some are
    left, 4 if an account could not be read.
    """
    loaded = output.load(mesh)
    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    from datamesh.blueprint import blueprint
    from datamesh.blueprint.accounts import GOVERNANCE
    from datamesh.doctor.run import run_checks
    from datamesh.repair.actions import apply, plan

    day = today.date() if today else date.today()
    findings, errors = run_checks(loaded, settings, day, progress=output.progress())
    if errors:
        output.fail(ExitCode.AWS, *errors)
    named = [
        f for f in findings if f.drift and (not check or f.check in check) and (not resource or f.resource in resource)
    ]
    if not named:
        output.line("nothing to repair: no drift finding matches")
        return
    accounts = aws.Accounts(settings)
    labels = {loaded.config.governance_account: GOVERNANCE, **{d.account: d.name for d in loaded.domains}}

    def client(account: str, service: str):  # noqa: ANN202
        return accounts.client(account, labels[account], service)

    try:
        actions, left = plan(blueprint(loaded, day), named, client)
        for action in actions:
            f = action.finding
            output.line(f"{f.account} {f.check} {f.resource} ({f.status.value}): {action.summary}")
        for f in left:
            output.warning(f"not repaired: {f.account} {f.check} {f.resource} ({f.status.value}): {f.detail}")
        if not actions:
            raise typer.Exit(int(ExitCode.PROBLEMS))
        if not yes and not typer.confirm(f"take these {len(actions)} action(s)?"):
            raise typer.Exit(int(ExitCode.PROBLEMS))
        apply(actions, client)
    except aws.AWS_FAILURES as exc:
        output.fail(ExitCode.AWS, aws.explain(exc, "repair"))
    output.line(f"repaired: {len(actions)} action(s) taken; meshctl doctor checks the result")
    if left:
        raise typer.Exit(int(ExitCode.PROBLEMS))
