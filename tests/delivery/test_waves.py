"""Which stacks each shard of a wave deploys: every stack of the mesh exactly once, in its wave."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from aws_cdk import App

from bench.generate import write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint import blueprint
from datamesh.config import load_mesh
from datamesh.delivery.waves import WAVES, shard, wave_of
from tests.delivery.conftest import ROOT

SHARDS = 20


def test_wave_of_every_stack_follows_build_mesh(example_stacks):
    expected = {example_stacks.governance.node.id: "Governance"}
    for wave, kind in (
        ("Storage", example_stacks.storage),
        ("Catalog", example_stacks.catalog),
        ("Access", example_stacks.access),
    ):
        expected.update({stack.node.id: wave for stack in kind.values()})
    assert {stack.node.id: wave_of(stack.node.id) for stack in example_stacks.all()} == expected


def test_the_pipeline_stack_is_in_no_wave():
    assert wave_of("Pipeline") is None


def test_shards_of_1000_domains_cover_every_stack_once(tmp_path):
    mesh = load_mesh(write_mesh(tmp_path, 1000))
    stacks = [s.id for s in blueprint(mesh).stacks if s.wave in WAVES]  # the Pipeline stack deploys them
    assert len(stacks) == 2501
    deployed = []
    for wave in WAVES:
        in_wave = [s for s in stacks if wave_of(s) == wave]
        count = 1 if wave == "Governance" else SHARDS
        shards = [shard(stacks, wave, i, count) for i in range(count)]
        assert max(map(len, shards)) == math.ceil(len(in_wave) / count)  # balanced
        deployed += [s for part in shards for s in part]
    assert sorted(deployed) == sorted(stacks)


@pytest.mark.parametrize("wave, index, count", [("Storage", 2, 2), ("Network", 0, 1), ("Access", -1, 3)])
def test_no_such_shard_is_refused(wave, index, count):
    with pytest.raises(ValueError, match="no shard"):
        shard(["Governance"], wave, index, count)


def test_command_prints_the_shard_of_a_synthesized_assembly(tmp_path, delivered_mesh):
    app = App(outdir=str(tmp_path / "cdk.out"))
    build_mesh(app, delivered_mesh())
    app.synth()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "datamesh.delivery.waves", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    first, second = (
        run(str(tmp_path / "cdk.out"), "Storage", "0", "2"),
        run(str(tmp_path / "cdk.out"), "Storage", "1", "2"),
    )
    assert (first.stdout.split(), second.stdout.split()) == (["Finance-Storage"], ["Sales-Storage"])
    assert run(str(tmp_path / "cdk.out"), "Governance", "0", "1").stdout.split() == ["Governance"]
    bad = run(str(tmp_path / "missing"), "Storage", "0", "1")
    assert bad.returncode == 2 and bad.stderr.startswith("error: usage:") and "Traceback" not in bad.stderr


def test_shard_helper_needs_only_the_standard_library():
    """Deploy builds run it without installing the project's requirements: no site-packages here (-S)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-S", "-c", "import datamesh.delivery.waves"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
