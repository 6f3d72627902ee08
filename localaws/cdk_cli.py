"""The real CDK CLI (pinned in package.json), run against the local AWS."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from localaws.control import REPO_ROOT, LocalAwsError

EXECUTION_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess"
DEFAULT_QUALIFIER = "hnb659fds"


def executable() -> Path:
    cdk = REPO_ROOT / "node_modules" / ".bin" / "cdk"
    if not cdk.exists():
        raise LocalAwsError(f"the CDK CLI is not installed ({cdk} is missing); run `make setup`")
    return cdk


def environment(aws: Mapping[str, str]) -> dict[str, str]:
    """This process's environment with ``aws`` (see :mod:`localaws.accounts`) for the CLI.

    The virtualenv (Python, Node 24) and the pinned CLI come first on PATH; profiles
    and other credentials of the user's shell are dropped.
    """
    dropped = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    path = [str(Path(sys.executable).parent), str(executable().parent), env.get("PATH", "")]
    env.update(aws, PATH=os.pathsep.join(path), CDK_DISABLE_CLI_TELEMETRY="true")
    return env


def deploy_command(
    *,
    app: Path | None,
    output: Path | None,
    context: Mapping[str, str],
    stacks: Sequence[str] = (),
    method: str | None = None,
) -> list[str]:
    """``cdk deploy`` of ``stacks`` (all of them when empty) without approval prompts.

    :param app: a cloud assembly directory to deploy instead of synthesizing the app.
    :param output: where a synthesis writes its cloud assembly.
    :param method: ``--method`` (``change-set`` or ``direct``); the CLI's default when None.
    """
    command = [str(executable()), "deploy", *(stacks or ["--all"]), "--require-approval", "never", "--no-notices"]
    if method is not None:
        command += ["--method", method]
    if app is not None:
        command += ["--app", str(app)]
    if output is not None:
        command += ["--output", str(output)]
    for key, value in context.items():
        command += ["--context", f"{key}={value}"]
    return command


def destroy_command(*, app: Path, stacks: Sequence[str]) -> list[str]:
    """``cdk destroy`` of ``stacks`` of a cloud assembly, without the confirmation prompt."""
    return [str(executable()), "destroy", *stacks, "--force", "--app", str(app), "--no-notices"]


def diff_command(*, app: Path) -> list[str]:
    """``cdk diff`` of every stack of a cloud assembly; exits 1 when any differs."""
    return [str(executable()), "diff", "--all", "--app", str(app), "--fail", "--no-notices"]


def run(command: Sequence[str], env: Mapping[str, str], *, cwd: Path, log: Path | None = None) -> int:
    """Run the CLI; its output goes to ``log`` if given, else to this process's terminal."""
    if log is None:
        return subprocess.run(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, check=False).returncode
    with log.open("w") as out:
        return subprocess.run(
            command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
        ).returncode
