"""``python -m localaws``: the local AWS (start, status, env, stop); ``meshctl demo`` deploys a mesh to it."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from pathlib import Path

from botocore.exceptions import ClientError

from localaws import accounts, control
from localaws.control import DEFAULT_STATE_DIR, LocalAwsError, Server

DEFAULT_REGION = "us-east-1"


def _account_id(value: str) -> str:
    if not re.fullmatch(r"\d{12}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a 12-digit account id")
    return value


def _running(args: argparse.Namespace) -> Server:
    server = control.find(args.state_dir)
    if server is None:
        raise LocalAwsError(
            f"the local AWS is not running (state in {args.state_dir}); start it with `python -m localaws start`"
        )
    return server


def _start(args: argparse.Namespace) -> int:
    server, reused = control.start(args.state_dir, args.port)
    print(
        f"local AWS {'reused' if reused else 'started'}: {server.endpoint} (pid {server.pid}, state in {args.state_dir})"
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    server = control.find(args.state_dir)
    if server is None:
        print(f"local AWS: not running (state in {args.state_dir})")
        return 0
    print(f"local AWS: running at {server.endpoint} (pid {server.pid}, state in {args.state_dir})")
    aws = accounts.Accounts(server.endpoint, args.region)
    for account in args.account:
        stacks = aws.client("cloudformation", account).describe_stacks()["Stacks"]
        listed = ", ".join(f"{s['StackName']} {s['StackStatus']}" for s in stacks) or "no stacks"
        print(f"  {account}: {listed}")
    return 0


def _env(args: argparse.Namespace) -> int:
    server = _running(args)
    print("unset AWS_PROFILE AWS_DEFAULT_PROFILE")
    for key, value in accounts.Accounts(server.endpoint, args.region).environment(args.account).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def _stop(args: argparse.Namespace) -> int:
    server = control.stop(args.state_dir)
    print(f"local AWS stopped (pid {server.pid})" if server else "local AWS: not running")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m localaws",
        description="A local AWS (a moto server) that the real CDK CLI deploys to, without an AWS account. "
        "`meshctl demo` deploys the mesh to it.",
    )
    root.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help="where the running server is recorded (default: %(default)s)",
    )
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=description)
        sub.set_defaults(func=func)
        return sub

    def region(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--region", default=DEFAULT_REGION, help="the region of the clients (default: %(default)s)")

    start = command(
        "start",
        _start,
        "start the local AWS, or reuse the running one",
        "Start the local AWS server in the background (or find the running one) and print its endpoint.",
    )
    start.add_argument("--port", type=int, default=0, help="port for a new server (default: a free one)")
    status = command(
        "status",
        _status,
        "show whether the local AWS runs, and the stacks of the given accounts",
        "Show the running server and, per --account, its CloudFormation stacks and their status.",
    )
    status.add_argument(
        "--account",
        type=_account_id,
        action="append",
        default=[],
        help="12-digit account id whose stacks to list; repeat for several",
    )
    region(status)
    env = command(
        "env",
        _env,
        "print the shell exports that point AWS CLI, boto3 and cdk at an account of the local AWS",
        "Print `export` lines for one account, reached by sts:AssumeRole as on AWS; "
        'use: eval "$(python -m localaws env --account ID)".',
    )
    env.add_argument("--account", type=_account_id, required=True, help="12-digit account id")
    region(env)
    command(
        "stop",
        _stop,
        "stop the local AWS (its state is lost)",
        "Stop the running server; everything deployed to it is gone.",
    )
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except LocalAwsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ClientError as error:
        print(f"error: the local AWS refused a request: {error}", file=sys.stderr)
        return 1
