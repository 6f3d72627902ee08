"""Fixtures of the governance tests: the example mesh synthesized to disk, and a rule harness."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, AspectPriority, Aspects, Environment, Stack
from aws_cdk.assertions import Annotations, Match

from datamesh.config import Mesh
from datamesh.mesh_app import FEATURE_FLAGS, MeshStacks, build_mesh
from datamesh.policies.aspect import MeshPolicyAspect
from datamesh.policies.resource_rules import ResourceRule, RuleContext

PRODUCER_ACCOUNT = "222222222222"  # the example mesh's sales domain
REGION = "eu-west-1"
# Synthesis records the errors for the test to read instead of raising them.
REPORT_ERRORS_ONLY = "@aws-cdk/core:failSynthOnValidationErrors"


@pytest.fixture(scope="session")
def example_assembly(example_mesh: Mesh, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MeshStacks]:
    """The example mesh synthesized into a directory, and the stacks it was built from."""
    out = tmp_path_factory.mktemp("cdk.out")
    app = App(outdir=str(out))
    stacks = build_mesh(app, example_mesh)
    app.synth()
    return out, stacks


@pytest.fixture(scope="session")
def validation_report(example_assembly: tuple[Path, MeshStacks]) -> dict[str, Any]:
    out, _ = example_assembly
    return json.loads((out / "validation-report.json").read_text())


Build = Callable[[Stack], Any]


@pytest.fixture
def findings(example_mesh: Mesh) -> Callable[..., list[str]]:
    """Run one rule over a stack of the sales domain that ``build`` fills; return the error messages."""

    def run(rule: ResourceRule, build: Build, *, allow_destroy: bool = False, mesh: Mesh | None = None) -> list[str]:
        app = App(context={**FEATURE_FLAGS, REPORT_ERRORS_ONLY: False})
        stack = Stack(app, "Test", env=Environment(account=PRODUCER_ACCOUNT, region=REGION))
        build(stack)
        context = RuleContext(mesh or example_mesh, stacks=[(stack, "sales")], allow_destroy=allow_destroy)
        Aspects.of(app).add(MeshPolicyAspect([rule], context), priority=AspectPriority.READONLY)
        return [str(m.entry.data) for m in Annotations.from_stack(stack).find_error("*", Match.any_value())]

    return run

