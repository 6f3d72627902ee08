"""meshctl deploy: the waves it deploys between standalone accounts, and its failures as one line.
(tests/localaws/test_local_e2e_standalone.py runs it against the local AWS with the real CDK CLI.)"""

from __future__ import annotations

from datamesh.config import Mesh
from datamesh.meshctl.deploy import waves
from datamesh.meshctl.exit_codes import ExitCode


def test_access_stacks_come_after_every_catalog_stack(example_mesh: Mesh) -> None:
    before, after = waves(example_mesh)
    assert before[0] == "Governance"
    assert sorted(before[1:]) == sorted(f"{d.name.capitalize()}-{kind}" for d in example_mesh.producers for kind in ("Storage", "Catalog"))
    assert after == [f"{d.name.capitalize()}-Access" for d in example_mesh.consumers]


def test_without_the_cdk_cli_it_says_so_in_one_line(meshctl, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = meshctl("deploy")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.strip().splitlines()[-1].endswith("the CDK CLI is not installed (npm install aws-cdk)")


def test_a_mesh_with_problems_is_not_deployed(meshctl, mesh_copy) -> None:
    broken = mesh_copy(("mesh.yaml", lambda m: {**m, "organization": {"id": "not-an-org"}}))
    result = meshctl("deploy", "--mesh", str(broken))
    assert result.exit_code == ExitCode.PROBLEMS
    assert "organization" in result.stderr
