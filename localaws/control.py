"""Start, find and stop the local AWS server process; its state lives in a directory.

``<state dir>/server.json`` holds the running server's pid, port and endpoint, so a
second ``python -m localaws start`` (or ``meshctl demo``) finds and reuses it; ``server.log`` its output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = REPO_ROOT / ".local-aws"
STATE_FILE = "server.json"
LOG_FILE = "server.log"
START_TIMEOUT_S = 60


class LocalAwsError(Exception):
    """Something the user must fix; shown as one line, without a traceback."""


@dataclass(frozen=True)
class Server:
    pid: int
    port: int
    endpoint: str


def _responds(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Whether the process runs (an exited child of this or another process counts as gone)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child, just exited
            return False
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:  # no such process, or no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return state != "Z"


def find(state_dir: Path = DEFAULT_STATE_DIR) -> Server | None:
    """The server recorded in ``state_dir`` if it is running and answers, else None."""
    state = state_dir / STATE_FILE
    try:
        server = Server(**json.loads(state.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if _alive(server.pid) and _responds(server.endpoint):
        return server
    return None


def start(state_dir: Path = DEFAULT_STATE_DIR, port: int = 0) -> tuple[Server, bool]:
    """Reuse the server of ``state_dir`` or start one; returns it and whether it was reused.

    :param port: port for a new server; 0 picks a free one.
    """
    running = find(state_dir)
    if running:
        if port and running.port != port:
            raise LocalAwsError(f"the local AWS already runs on port {running.port}; stop it first to use port {port}")
        return running, True
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    log_path = state_dir / LOG_FILE
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "localaws.server", "--state-dir", str(state_dir), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            last = log_path.read_text().strip().splitlines()[-1:] or ["no output"]
            raise LocalAwsError(f"the local AWS server exited on start: {last[0]} (see {log_path})")
        server = find(state_dir)
        if server:
            return server, False
        time.sleep(0.2)
    process.terminate()
    raise LocalAwsError(f"the local AWS server did not answer within {START_TIMEOUT_S}s (see {log_path})")


def stop(state_dir: Path = DEFAULT_STATE_DIR) -> Server | None:
    """Stop the server of ``state_dir``; returns it, or None if none was running."""
    server = find(state_dir)
    if server is None:
        (state_dir / STATE_FILE).unlink(missing_ok=True)
        return None
    os.kill(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(server.pid):
        os.kill(server.pid, signal.SIGKILL)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    return server
