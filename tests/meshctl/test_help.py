"""Every command has --help; the root help documents the exit codes; the console script is installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from datamesh.meshctl.exit_codes import MEANINGS

COMMANDS = [
    ["validate"],
    ["schema"],
    ["new-domain"],
    ["subscribe"],
    ["approve"],
    ["deny"],
    ["revoke"],
    ["shares"],
    ["plan"],
    ["catalog"],
    ["catalog", "search"],
    ["deploy"],
    ["doctor"],
    ["graph"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(meshctl, command):
    result = meshctl(*command, "--help")
    assert result.exit_code == 0, result.output
    assert f"meshctl {' '.join(command)}" in result.stdout


def test_root_help_lists_the_exit_codes(meshctl):
    result = meshctl("--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for code, meaning in MEANINGS.items():
        assert f"{int(code)} {' '.join(meaning.split())}" in text


def test_json_is_offered_where_scripts_read_the_output(meshctl):
    for command in (["validate"], ["shares"], ["plan"], ["catalog", "search"], ["doctor"]):
        assert "--json" in meshctl(*command, "--help").stdout


def test_the_console_script_is_installed_beside_python():
    script = Path(sys.executable).parent / "meshctl"
    assert script.is_file(), "no meshctl script: `pip install --no-deps -e .` (make setup does it)"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "Exit codes" in done.stdout
