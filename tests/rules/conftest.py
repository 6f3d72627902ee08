"""Fixtures of the governance tests: the example mesh synthesized to disk, and a rule harness."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack

from datamesh.app.mesh_app import FEATURE_FLAGS, MeshStacks, build_mesh
from datamesh.config import Mesh
from datamesh.rules import ResourceRule, RuleContext, StackTemplate
from datamesh.rules.engine.plugin import check

PRODUCER_ACCOUNT = "222222222222"  # the example mesh's sales domain
REGION = "eu-west-1"


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
def findings(example_mesh: Mesh, tmp_path: Path) -> Callable[..., list[str]]:
    """Run one rule (or several) over the synthesized template of a sales-domain stack that ``build`` fills.

    Returns the messages as the plugin reports them: ``domain sales: <path>: <reason> (<rule id>)``.
    """

    def run(
        rule: ResourceRule | Sequence[ResourceRule],
        build: Build,
        *,
        allow_destroy: bool = False,
        mesh: Mesh | None = None,
    ) -> list[str]:
        app = App(context=FEATURE_FLAGS, outdir=str(tmp_path))
        stack = Stack(app, "Test", env=Environment(account=PRODUCER_ACCOUNT, region=REGION))
        build(stack)
        app.synth()
        template = StackTemplate.read(
            tmp_path / "Test.template.json", path="Test", domain="sales", account=PRODUCER_ACCOUNT
        )
        context = RuleContext(mesh or example_mesh, allow_destroy=allow_destroy)
        rules = rule if isinstance(rule, Sequence) else [rule]
        return [f"{finding} ({finding.rule})" for finding in check([template], rules, context)]

    return run
