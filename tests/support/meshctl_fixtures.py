"""Fixtures of meshctl's tests: the test mesh in a temporary folder, an in-process runner, and an endpoint
that is not an AWS API."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from datamesh.meshctl.app import app
from tests.support.fixture_mesh import write_mesh


@pytest.fixture
def mesh_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test mesh in a fresh folder, which is also the working directory."""
    write_mesh(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MESHCTL_MESH", raising=False)
    return tmp_path


@pytest.fixture
def meshctl() -> Callable[..., Result]:
    """Run ``meshctl ARGS`` in-process; the result has exit_code, stdout and stderr."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})

    return run


HTML_404 = b"<!DOCTYPE html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n</html>\n"


class _NotAnAwsApi(BaseHTTPRequestHandler):
    """Answers every request with an HTML 404 page, as a proxy or a server that does not speak the API would."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(HTML_404)))
        self.end_headers()
        self.wfile.write(HTML_404)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def html_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """URL of a local HTTP server answering everything with an HTML 404 page; fake credentials are set."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "MESHCTL_ROLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("localhost", 0), _NotAnAwsApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join()
