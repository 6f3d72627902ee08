"""doctor --json: each finding says whether it is drift, the statuses docs/meshctl.md calls drift (missing, extra,
different) and no other; the human output keeps its words."""

from __future__ import annotations

import json

import pytest

from datamesh.doctor import run
from datamesh.doctor.findings import Finding, Status

DRIFT = {"missing", "extra", "different"}  # docs/meshctl.md, doctor: "Exit 1 on any drift"
FINDINGS = [
    Finding("sales", "orders", "table", f"sales_orders.{s.name.lower()}", s, "", "111111111111") for s in Status
]


@pytest.fixture
def every_status(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "run_checks", lambda *args, **kwargs: (list(FINDINGS), []))


def test_each_finding_of_the_json_says_whether_it_is_drift(mesh_dir, meshctl, every_status) -> None:
    result = meshctl("doctor", "--json")
    flags = {f["status"]: f["drift"] for f in json.loads(result.stdout)["findings"]}
    assert flags == {status.value: status.value in DRIFT for status in Status}
    assert all(isinstance(flag, bool) for flag in flags.values())
    assert result.exit_code == 1


def test_drift_only_lists_the_findings_flagged_drift(mesh_dir, meshctl, every_status) -> None:
    report = json.loads(meshctl("doctor", "--json", "--drift-only").stdout)
    assert sorted(f["status"] for f in report["findings"]) == sorted(DRIFT)
    assert {f["drift"] for f in report["findings"]} == {True}


def test_the_human_output_keeps_its_words(mesh_dir, meshctl, every_status) -> None:
    lines = meshctl("doctor").stdout.splitlines()
    assert lines[-1] == "1 ok, 1 missing, 1 extra, 1 different, 1 retained, 1 pending confirmation"
    assert not any("drift" in line for line in lines)
