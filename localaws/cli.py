"""``python -m localaws``: the local AWS for the mesh (demo, status, env, stop)."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

from botocore.exceptions import ClientError

from datamesh.cli import exit_on_config_error
from datamesh.config import Mesh, load_mesh

from localaws import accounts, control
from localaws.control import DEFAULT_STATE_DIR, LocalAwsError, Server


def _account_id(value: str) -> str:
    if not re.fullmatch(r"\d{12}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a 12-digit account id")
    return value


def _mesh(args: argparse.Namespace) -> Mesh:
    with exit_on_config_error():
        return load_mesh(args.mesh)


def _running(args: argparse.Namespace) -> Server:
    server = control.find(args.state_dir)
    if server is None:
        raise LocalAwsError(f"the local AWS is not running (state in {args.state_dir}); start it with `python -m localaws demo`")
    return server


def _demo(args: argparse.Namespace) -> int:
    from localaws import demo, sharing  # import the CDK app's modules (and start jsii): only here

    mesh = _mesh(args)
    server, reused = control.start(args.state_dir, args.port)
    print(f"local AWS {'reused' if reused else 'started'}: {server.endpoint} (pid {server.pid})")
    print(f"bootstrapping the {len(accounts.mesh_accounts(mesh))} accounts of mesh {mesh.config.name}:")
    demo.bootstrap(mesh, server)
    how = "`cdk deploy --all`" if mesh.config.organization else "waves, as `meshctl deploy` does"
    print(f"deploying mesh {mesh.config.name} ({how}):", flush=True)
    started = datetime.now(timezone.utc).replace(microsecond=0)
    code = sharing.deploy(mesh, server, args.state_dir)
    if code != 0:
        lines = demo.failures(mesh, server, args.state_dir / "cdk.out", started)
        for line in lines or [f"cdk deploy exited with {code} before any stack changed; its output above says why"]:
            print(f"\nFAIL  {line}")
        print(demo.usage(mesh, args.state_dir))
        return 1
    passed = demo.report(demo.verify(mesh, server))
    print(demo.usage(mesh, args.state_dir))
    return 0 if passed else 1


def _status(args: argparse.Namespace) -> int:
    server = control.find(args.state_dir)
    if server is None:
        print(f"local AWS: not running (state in {args.state_dir})")
        return 0
    print(f"local AWS: running at {server.endpoint} (pid {server.pid}, state in {args.state_dir})")
    mesh = _mesh(args)
    aws = accounts.Accounts(server.endpoint, mesh.config.region)
    for account in accounts.mesh_accounts(mesh):
        stacks = aws.client("cloudformation", account).describe_stacks()["Stacks"]
        listed = ", ".join(f"{s['StackName']} {s['StackStatus']}" for s in stacks) or "no stacks"
        print(f"  {account}: {listed}")
    return 0


def _env(args: argparse.Namespace) -> int:
    server = _running(args)
    mesh = _mesh(args)
    account = args.account or mesh.config.governance_account
    print("unset AWS_PROFILE AWS_DEFAULT_PROFILE")
    for key, value in accounts.Accounts(server.endpoint, mesh.config.region).environment(account).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def _stop(args: argparse.Namespace) -> int:
    server = control.stop(args.state_dir)
    print(f"local AWS stopped (pid {server.pid})" if server else "local AWS: not running")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m localaws",
        description="A local AWS (a moto server) to deploy the mesh to with the real CDK CLI, without an AWS account.",
    )
    root.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR,
                      help="where the running server is recorded (default: %(default)s)")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str, description: str, *, mesh: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description)
        if mesh:
            sub.add_argument("--mesh", default="mesh.yaml", help="path to mesh.yaml (default: %(default)s)")
        sub.set_defaults(func=func)
        return sub

    run = command(
        "demo", _demo, "start or reuse the local AWS, bootstrap, deploy the mesh, check what exists",
        "Start the local AWS (or reuse the running one), bootstrap every account of the mesh, run "
        "`cdk deploy --all` and print a PASS/FAIL line per expectation of the mesh. Exits 1 on any FAIL.",
    )
    run.add_argument("--port", type=int, default=0, help="port for a new server (default: a free one)")
    command("status", _status, "show whether the local AWS runs, and the stacks of each account of the mesh",
            "Show the running server and, per account of the mesh, its stacks and their status.")
    env = command("env", _env, "print the shell exports that point AWS CLI, boto3 and cdk at the local AWS",
                  "Print `export` lines for an account of the mesh (default: governance); use: eval \"$(python -m localaws env)\".")
    env.add_argument("--account", type=_account_id, help="12-digit account id (default: the mesh's governance account)")
    command("stop", _stop, "stop the local AWS (its state is lost)", "Stop the running server; everything deployed to it is gone.",
            mesh=False)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # The virtualenv's Node (24) for jsii and the CLI, even when the shell did not activate it.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    try:
        return args.func(args)
    except LocalAwsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ClientError as error:
        print(f"error: the local AWS refused a request: {error}", file=sys.stderr)
        return 1
