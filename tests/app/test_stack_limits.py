"""CloudFormation's 500 resources per stack ("CloudFormation quotas") hold at 1000 domains whose consumers each
list three principals (the analyst, an existing BI role, an Identity Center group): synthesized templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import App

from bench.generate import write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.config import load_mesh

RESOURCES_PER_STACK = 500  # CloudFormation quotas: resources declared in one template


@pytest.mark.slow  # synthesizes 2500 stacks in this process: minutes on a shared 2-core machine
def test_no_stack_passes_500_resources_at_1000_domains_with_three_principals_each(tmp_path: Path) -> None:
    mesh = load_mesh(write_mesh(tmp_path, 1000, with_principals=True))
    assert sum(1 for d in mesh.consumers if len(d.principals) == 3) == len(mesh.consumers) == 500
    app = App()
    build_mesh(app, mesh)
    counts = {stack.stack_name: len(stack.template["Resources"]) for stack in app.synth().stacks}
    largest = max(counts, key=counts.get)
    assert counts[largest] <= RESOURCES_PER_STACK, (largest, counts[largest])
    assert sum(1 for name in counts if name.endswith("-Access")) == 500  # every consumer's stack was counted
