"""meshctl deploy: the waves it deploys between standalone accounts, --since, and its failures as one line.
(tests/localaws/test_local_e2e_standalone.py runs it against the local AWS with the real CDK CLI.)"""

from __future__ import annotations

import shutil

from datamesh.blueprint import targeted
from datamesh.config import Mesh, load_mesh
from datamesh.meshctl.deploy import waves
from datamesh.meshctl.exit_codes import ExitCode
from tests.git_mesh import commit_example_mesh
from tests.conftest import EXAMPLE_MESH
from tests.meshctl.test_plan_against_templates import EDITS, yaml_edit


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


def _cdk_that_records(tmp_path, exit_code: int):
    """A `cdk` first on PATH that writes its arguments, one a line, and exits with ``exit_code``."""
    (tmp_path / "bin").mkdir()
    cdk = tmp_path / "bin" / "cdk"
    cdk.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args"\nexit {exit_code}\n')
    cdk.chmod(0o755)
    return tmp_path / "args"


def test_within_an_organization_it_is_one_cdk_deploy_all_with_the_context_given(meshctl, monkeypatch, tmp_path) -> None:
    """The example mesh.yaml names an organization: `cdk deploy --all`, `-c today=` passed on (docs/local-aws.md, day 2)."""
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "-c", "today=2027-06-30", "-c", "allow-destroy=true")
    assert result.exit_code == 0, result.output
    recorded = args.read_text().splitlines()
    assert recorded[:2] == ["deploy", "--all"]
    assert "--require-approval" in recorded and recorded[recorded.index("--require-approval") + 1] == "never"
    contexts = [recorded[i + 1] for i, arg in enumerate(recorded) if arg == "--context"]
    assert contexts == ["mesh=mesh.yaml", "today=2027-06-30", "allow-destroy=true"]


def test_a_failed_cdk_deploy_exits_1_in_one_line(meshctl, monkeypatch, tmp_path) -> None:
    _cdk_that_records(tmp_path, 3)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy")
    assert result.exit_code == ExitCode.PROBLEMS
    assert result.stderr.strip().splitlines()[-1].endswith("cdk deploy exited with 3; the stacks that failed say why above")


def test_since_deploys_with_the_ref_and_names_what_changed(meshctl, monkeypatch, tmp_path) -> None:
    """`deploy --since REF` passes -c since=REF to cdk deploy and prints the stacks it builds."""
    mesh_file = commit_example_mesh(tmp_path / "repo")
    monkeypatch.setattr(targeted, "PROJECT", tmp_path / "repo")  # the code that built the ref: unchanged
    EDITS["revoke a subscription"](mesh_file)
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "2 stack(s) added or changed since HEAD: Marketing-Access, Sales-Catalog" in result.stdout
    recorded = args.read_text().splitlines()
    assert recorded[:2] == ["deploy", "--all"]
    assert [recorded[i + 1] for i, arg in enumerate(recorded) if arg == "--context"] == [f"mesh={mesh_file}", "since=HEAD"]


def test_since_with_nothing_changed_runs_no_cdk(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(tmp_path / "repo")
    monkeypatch.setattr(targeted, "PROJECT", tmp_path / "repo")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "0 stack(s) added or changed since HEAD: none" in result.stdout
    assert not args.exists()


def test_since_an_unknown_ref_deploys_nothing(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(tmp_path / "repo")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "nope")
    assert result.exit_code == ExitCode.GIT
    assert result.stderr.strip().splitlines() == ["error: cdk context: since: nope: git: unknown revision 'nope'",
                                                  "error: --since nope: nothing deployed"]
    assert not args.exists()


def test_since_a_ref_whose_files_do_not_validate_deploys_nothing(meshctl, monkeypatch, tmp_path) -> None:
    mesh_file = commit_example_mesh(tmp_path / "repo", yaml_edit("domains/sales.yaml", lambda d: d.update(account="2222")))
    shutil.copy(EXAMPLE_MESH.parent / "domains" / "sales.yaml", mesh_file.parent / "domains" / "sales.yaml")
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    result = meshctl("deploy", "--mesh", str(mesh_file), "--since", "HEAD")
    assert result.exit_code == ExitCode.PROBLEMS
    problem, last = result.stderr.strip().splitlines()
    assert problem.startswith("error: cdk context: since: the files at HEAD do not validate (1 problem(s); the first: "
                              "HEAD:domains/sales.yaml: account: ")
    assert last == "error: --since HEAD: nothing deployed"
    assert not args.exists()


def test_an_endpoint_that_answers_html_stops_the_deploy_in_one_line(meshctl, mesh_copy, html_endpoint, monkeypatch,
                                                                    tmp_path) -> None:
    """Between standalone accounts the invitations are accepted through AWS RAM after the first wave: an
    endpoint that is not AWS stops the deploy there with exit 4, before the Access stacks."""
    args = _cdk_that_records(tmp_path, 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    standalone = mesh_copy(("mesh.yaml", lambda m: {k: v for k, v in m.items() if k != "organization"}))
    result = meshctl("deploy", "--mesh", str(standalone), "--endpoint-url", html_endpoint, "--max-attempts", "1")
    assert result.exit_code == ExitCode.AWS, result.output
    first = load_mesh(standalone).domains[0]  # the first domain of the files accepts first
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: account {first.account} ({first.name}) accepting invitations: STS GetCallerIdentity at "
        f"{html_endpoint}: HTTP 404 with an HTML page, not an answer of the STS API")
    assert "Access" not in " ".join(args.read_text().splitlines())
