"""``meshctl demo``: deploy the mesh to the local AWS (``localaws``, a moto server) with the real CDK CLI, then check it.

``localaws`` is the emulator and knows nothing of meshes; this command drives it: start or
reuse the server, bootstrap the mesh's accounts, deploy, then run ``meshctl doctor``'s checks
against it, one PASS/FAIL line each.
``localaws`` ships with the repository, not with the datamesh package: the demo runs from a clone.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from botocore.exceptions import ClientError

from datamesh.doctor.findings import Finding, Status
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh

StateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        show_default=False,
        help="Where the local AWS server is recorded (server.json, "
        "server.log, cdk.out); default: .local-aws/ in the clone, as for `python -m localaws`.",
    ),
]


@contextmanager
def _local_aws_errors() -> Iterator[None]:
    """The local AWS's failures as one error line and exit 4, without a traceback."""
    try:
        from localaws.control import LocalAwsError
    except ImportError:
        output.fail(
            ExitCode.USAGE,
            "meshctl demo drives the local AWS, which needs the development requirements "
            "(moto, requirements-dev.txt): run `make demo` in the clone's root",
        )
    try:
        yield
    except LocalAwsError as error:
        output.fail(ExitCode.AWS, str(error))
    except ClientError as error:
        output.fail(ExitCode.AWS, f"the local AWS refused a request: {error}")


def usage(mesh: Mesh, state_dir: Path) -> str:
    """How to point tools at the local AWS, and how to stop it: ``python -m localaws`` with the mesh's account ids."""
    from datamesh.deploy.local_aws import mesh_accounts
    from localaws.control import DEFAULT_STATE_DIR, REPO_ROOT

    python = "python" if Path(sys.executable).parent == REPO_ROOT / ".venv" / "bin" else sys.executable
    localaws = f"{python} -m localaws" + (
        "" if state_dir == DEFAULT_STATE_DIR else f" --state-dir {shlex.quote(str(state_dir))}"
    )
    gov, region = mesh.config.governance_account, mesh.config.region
    others = [a for a in mesh_accounts(mesh) if a != gov]
    every = " ".join(f"--account {a}" for a in mesh_accounts(mesh))
    return "\n".join(
        [
            "",
            f"Point the AWS CLI, boto3 and cdk at the local AWS (as the governance account {gov}):",
            f'  eval "$({localaws} env --account {gov} --region {region})"',
            f'  eval "$({localaws} env --account {others[0] if others else gov} --region {region})"    # any other account of the mesh',
            "  then e.g.: aws glue get-databases; cdk deploy --all -c allow-destroy=true",
            f"Stacks per account: {localaws} status --region {region} {every}",
            f"Stop: {localaws} stop    (state in {state_dir})",
        ]
    )


def demo(
    mesh: output.MeshOption = Path("mesh.yaml"),
    state_dir: StateDirOption = None,
    port: Annotated[int, typer.Option("--port", help="Port for a new server (default: a free one).")] = 0,
) -> None:
    """Start the local AWS (or reuse the running one), bootstrap every account of the mesh, deploy it, check it.

    Bootstraps through the mesh's StackSet; deploys with `cdk deploy --all` (mesh.yaml names an organization) or in waves, as `meshctl deploy` does; prints each failed resource, or runs doctor's checks against the local AWS and prints a PASS/FAIL line per check.
    Exit 1 when the deploy fails or a check fails, 4 when the local AWS cannot start or refuses a request.
    Then prints how to point the AWS CLI, boto3 and cdk at each account (`python -m localaws env --account ID`) and how to stop the local AWS.
    """
    loaded = output.load(mesh)
    with _local_aws_errors():
        from localaws.control import DEFAULT_STATE_DIR

        _run(loaded, state_dir or DEFAULT_STATE_DIR, port)


def _run(mesh: Mesh, state_dir: Path, port: int) -> None:
    from datamesh.deploy import local_aws
    from localaws import control

    server, reused = control.start(state_dir, port)
    print(f"local AWS {'reused' if reused else 'started'}: {server.endpoint} (pid {server.pid})")
    print(f"bootstrapping the {len(local_aws.mesh_accounts(mesh))} accounts of mesh {mesh.config.name}:")
    local_aws.bootstrap(mesh, server)
    how = "`cdk deploy --all`" if mesh.config.organization else "waves, as `meshctl deploy` does"
    print(f"deploying mesh {mesh.config.name} ({how}):", flush=True)
    started = datetime.now(UTC).replace(microsecond=0)
    code = local_aws.deploy_mesh(mesh, server, state_dir)
    if code != 0:
        lines = local_aws.failures(mesh, server, state_dir / "cdk.out", started)
        for line in lines or [f"cdk deploy exited with {code} before any stack changed; its output above says why"]:
            print(f"\nFAIL  {line}")
        print(usage(mesh, state_dir))
        raise typer.Exit(int(ExitCode.PROBLEMS))
    print(f"\nchecking every account with `meshctl doctor --endpoint-url {server.endpoint}`:")
    passed = report(mesh, *local_aws.check(mesh, server))
    print(usage(mesh, state_dir))
    if not passed:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def report(mesh: Mesh, findings: list[Finding], errors: list[str]) -> bool:
    """Print doctor's findings as a PASS/FAIL line each, by account, then a summary; True if nothing drifted."""
    from datamesh.blueprint import blueprint

    accounts = blueprint(mesh).accounts
    for account, described in accounts.items():
        print(f"\naccount {account} ({described})")
        for f in (f for f in findings if f.account == account):
            subject = " ".join(filter(None, [f.check, f.resource]))
            if f.status is Status.OK:
                print(f"  PASS  {subject}")
            elif f.drift:
                print(f"  FAIL  {subject}: {f.status.value}{f': {f.detail}' if f.detail else ''}")
            else:  # retained after removal, or an e-mail subscription nobody confirmed yet
                print(f"  {'WAIT' if f.status is Status.PENDING else 'KEPT'}  {subject}: {f.detail}")
    for line in errors:
        print(f"\nFAIL  {line}")
    failed = sum(1 for f in findings if f.drift) + len(errors)
    print(f"\n{len(findings)} checks: {sum(1 for f in findings if not f.drift)} passed, {failed} failed")
    return failed == 0
