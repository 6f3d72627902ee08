"""Shared fixtures: the example mesh, copies of it to break, and synthesized templates."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.config import Mesh, load_mesh
from datamesh.mesh_app import MeshStacks, build_mesh

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_MESH = ROOT / "mesh.yaml"


@pytest.fixture(scope="session")
def example_mesh() -> Mesh:
    return load_mesh(EXAMPLE_MESH)


@pytest.fixture(scope="session")
def example_stacks(example_mesh: Mesh) -> MeshStacks:
    return build_mesh(App(), example_mesh)


@pytest.fixture(scope="session")
def templates(example_stacks: MeshStacks) -> dict[str, Template]:
    """Template of every stack of the example mesh, by stack id."""
    return {stack.node.id: Template.from_stack(stack) for stack in example_stacks.all()}


@pytest.fixture
def mesh_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the example mesh into tmp_path, apply edits, return the new mesh.yaml.

    ``edit(path_relative_to_mesh_dir, fn)`` pairs: ``fn`` gets the parsed YAML and returns
    the document to write back (``None`` deletes the file).
    """

    copies = iter(range(1000))

    def make(*edits: tuple[str, Callable[[dict], dict | None]]) -> Path:
        target = tmp_path / f"mesh{next(copies)}"
        shutil.copytree(ROOT / "domains", target / "domains")
        shutil.copy(EXAMPLE_MESH, target / "mesh.yaml")
        for relative, fn in edits:
            path = target / relative
            data = yaml.safe_load(path.read_text()) if path.exists() else {}
            new = fn(data)
            if new is None:
                path.unlink()
            else:
                path.write_text(yaml.safe_dump(new, sort_keys=False))
        return target / "mesh.yaml"

    return make
