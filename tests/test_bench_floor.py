"""The benchmark's L1 floor (bench/floor_app.py) writes the mesh app's templates again, byte for byte.

The floor is the yardstick of bench/run.py's "synth / floor" ratio; it only means something
if it writes what the mesh app writes. Here both are synthesized in this process, the floor
from the mesh app's cloud assembly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App

from bench.assembly import CLI_CONTEXT, changed_templates, read_assembly
from bench.floor_app import add_stack, build_floor
from bench.generate import write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.config import load_mesh
from tests.conftest import EXAMPLE_MESH


def synthesize_mesh(mesh_file: Path, outdir: Path, *, allow_destroy: bool = False) -> Path:
    app = App(outdir=str(outdir), context=CLI_CONTEXT)
    build_mesh(app, load_mesh(mesh_file), allow_destroy=allow_destroy)
    app.synth()
    return outdir


def synthesize_floor(assembly: Path, outdir: Path) -> Path:
    app = App(outdir=str(outdir), context=CLI_CONTEXT)
    build_floor(app, assembly)
    app.synth()
    return outdir


@pytest.fixture(scope="module", params=["example", "example-allow-destroy", "generated"])
def assemblies(request, tmp_path_factory) -> tuple[Path, Path]:
    """(the mesh app's assembly, the floor's) for the example mesh (retaining data or not) and a
    generated 6-domain mesh with a pipeline."""
    root = tmp_path_factory.mktemp(f"floor-{request.param}")
    mesh_file = write_mesh(root / "mesh", 6, seed=0) if request.param == "generated" else EXAMPLE_MESH
    mesh_out = synthesize_mesh(mesh_file, root / "mesh-out", allow_destroy=request.param == "example-allow-destroy")
    return mesh_out, synthesize_floor(mesh_out, root / "floor-out")


def test_floor_writes_every_template_byte_for_byte(assemblies):
    mesh_out, floor_out = assemblies
    assert [s.id for s in read_assembly(floor_out)] == [s.id for s in read_assembly(mesh_out)]
    assert changed_templates(mesh_out, floor_out) == []


def test_floor_keeps_stack_names_tags_and_dependencies(assemblies):
    manifests = [json.loads((out / "manifest.json").read_text())["artifacts"] for out in assemblies]
    assert manifests[0] == manifests[1]


def test_floor_resources_carry_retention_and_dependencies(assemblies):
    """The attributes the floor sets outside the properties are really in its templates."""
    _, floor_out = assemblies
    resources = [
        r for s in read_assembly(floor_out) for r in json.loads(s.template_file.read_text())["Resources"].values()
    ]
    assert any(
        r.get("DeletionPolicy") in ("Retain", "Delete") and r.get("UpdateReplacePolicy") == r["DeletionPolicy"]
        for r in resources
    )
    assert any(r.get("DependsOn") for r in resources)
    assert all("/" in r["Metadata"]["aws:cdk:path"] for r in resources)


def test_floor_refuses_a_template_section_it_cannot_rebuild():
    template = {"Resources": {}, "Outputs": {"BucketName": {"Value": "x"}}}
    artifact = {"environment": "aws://111111111111/eu-west-1", "properties": {}}
    with pytest.raises(SystemExit, match=r"Sales-Storage: the floor does not reproduce Outputs \['BucketName'\]"):
        add_stack(App(), "Sales-Storage", artifact, template)
