"""meshctl report: KPIs from the files, lead times and a monthly trend from commits with known dates."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _git(folder: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


def _commit(folder: Path, when: str, message: str) -> None:
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def history(mesh_dir, meshctl):
    """The test mesh committed on 2026-01-10; marketing asks for finance.invoices on 2026-02-03 12:00 UTC,
    finance approves on 2026-02-07 00:00 UTC; finance asks for sales.customers on 2026-03-01 (pending)."""
    _git(mesh_dir, "init", "-q", "-b", "main")
    _commit(mesh_dir, "2026-01-10T09:00:00+00:00", "mesh")
    assert meshctl("subscribe", "marketing", "finance.invoices").exit_code == 0
    _commit(mesh_dir, "2026-02-03T12:00:00+00:00", "marketing asks for invoices")
    assert meshctl("approve", "finance.invoices", "marketing").exit_code == 0
    _commit(mesh_dir, "2026-02-07T00:00:00+00:00", "finance approves")
    assert meshctl("subscribe", "finance", "sales.customers").exit_code == 0
    _commit(mesh_dir, "2026-03-01T00:00:00+00:00", "finance asks for customers")
    return mesh_dir


def _report(meshctl, *args):
    result = meshctl("report", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_counts_of_the_files(mesh_dir, meshctl):
    report = _report(meshctl)
    assert report["domains"] == {"total": 3, "producers": 2, "consumers": 2}
    assert report["products"]["total"] == 3
    assert report["products"]["by_confidentiality"] == {"public": 0, "internal": 1, "confidential": 2, "restricted": 0}
    assert report["products"]["without_consumers"] == ["finance.invoices"]
    assert report["products"]["with_contract"] == 0
    assert report["pii"] == {"columns": 1, "products": 1}
    assert report["shares"]["by_state"] == {"granted": 3, "pending": 0, "denied": 0, "expired": 0}


def test_contract_and_quality_rule_coverage_of_the_example_mesh(tmp_path, meshctl):
    shutil.copy(REPO / "mesh.yaml", tmp_path / "mesh.yaml")
    shutil.copytree(REPO / "domains", tmp_path / "domains")
    report = _report(meshctl, "--mesh", str(tmp_path / "mesh.yaml"))
    # every product of domains/ names a contract with quality rules, a latency SLA and an owner
    products = report["products"]
    assert (
        products["total"],
        products["with_contract"],
        products["with_quality_rules"],
        products["with_freshness_sla"],
        products["with_contract_owner"],
    ) == (3, 3, 3, 3, 3)


def test_expiring_shares_are_listed(mesh_dir, meshctl):
    assert meshctl("subscribe", "marketing", "finance.invoices", "--expires", "2099-01-01").exit_code == 0
    assert meshctl("approve", "finance.invoices", "marketing").exit_code == 0
    assert _report(meshctl)["shares"]["expiring"] == []
    far = _report(meshctl, "--expiring-within", "40000")["shares"]["expiring"]
    assert far == [{"consumer": "marketing", "product": "finance.invoices", "expires": "2099-01-01"}]


def test_lead_time_from_the_commits_that_asked_and_decided(history, meshctl):
    lead = _report(meshctl)["lead_time"]
    assert lead["decided"] == 1 and lead["median_days"] == 3.5 and lead["max_days"] == 3.5
    assert lead["decisions"] == [
        {
            "consumer": "marketing",
            "product": "finance.invoices",
            "decision": "approved",
            "requested": "2026-02-03T12:00:00+00:00",
            "decided": "2026-02-07T00:00:00+00:00",
            "days": 3.5,
        }
    ]
    assert [(p["consumer"], p["product"], p["requested"]) for p in lead["pending"]] == [
        ("finance", "sales.customers", "2026-03-01T00:00:00+00:00")
    ]


def test_trend_per_month_from_since(history, meshctl):
    trend = _report(meshctl, "--since", "2025-12")["trend"]
    # the history starts in January: no month before it is drawn
    rows = {r["month"]: (r["domains"], r["products"], r["granted"], r["pending"], r["decisions"]) for r in trend}
    assert rows["2026-01"] == (3, 3, 3, 0, 0)
    assert rows["2026-02"] == (3, 3, 4, 0, 1)
    assert rows["2026-03"] == (3, 3, 4, 1, 0)
    assert trend[0]["month"] == "2026-01" and trend[1]["median_lead_days"] == 3.5


def test_markdown_has_the_table_and_the_trend_chart(history, meshctl):
    result = meshctl("report", "--format", "markdown", "--since", "2026-01")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| request to decision | median 3.5 days, longest 3.5 days over 1 decision(s) |" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in text
    assert "| 2026-02 | 3 | 3 | 4 | 0 | 1 | 3.5 |" in text


def test_html_is_a_page_with_the_chart(history, meshctl):
    result = meshctl("report", "--format", "html", "--since", "2026-01")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and "<figure><svg" in result.stdout


def test_outside_git_the_history_parts_are_left_out_with_a_warning(mesh_dir, meshctl):
    result = meshctl("report", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["lead_time"] is None
    assert "warning: no lead times or trend:" in result.stderr


def test_since_outside_git_exits_5(mesh_dir, meshctl):
    result = meshctl("report", "--since", "2026-01")
    assert result.exit_code == 5
    assert result.stderr.startswith("error: --since needs the git history of mesh.yaml:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_since_is_a_usage_error(mesh_dir, meshctl):
    result = meshctl("report", "--since", "January")
    assert result.exit_code == 2
    assert "'January': use YYYY-MM" in result.stderr


def test_a_month_whose_files_did_not_validate_breaks_the_line(history, meshctl):
    """No invented numbers: a month left invalid has no value, not 0."""
    sales = history / "domains/sales.yaml"
    sales.write_text(sales.read_text().replace("confidentiality: internal", "confidentiality: secret"))
    _commit(history, "2026-04-15T00:00:00+00:00", "an invalid edit")
    sales.write_text(sales.read_text().replace("confidentiality: secret", "confidentiality: internal"))
    _commit(history, "2026-05-15T00:00:00+00:00", "fixed")
    trend = _report(meshctl, "--since", "2026-03")["trend"]
    april = next(r for r in trend if r["month"] == "2026-04")
    assert (april["valid"], april["domains"], april["granted"]) == (False, None, None)
    text = meshctl("report", "--format", "markdown", "--since", "2026-03").stdout
    assert "| 2026-04 |  |  |  |  | 0 |  |" in text
    domains_lines = re.findall(r'<polyline fill="none" stroke="#1565c0"[^>]*>', text)
    assert len(domains_lines) == 2  # March, then May onwards
