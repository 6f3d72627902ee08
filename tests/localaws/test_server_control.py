"""The local AWS server process: start, reuse, point tools at it, stop."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from localaws import control
from localaws.control import REPO_ROOT, LocalAwsError, Server
from tests.support.templates import GOV, PRODUCER

pytestmark = pytest.mark.slow  # starts the local AWS's server process


def _cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localaws", "--state-dir", str(state_dir), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("local-aws")
    yield directory
    control.stop(directory)


@pytest.fixture(scope="module")
def server(state_dir: Path) -> Server:
    started, reused = control.start(state_dir)
    assert not reused
    return started


def test_a_second_start_reuses_the_running_server(state_dir: Path, server: Server) -> None:
    again, reused = control.start(state_dir)
    assert reused
    assert again == server
    assert server.endpoint == f"http://localhost:{server.port}"


def _exports(output: str) -> dict[str, str]:
    exported = {}
    for line in output.splitlines():
        if line.startswith("export "):
            key, _, value = line.removeprefix("export ").partition("=")
            exported[key] = shlex.split(value)[0]
    return exported


@pytest.mark.parametrize("account", [GOV, PRODUCER])
def test_env_points_boto3_at_an_account_of_the_local_aws(state_dir: Path, server: Server, account: str) -> None:
    printed = _cli(state_dir, "env", "--account", account, "--region", "eu-west-1")
    assert printed.returncode == 0, printed.stderr
    exported = _exports(printed.stdout)
    assert exported["AWS_ENDPOINT_URL"] == server.endpoint
    session = boto3.Session(
        aws_access_key_id=exported["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=exported["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=exported["AWS_SESSION_TOKEN"],
        region_name=exported["AWS_REGION"],
    )
    assert exported["AWS_REGION"] == "eu-west-1"
    assert session.client("sts", endpoint_url=exported["AWS_ENDPOINT_URL"]).get_caller_identity()["Account"] == account


def test_status_shows_the_server_and_each_account_asked_for(state_dir: Path, server: Server) -> None:
    shown = _cli(state_dir, "status", "--account", GOV, "--account", PRODUCER)
    assert shown.returncode == 0, shown.stderr
    assert f"local AWS: running at {server.endpoint} (pid {server.pid}" in shown.stdout
    assert shown.stdout.splitlines()[1:] == [f"  {GOV}: no stacks", f"  {PRODUCER}: no stacks"]


def test_start_reuses_the_running_server(state_dir: Path, server: Server) -> None:
    started = _cli(state_dir, "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"local AWS reused: {server.endpoint} (pid {server.pid}, state in {state_dir})"


def test_a_port_in_use_is_reported_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        with pytest.raises(LocalAwsError, match=r"the local AWS server exited on start: Port \d+ is in use"):
            control.start(tmp_path, port=taken.getsockname()[1])


def test_env_without_a_running_server_fails_without_traceback(tmp_path: Path) -> None:
    printed = _cli(tmp_path, "env", "--account", GOV)
    assert printed.returncode == 1
    assert printed.stderr.strip().splitlines() == [
        f"error: the local AWS is not running (state in {tmp_path}); start it with `python -m localaws start`"
    ]


def test_stop_ends_the_server_process(tmp_path: Path) -> None:
    started, _ = control.start(tmp_path)
    assert _cli(tmp_path, "stop").stdout.strip() == f"local AWS stopped (pid {started.pid})"
    assert control.find(tmp_path) is None
    assert _cli(tmp_path, "status").stdout.strip() == f"local AWS: not running (state in {tmp_path})"
