"""The pull-request workflow: actionlint passes it, and its `run:` steps, run in order, pass or fail as they should.

Each case clones this repository into a temporary origin whose ``main`` is the commit
under test, puts a change on a branch on top, clones that as GitHub's checkout would
(``origin/main`` present) and runs every ``run:`` step of the job in order, as the runner
does: ``bash -eo pipefail``, the step's ``env``, GITHUB_PATH and GITHUB_ENV carried to the
next step, stopping at the first failure. ``uses:`` steps (checkout, setup-python, the
plan comment) are GitHub's own and are not run.

What the clone reuses: the installed virtualenv and node_modules (symlinked, with the
dependency files dated back so `make setup` finds them current, as a restored CI cache
would); PYTHONPATH names the clone, whose package an editable install would point at.
The tests step runs collect-only (PYTEST_ADDOPTS) since this test is part of the suite
it would run; the full synthesis runs in the new-domain case only (the other fails first).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from datamesh.delivery.checks import CHECKS
from tests.delivery.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"
DEPENDENCY_FILES = (
    "requirements.txt",
    "requirements-dev.txt",
    "requirements.lock",
    "constraints.txt",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
)
LONG_AGO = 946684800  # 2000-01-01


@dataclass
class StepResult:
    name: str
    returncode: int
    output: str


def run_steps(workflow: Path, work: Path, runner: Path) -> tuple[list[StepResult], Path]:
    """Run the `run:` steps of the workflow's job in ``work``; return what ran and the job summary file."""
    (job,) = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"].values()
    summary, path_file, env_file = runner / "summary.md", runner / "path", runner / "env"
    for file in (summary, path_file, env_file):
        file.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PYTEST_", "PYTHON"))}
    env.update(
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_NAME="pull_request",
        GITHUB_BASE_REF="main",
        GITHUB_HEAD_REF="change",
        GITHUB_WORKSPACE=str(work),
        RUNNER_TEMP=str(runner),
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_PATH=str(path_file),
        GITHUB_ENV=str(env_file),
        GITHUB_OUTPUT=str(runner / "output"),
        PYTHONPATH=str(work),
        PYTEST_ADDOPTS="--collect-only -q",
    )
    results = []
    for number, step in enumerate(job["steps"]):
        if "run" not in step:
            continue
        assert "${{" not in step["run"], "a run: script takes values through env, never expressions"
        script = runner / f"step-{number}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=work,
            env={**env, **{k: str(v) for k, v in step.get("env", {}).items()}},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        results.append(StepResult(step.get("name", step["run"]), done.returncode, done.stdout + done.stderr))
        if done.returncode:
            break
        added = [line for line in path_file.read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
        env.update(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return results, summary


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def pull_request(tmp_path: Path):
    """A checkout of a branch ``change`` on top of ``main`` (this repository's HEAD); call ``open(edit)``."""

    def open_pull_request(edit) -> Path:
        origin, work = tmp_path / "origin", tmp_path / "work"
        git(tmp_path, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(origin))
        git(origin, "checkout", "--quiet", "-B", "main")
        git(origin, "checkout", "--quiet", "-b", "change")
        edit(origin)
        git(origin, "add", "-A")
        git(
            origin,
            "-c",
            "user.name=Domain Team",
            "-c",
            "user.email=team@example.com",
            "commit",
            "--quiet",
            "-m",
            "change",
        )
        git(tmp_path, "clone", "--quiet", "--branch", "change", str(origin), str(work))
        for installed in (".venv", "node_modules"):
            (work / installed).symlink_to((ROOT / installed).resolve(), target_is_directory=True)
        for name in DEPENDENCY_FILES:
            os.utime(work / name, (LONG_AGO, LONG_AGO))
        current = subprocess.run(["make", "-q", "setup"], cwd=work, capture_output=True, check=False)
        assert current.returncode == 0, "the installed environment is not current: run `make setup` first"
        (tmp_path / "runner").mkdir()
        return work

    return open_pull_request


def add_domain(repo: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")} | {"PYTHONPATH": str(repo)}
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "meshctl"),
            "new-domain",
            "logistics",
            "--account",
            "666666666666",
            "--owner",
            "logistics@example.com",
            "--consumer",
            "--consumes",
            "sales.orders",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    with (repo / "CODEOWNERS").open("a", encoding="utf-8") as codeowners:
        codeowners.write("/domains/logistics.yaml    @acme/logistics\n")


def break_the_orders_contract(repo: Path) -> None:
    """Drop a column of sales.orders (consumed by three domains) and keep version 1.0.0."""
    contract = repo / "domains" / "sales" / "contracts" / "orders.yaml"
    data = yaml.safe_load(contract.read_text(encoding="utf-8"))
    properties = data["schema"][0]["properties"]
    data["schema"][0]["properties"] = [p for p in properties if p["name"] != "customer_id"]
    assert len(data["schema"][0]["properties"]) == len(properties) - 1 and data["version"] == "1.0.0"
    contract.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_actionlint_passes_the_workflows():
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "actionlint")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_workflow_runs_the_checks_the_pipeline_runs():
    runs = "\n".join(s.get("run", "") for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["checks"]["steps"])
    assert [command for _, command in CHECKS if command not in runs] == []


@pytest.mark.slow  # its steps run `cdk synth` in a shell
def test_a_new_domain_passes_every_step(pull_request):
    work = pull_request(add_domain)
    results, summary = run_steps(WORKFLOW, work, work.parent / "runner")
    assert [(r.name, r.returncode) for r in results if r.returncode] == []
    assert len(results) == sum("run" in s for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["checks"]["steps"])
    plan = summary.read_text()
    assert "meshctl plan --since origin/main" in plan and "Logistics-Access" in plan and "added" in plan
    assert (work / "cdk.out" / "Logistics-Access.template.json").is_file()
    tests = next(r for r in results if r.name == "Tests")
    assert "tests collected" in tests.output  # the suite imports and collects in the clone


def test_a_breaking_contract_change_without_a_major_version_fails_at_contract_diff(pull_request):
    work = pull_request(break_the_orders_contract)
    results, summary = run_steps(WORKFLOW, work, work.parent / "runner")
    assert [r.name for r in results] == [
        "Install (make setup)",
        "Contract changes (a breaking change needs a new major version)",
    ]
    failed = results[-1]
    assert failed.returncode == 1
    assert "sales.orders" in failed.output and "analytics" in failed.output and "customer_id" in failed.output
    assert summary.read_text() == ""  # nothing after the failing step ran
