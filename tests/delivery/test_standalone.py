"""Standalone accounts and the pipeline: the loader refuses ``delivery`` without ``organization``.

Between standalone accounts, Lake Formation's cross-account grants reach a consumer through an
AWS RAM invitation its account must accept ("Cross-account data sharing", Lake Formation
Developer Guide); the pipeline has no step that accepts them, so its first Access stack would
fail. ``meshctl deploy`` accepts them between waves; the pipeline is for meshes in one
organization (docs/delivery.md).
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from datamesh.config import ConfigError, load_mesh
from datamesh.config.loader import DELIVERY_WITHOUT_ORGANIZATION
from tests.delivery.conftest import DELIVERY, ROOT, TOOLING_ACCOUNT
from tests.meshctl.conftest import meshctl  # noqa: F401  (the in-process meshctl runner)


@pytest.fixture
def standalone_delivered(tmp_path):
    """The example mesh with ``delivery`` and without ``organization``: its mesh.yaml."""
    shutil.copytree(ROOT / "domains", tmp_path / "domains")
    config = yaml.safe_load((ROOT / "mesh.yaml").read_text(encoding="utf-8"))
    del config["organization"]
    config["delivery"] = DELIVERY
    (tmp_path / "mesh.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return tmp_path / "mesh.yaml"


def test_delivery_without_organization_is_one_problem_naming_the_field(standalone_delivered):
    with pytest.raises(ConfigError) as raised:
        load_mesh(standalone_delivered)
    (problem,) = raised.value.problems
    assert (problem.field, problem.reason) == ("delivery", DELIVERY_WITHOUT_ORGANIZATION)
    assert "\n" not in str(problem)


def test_meshctl_validate_refuses_it(standalone_delivered, meshctl):  # noqa: F811
    result = meshctl("validate", "--mesh", str(standalone_delivered))
    assert result.exit_code == 1
    assert f"delivery: {DELIVERY_WITHOUT_ORGANIZATION}" in " ".join(result.output.split())


def test_nothing_reaches_the_local_aws(standalone_delivered, meshctl, aws):  # noqa: F811
    """``meshctl deploy`` against the local AWS stops at the files: no stack, no StackSet in any account."""
    result = meshctl("deploy", "--mesh", str(standalone_delivered), "--endpoint-url", aws.endpoint)
    assert result.exit_code == 1
    assert "delivery: needs organization" in result.output
    config = yaml.safe_load(standalone_delivered.read_text(encoding="utf-8"))
    domains = [
        yaml.safe_load(f.read_text(encoding="utf-8"))["account"]
        for f in (standalone_delivered.parent / "domains").glob("*.yaml")
    ]
    for account in {config["governance_account"], TOOLING_ACCOUNT, *domains}:
        cloudformation = aws.client("cloudformation", account)
        assert cloudformation.describe_stacks()["Stacks"] == []
        assert cloudformation.list_stack_sets()["Summaries"] == []
