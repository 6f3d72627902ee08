"""The local AWS server: moto, with the mesh's CloudFormation support installed, on localhost.

In-process (tests): ``LocalServer(port=0)``. As its own process (what ``python -m
localaws start`` starts): ``python -m localaws.server --state-dir DIR [--port N]``, which
writes ``DIR/server.json`` once it accepts requests and stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import threading
from pathlib import Path

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from localaws import support
from localaws.control import STATE_FILE


class LocalServer:
    """A moto server on ``localhost`` (the CDK CLI needs that name, not 127.0.0.1).

    :param port: TCP port; 0 picks a free one.
    """

    def __init__(self, port: int = 0) -> None:
        support.install()
        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server("localhost", port, app, threaded=True, request_handler=MotoRequestHandler)
        self.port = self._server.server_port
        self.endpoint = f"http://localhost:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws.server", description=__doc__)
    parser.add_argument("--state-dir", required=True, type=Path, help="where server.json is written")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = LocalServer(args.port)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    state = args.state_dir / STATE_FILE
    pending = state.with_suffix(".tmp")
    pending.write_text(json.dumps({"pid": os.getpid(), "port": server.port, "endpoint": server.endpoint}))
    pending.replace(state)
    print(f"local AWS listening on {server.endpoint}", flush=True)
    stopped.wait()
    server.stop()
    state.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
