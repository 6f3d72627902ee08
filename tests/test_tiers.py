"""The fast tier's guard (tests/conftest.py): a fast test that starts what belongs in the slow tier fails at once.

These tests are fast themselves, so the guard is live in them: each command is refused before any process starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CDK = ROOT / "node_modules" / ".bin" / "cdk"
ASK = r"a fast test started {}: mark it @pytest\.mark\.slow \(docs/testing\.md\)$"


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "app.py"],
        [sys.executable, str(ROOT / "tests" / "governance" / "rogue_app.py")],
        [sys.executable, str(ROOT / "bench" / "floor_app.py")],
        f"{sys.executable} app.py",
        ["node", "/tmp/jsii-kernel/bin/jsii-runtime.js"],
    ],
)
def test_a_fast_test_that_runs_a_cdk_app_is_asked_to_be_marked_slow(command):
    with pytest.raises(pytest.fail.Exception, match=ASK.format(r"a CDK app \(jsii\)")):
        subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60)


def test_a_fast_test_that_runs_the_cdk_cli_is_asked_to_be_marked_slow():
    with pytest.raises(pytest.fail.Exception, match=ASK.format("the CDK CLI")):
        subprocess.run([str(CDK), "--version"], cwd=ROOT, capture_output=True, timeout=60)


def test_python_and_git_subprocesses_stay_fast():
    """What the fast tier allows: Python that starts no CDK app (meshctl, ``-c``), git, even naming app.py."""
    python = subprocess.run([sys.executable, "-c", "print('app.py')"], capture_output=True, text=True, timeout=60)
    git = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (python.returncode, python.stdout, git.returncode) == (0, "app.py\n", 0)


@pytest.mark.slow
def test_a_slow_test_may_run_a_cdk_app(tmp_path):
    """The guard watches fast tests only: ``app.py`` with a broken context runs, and refuses the context."""
    env = {
        "PATH": str(Path(sys.executable).parent),
        "CDK_CONTEXT_JSON": '{"allow-destroy": "maybe"}',
        "CDK_OUTDIR": str(tmp_path / "out"),
        "HOME": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "allow-destroy: 'maybe' must be true or false" in done.stderr
