"""Deploy a mesh to the local AWS with the real CDK CLI, then check what exists.

The steps are those of a real deployment: bootstrap every account of the mesh (each
reached through ``sts:AssumeRole``, trusting the governance account), then
``cdk deploy --all`` from the governance account, whose deploy roles reach the others.
"""

from __future__ import annotations

import json
import shlex
import sys
from datetime import date, datetime
from pathlib import Path

from botocore.exceptions import ClientError

from datamesh.config import Mesh
from datamesh.mesh_app import ALLOW_DESTROY_CONTEXT, MESH_CONTEXT, TODAY_CONTEXT

from localaws import accounts, cdk_cli, stackset_bootstrap
from localaws.control import REPO_ROOT, LocalAwsError, Server
from localaws.expectations import Expectation, expectations

QUALIFIER_CONTEXT = "@aws-cdk/core:bootstrapQualifier"


def is_bootstrapped(aws: accounts.Accounts, account: str, qualifier: str) -> bool:
    try:
        aws.client("ssm", account).get_parameter(Name=f"/cdk-bootstrap/{qualifier}/version")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ParameterNotFound":
            return False
        raise
    return True


def bootstrap(mesh: Mesh, server: Server) -> None:
    """Bootstrap every account of the mesh not bootstrapped yet, through the mesh's StackSet.

    One StackSet of ``cdk bootstrap --show-template`` (see :mod:`localaws.stackset_bootstrap`)
    trusting the deploying account, instead of one ``cdk bootstrap`` per account.
    """
    cfg = mesh.config
    aws = accounts.Accounts(server.endpoint, cfg.region)
    todo = []
    for account in accounts.mesh_accounts(mesh):
        if is_bootstrapped(aws, account, cfg.lake_formation.cdk_qualifier):
            print(f"  aws://{account}/{cfg.region}: already bootstrapped")
        else:
            todo.append(account)
    if todo:
        name = stackset_bootstrap.bootstrap_mesh(aws, mesh, todo)
        for account in todo:
            print(f"  aws://{account}/{cfg.region}: bootstrapped by StackSet {name} (trusts {cfg.deploying_account})")


def deploy(
    mesh: Mesh,
    server: Server,
    state_dir: Path,
    *,
    app: Path | None = None,
    stacks: tuple[str, ...] = (),
    log: Path | None = None,
    allow_destroy: bool = True,
    method: str | None = None,
    today: date | None = None,
) -> int:
    """``cdk deploy`` (every stack unless ``stacks`` names some) from the governance account.

    :param app: a cloud assembly to deploy; by default the app is synthesized into
        ``state_dir/cdk.out``.
    :param log: file for the CLI's output; by default it goes to the terminal.
    :param allow_destroy: synthesize with ``-c allow-destroy=true``, so a demo can be torn down.
    :param method: the CLI's ``--method`` (``change-set``, its default, or ``direct``).
    :param today: synthesize the shares as on this day (``-c today=``).
    """
    cfg = mesh.config
    env = cdk_cli.environment(accounts.Accounts(server.endpoint, cfg.region).environment(cfg.governance_account))
    context = {MESH_CONTEXT: str(mesh.source.resolve())}
    if allow_destroy:
        context[ALLOW_DESTROY_CONTEXT] = "true"
    if today is not None:
        context[TODAY_CONTEXT] = today.isoformat()
    if cfg.lake_formation.cdk_qualifier != cdk_cli.DEFAULT_QUALIFIER:
        context[QUALIFIER_CONTEXT] = cfg.lake_formation.cdk_qualifier
    output = None if app else state_dir / "cdk.out"
    command = cdk_cli.deploy_command(app=app, output=output, context=context, stacks=stacks, method=method)
    return cdk_cli.run(command, env, cwd=REPO_ROOT, log=log)


def destroy(mesh: Mesh, server: Server, state_dir: Path, stacks: tuple[str, ...], *, log: Path | None = None) -> int:
    """``cdk destroy`` of ``stacks`` of the last deployed assembly (``state_dir/cdk.out``).

    :param stacks: the app's stack ids (``Hr-Access``), which the CLI selects by; not the
        deployed stack names (``acme-Hr-Access``).
    """
    env = cdk_cli.environment(accounts.Accounts(server.endpoint, mesh.config.region).environment(mesh.config.governance_account))
    return cdk_cli.run(cdk_cli.destroy_command(app=state_dir / "cdk.out", stacks=stacks), env, cwd=REPO_ROOT, log=log)


def stack_accounts(assembly: Path) -> dict[str, str]:
    """Stack name -> account, from a cloud assembly's manifest."""
    manifest = json.loads((assembly / "manifest.json").read_text())
    return {
        a["properties"]["stackName"]: a["environment"].split("/")[2]
        for a in manifest["artifacts"].values() if a["type"] == "aws:cloudformation:stack"
    }


def failures(mesh: Mesh, server: Server, assembly: Path, since: datetime) -> list[str]:
    """One line per resource that failed since ``since``: stack, resource, type and reason."""
    aws = accounts.Accounts(server.endpoint, mesh.config.region)
    found = []
    for name, account in stack_accounts(assembly).items():
        try:
            events = aws.client("cloudformation", account).describe_stack_events(StackName=name)["StackEvents"]
        except ClientError:
            continue  # never created
        for event in reversed(events):
            if event["Timestamp"] >= since and event["ResourceStatus"].endswith("_FAILED") and event["LogicalResourceId"] != name:
                found.append(f"{name}: {event['LogicalResourceId']} ({event['ResourceType']}) "
                             f"{event['ResourceStatus']}: {event.get('ResourceStatusReason', '')}")
    return found


def verify(mesh: Mesh, server: Server) -> list[tuple[Expectation, str | None]]:
    """Every expectation of the mesh with what was wrong (None when it holds)."""
    aws = accounts.Accounts(server.endpoint, mesh.config.region)
    return [(e, e.verify(aws)) for e in expectations(mesh)]


def report(outcomes: list[tuple[Expectation, str | None]]) -> bool:
    """Print a PASS/FAIL line per expectation, grouped by section; True if all passed."""
    section = None
    for expectation, problem in outcomes:
        if expectation.section != section:
            section = expectation.section
            print(f"\n{section}")
        if problem is None:
            print(f"  PASS  {expectation.claim}")
        else:
            print(f"  FAIL  {expectation.claim}: {problem}")
    failed = sum(1 for _, problem in outcomes if problem is not None)
    print(f"\n{len(outcomes)} expectations: {len(outcomes) - failed} passed, {failed} failed")
    return failed == 0


def usage(mesh: Mesh, state_dir: Path) -> str:
    """How to point tools at the local AWS, and how to stop it."""
    gov = mesh.config.governance_account
    other = next((a for a in accounts.mesh_accounts(mesh) if a != gov), gov)
    mesh_option = "" if mesh.source.resolve() == (REPO_ROOT / "mesh.yaml") else f" --mesh {shlex.quote(str(mesh.source))}"
    python = "python" if Path(sys.executable).parent == REPO_ROOT / ".venv" / "bin" else sys.executable
    return "\n".join([
        "",
        f"Point the AWS CLI, boto3 and cdk at the local AWS (as the governance account {gov}):",
        f'  eval "$({python} -m localaws env{mesh_option})"',
        f'  eval "$({python} -m localaws env --account {other})"    # any other account of the mesh',
        "  then e.g.: aws glue get-databases; cdk deploy --all -c allow-destroy=true",
        f"Status: {python} -m localaws status{mesh_option}    Stop: {python} -m localaws stop    (state in {state_dir})",
    ])
