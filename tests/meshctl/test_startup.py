"""meshctl starts without the CDK: no command synthesizes in meshctl's own process.

Deploy and demo run the CDK CLI, which runs app.py in a process of its own; every other
command reads files or AWS. Loading ``aws_cdk`` starts jsii and Node, seconds before the
first line is printed, so neither importing the command table nor any command's
``--help`` may load it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import typer

from datamesh.meshctl.app import app

FORBIDDEN = ("aws_cdk", "jsii", "cdk_nag")

PROBE = textwrap.dedent("""
    import json, sys

    from datamesh.meshctl.app import app

    forbidden = {forbidden!r}
    def loaded():
        return sorted(m for m in sys.modules if m.split(".")[0] in forbidden)

    after = {{"import datamesh.meshctl.app": loaded()}}
    for command in {commands!r}:
        try:
            app([*command, "--help"], prog_name="meshctl", standalone_mode=True)
        except SystemExit as done:
            assert done.code in (0, None), (command, done.code)
        after["meshctl " + " ".join([*command, "--help"])] = loaded()
    print(json.dumps(after))
""")


def command_paths(group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and command group of the click group ``group``, as the words that name it."""
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append([*prefix, name])
        if hasattr(command, "commands"):  # a group
            paths.extend(command_paths(command, (*prefix, name)))
    return paths


def test_the_command_table_lists_every_command_including_subcommands():
    paths = command_paths(typer.main.get_command(app))
    assert ["validate"] in paths and ["doctor"] in paths and ["deploy"] in paths and ["demo"] in paths
    assert ["catalog", "search"] in paths and ["contract", "diff"] in paths


def test_no_command_loads_the_cdk_for_its_import_or_help():
    commands = [[], *command_paths(typer.main.get_command(app))]
    probe = PROBE.format(forbidden=FORBIDDEN, commands=commands)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    after = json.loads(done.stdout.splitlines()[-1])
    assert len(after) == len(commands) + 1
    assert {step: modules[:3] for step, modules in after.items() if modules} == {}


def test_the_command_table_loads_no_model_of_the_files():
    """The parameter-file models (pydantic), contracts and blueprint are what ``validate`` and the others load
    when they run; `meshctl --help` and every command that fails early do without them."""
    probe = (
        "import sys, datamesh.meshctl.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic' "
        "or m.startswith(('datamesh.config', 'datamesh.contracts', 'datamesh.blueprint'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
