"""``meshctl doctor --json`` run as a user runs it, in its own process, against a local AWS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from datamesh.config import Mesh
from localaws.accounts import Accounts
from localaws.control import REPO_ROOT


@dataclass(frozen=True)
class DoctorRun:
    exit_code: int
    report: dict[str, Any]

    @property
    def drift(self) -> list[tuple[str, str, str, str]]:
        """Check, resource, status and detail of each finding the report flags as drift."""
        return [(f["check"], f["resource"], f["status"], f["detail"]) for f in self.report["findings"] if f["drift"]]


def doctor_json(mesh: Mesh, aws: Accounts) -> DoctorRun:
    """doctor of ``mesh`` with the governance account's credentials of the local AWS ``aws``, its JSON report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env |= aws.environment(mesh.config.governance_account)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "datamesh.meshctl",
            "doctor",
            "--mesh",
            str(mesh.source),
            "--endpoint-url",
            aws.endpoint,
            "--json",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return DoctorRun(run.returncode, json.loads(run.stdout))
