"""`-c since=REF` builds exactly the stacks whose templates differ from the ref's, byte for byte as a full build.

In a temporary git repository holding the example mesh: commit, edit (with meshctl where
it has a command), then synthesize the ref's files (as on the commit's day), the edited
files in full and with ``since``. The expectation comes from comparing the two full
syntheses, never from the selection under test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from aws_cdk import App

from bench.assembly import CLI_CONTEXT, dependencies, read_assembly
from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint.targeted import since
from datamesh.config import ConfigError, Mesh, load_mesh
from tests.app.test_entry_points import CDK, clean_env
from tests.conftest import EXAMPLE_MESH
from tests.meshctl.test_plan_against_templates import EDITS, yaml_edit
from tests.support.git_mesh import COMMITTED, commit_example_mesh, git

COMMIT_DAY = date.fromisoformat(COMMITTED[:10])
TODAY = date(2026, 2, 15)
EXPIRES = date(2026, 1, 20)  # after the commit, before TODAY

Edit = Callable[[Path], None]


class Assembly(NamedTuple):
    templates: dict[str, bytes]
    after: dict[str, set[str]]  # the stacks each deploys after, directly or not


def synthesize(mesh: Mesh, outdir: Path, only: frozenset[str] | None = None) -> Assembly:
    app = App(outdir=str(outdir), context=CLI_CONTEXT)
    build_mesh(app, mesh, only=only)
    app.synth()
    return read(outdir)


def read(outdir: Path) -> Assembly:
    return Assembly({s.id: s.template_file.read_bytes() for s in read_assembly(outdir)}, dependencies(outdir))


def differing(old: Assembly, new: Assembly) -> set[str]:
    """Stacks of ``new`` that ``old`` lacks or whose template is another."""
    return {stack for stack, template in new.templates.items() if old.templates.get(stack) != template}


def expire_finance_orders(mesh_file: Path) -> None:
    """finance's granted subscription to the open sales.orders expires on EXPIRES."""
    yaml_edit("domains/finance.yaml", lambda d: d["consumes"][0].update(expires=EXPIRES.isoformat()))(mesh_file)


deliver_from_a_tooling_account = yaml_edit(
    "mesh.yaml",
    lambda d: d.update(
        delivery={
            "tooling_account": "999999999999",
            "repository": "acme/data-mesh",
            "connection_arn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/00000000-0000-4000-8000-000000000000",
        }
    ),
)

CASES: dict[str, tuple[tuple[Edit, ...], Edit]] = {
    # case: (edits committed in the ref, edit after it)
    "add a consumer domain granted a product": ((), EDITS["add a consumer"]),
    "add a producer domain": ((), EDITS["add a producer"]),
    "raise a confidentiality": ((), EDITS["raise a confidentiality"]),
    "add a contract column": ((), EDITS["add a contract column"]),
    "revoke a subscription": ((), EDITS["revoke a subscription"]),
    "a share expires between the ref and today": ((expire_finance_orders,), lambda mesh_file: None),
    "change the pipeline's shards": (
        (deliver_from_a_tooling_account,),
        yaml_edit("mesh.yaml", lambda d: d["delivery"].update(deploy_shards=5)),
    ),
    "add a consumer domain beside a pipeline": ((deliver_from_a_tooling_account,), EDITS["add a consumer"]),
}


@pytest.fixture(scope="module")
def example_at_commit(tmp_path_factory: pytest.TempPathFactory) -> Assembly:
    """The example mesh's full synthesis as on the commit's day: what the ref deployed (all cases but expiry)."""
    return synthesize(load_mesh(EXAMPLE_MESH).as_of(COMMIT_DAY), tmp_path_factory.mktemp("ref"))


@pytest.mark.parametrize("case", CASES)
def test_since_builds_exactly_the_changed_stacks_with_the_full_build_s_templates(case, tmp_path, example_at_commit):
    committed, edit = CASES[case]
    mesh_file = commit_example_mesh(tmp_path / "repo", *committed)
    ref = synthesize(load_mesh(mesh_file).as_of(COMMIT_DAY), tmp_path / "ref") if committed else example_at_commit
    edit(mesh_file)
    mesh = load_mesh(mesh_file).as_of(TODAY)
    full = synthesize(mesh, tmp_path / "full")
    selection = since("HEAD", mesh, TODAY, project=tmp_path / "repo")
    assert selection.stacks is not None, selection.note
    targeted = synthesize(mesh, tmp_path / "since", selection.stacks)

    assert set(targeted.templates) == differing(ref, full)
    assert targeted.templates == {stack: full.templates[stack] for stack in targeted.templates}
    assert targeted.after == {stack: full.after[stack] & targeted.templates.keys() for stack in targeted.templates}
    assert targeted.templates  # every case changes some template, or it proves nothing


def test_an_unchanged_mesh_builds_no_stack(tmp_path):
    mesh_file = commit_example_mesh(tmp_path / "repo")
    selection = since("HEAD", load_mesh(mesh_file), TODAY, project=tmp_path / "repo")
    assert selection.stacks == frozenset()
    assert selection.note == "0 stack(s) added or changed since HEAD: none"


@pytest.mark.parametrize("change", ["edit", "add"])
def test_when_the_code_changed_everything_is_built_with_a_note(tmp_path, change):
    mesh_file = commit_example_mesh(tmp_path / "repo")
    (tmp_path / "repo" / "datamesh").mkdir()
    (tmp_path / "repo" / "datamesh" / "naming.py").write_text("# committed\n")
    git(tmp_path / "repo", "add", ".")
    git(tmp_path / "repo", "commit", "-q", "-m", "code")
    changed = tmp_path / "repo" / "datamesh" / ("naming.py" if change == "edit" else "new_module.py")
    changed.write_text("# changed\n")
    selection = since("HEAD", load_mesh(mesh_file), TODAY, project=tmp_path / "repo")
    assert selection.stacks is None
    assert (
        selection.note == f"every stack is synthesized: the project's code changed since HEAD (datamesh/{changed.name})"
    )


# What docs/delivery.md promises rebuilds everything when it changes: the code, app.py, cdk.json,
# the requirements and package*.json (named here, not read from the code under test).
BUILT_WITH = [
    "datamesh/names/naming.py",
    "app.py",
    "cdk.json",
    "requirements.txt",
    "requirements-dev.txt",
    "package.json",
    "package-lock.json",
    "pyproject.toml",
]


@pytest.mark.parametrize("path", BUILT_WITH)
def test_a_change_to_any_file_the_templates_are_built_with_builds_everything(tmp_path, path):
    repo = tmp_path / "repo"
    mesh_file = commit_example_mesh(repo, code=True)
    with (repo / path).open("a", encoding="utf-8") as changed:
        changed.write("\n")
    selection = since("HEAD", load_mesh(mesh_file), TODAY, project=repo)
    assert selection.stacks is None
    assert selection.note == f"every stack is synthesized: the project's code changed since HEAD ({path})"


def test_code_outside_the_mesh_repository_builds_everything(tmp_path):
    mesh_file = commit_example_mesh(tmp_path / "repo")
    selection = since("HEAD", load_mesh(mesh_file), TODAY, project=tmp_path / "elsewhere")
    assert selection.stacks is None
    assert "is not in the git repository of" in selection.note


def test_changed_policies_build_everything(tmp_path):
    mesh_file = commit_example_mesh(tmp_path / "repo")
    yaml_edit("mesh.yaml", lambda d: d.update(policies={"required_tags": ["mesh", "domain"]}))(mesh_file)
    selection = since("HEAD", load_mesh(mesh_file), TODAY, project=tmp_path / "repo")
    assert selection.stacks is None
    assert selection.note == "every stack is synthesized: mesh.yaml's policies changed since HEAD"


@pytest.mark.parametrize(
    "ref, reason",
    [
        ("no-such-branch", "cdk context: since: no-such-branch: git: unknown revision 'no-such-branch'"),
        ("HEAD~1", "cdk context: since: HEAD~1: git: unknown revision 'HEAD~1'"),
    ],
)
def test_an_unknown_ref_is_one_problem(tmp_path, ref, reason):
    mesh_file = commit_example_mesh(tmp_path / "repo")
    with pytest.raises(ConfigError) as raised:
        since(ref, load_mesh(mesh_file), TODAY, project=tmp_path / "repo")
    assert [str(p) for p in raised.value.problems] == [reason]


def test_files_that_did_not_validate_at_the_ref_are_one_problem(tmp_path):
    mesh_file = commit_example_mesh(
        tmp_path / "repo", yaml_edit("domains/sales.yaml", lambda d: d.update(account="2222"))
    )
    shutil.copy(EXAMPLE_MESH.parent / "domains" / "sales.yaml", mesh_file.parent / "domains" / "sales.yaml")
    with pytest.raises(ConfigError) as raised:
        since("HEAD", load_mesh(mesh_file), TODAY, project=tmp_path / "repo")
    [problem] = raised.value.problems
    assert str(problem).startswith(
        "cdk context: since: the files at HEAD do not validate (1 problem(s); the first: "
        "HEAD:domains/sales.yaml: account: "
    )


def test_a_mesh_outside_git_is_one_problem(mesh_copy):
    mesh_file = mesh_copy()
    with pytest.raises(ConfigError) as raised:
        since("HEAD", load_mesh(mesh_file), TODAY)
    [problem] = raised.value.problems
    assert str(problem).startswith("cdk context: since: HEAD: git: not a git repository")


@pytest.mark.slow
def test_cdk_synth_since_through_the_cli(tmp_path):
    """The real CLI in a repository holding the project's code: onboarding a consumer builds the stacks whose
    templates differ from the ref's `cdk synth`, byte for byte; an unknown ref synthesizes nothing."""
    repo = tmp_path / "repo"
    mesh_file = commit_example_mesh(repo, code=True)
    env = clean_env(tmp_path)

    def cdk_synth(out: str, *context: str) -> subprocess.CompletedProcess[str]:
        args = [str(CDK), "synth", "--quiet", "--output", str(tmp_path / out), "-c", f"today={TODAY}"]
        for item in context:
            args += ["-c", item]
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    assert cdk_synth("ref").returncode == 0
    EDITS["add a consumer"](mesh_file)
    bad = cdk_synth("bad", "since=nope")
    assert bad.returncode != 0
    assert "error: cdk context: since: nope: git: unknown revision 'nope'" in bad.stderr
    assert not (tmp_path / "bad" / "manifest.json").exists()
    for out, context in (("full", ()), ("since", ("since=HEAD",))):
        result = cdk_synth(out, *context)
        assert result.returncode == 0, result.stderr
    ref, full, targeted = read(tmp_path / "ref"), read(tmp_path / "full"), read(tmp_path / "since")
    assert set(targeted.templates) == differing(ref, full) == {"Governance", "Ops-Access", "Sales-Catalog"}
    assert targeted.templates == {stack: full.templates[stack] for stack in targeted.templates}
    assert "3 stack(s) added or changed since HEAD: Governance, Ops-Access, Sales-Catalog" in result.stderr
    manifest = json.loads((tmp_path / "since" / "manifest.json").read_text())
    assert "Governance" in manifest["artifacts"]["Sales-Catalog"]["dependencies"]  # through Sales-Storage, not built
