"""Shared fixtures: the example mesh, copies of it to break, and synthesized templates; the suite's tiers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import MeshStacks, build_mesh
from datamesh.config import Mesh, load_mesh

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_MESH = ROOT / "mesh.yaml"

# The suite's tiers (docs/testing.md). A test is e2e or slow when marked so, slow when it uses a
# fixture of SLOW_FIXTURES, and fast otherwise; a fast test that starts the CDK CLI, a CDK app (jsii) or
# the local AWS's server process fails, so a slow test cannot pass as a fast one.
TIERS = ("fast", "slow", "e2e")
SLOW_FIXTURES = {"local_server"}  # the local AWS, deploying templates through its CloudFormation


def tier(item: pytest.Item) -> str:
    if item.get_closest_marker("e2e"):
        return "e2e"
    if item.get_closest_marker("slow") or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "slow"
    return "fast"


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        found = tier(item)
        if not item.get_closest_marker(found):
            item.add_marker(found)


def _is_the_cdk_cli(word: str, search_path: str | None) -> bool:
    """The project's CDK CLI (node_modules' or the virtualenv's ``cdk``), not a stand-in a test writes."""
    if Path(word).name != "cdk":
        return False
    found = word if os.sep in word else shutil.which(word, path=search_path)
    if found is None:
        return False
    real = Path(found).resolve()
    return real.parts[-3:] == ("aws-cdk", "bin", "cdk") or real == (Path(sys.executable).parent / "cdk").resolve()


def _runs_a_cdk_app(words: list[str]) -> bool:
    """Python running a CDK app as its script (the project's ``app.py``, bench's ``floor_app.py``, a test's
    ``rogue_app.py``), or Node running the jsii runtime: each run starts Node and loads aws-cdk-lib, seconds
    before the first construct. Only the program and its script count: ``git diff -- app.py`` runs no app."""
    if not words:
        return False
    program, arguments = Path(words[0]).name, words[1:]
    if program.startswith("python"):
        script = next((w for w in arguments if not w.startswith("-")), "")
        return Path(script).name == "app.py" or Path(script).name.endswith("_app.py")
    return program == "node" and any(Path(w).name.startswith("jsii-runtime") for w in arguments)


def starts_what_a_fast_test_must_not(args: object, env: dict[str, str] | None) -> str | None:
    """What a command line starts that puts a test in the slow tier: the CDK CLI, a CDK app (jsii) or the
    local AWS's server."""
    words = [str(a) for a in args] if isinstance(args, (list, tuple)) else str(args).split()
    search_path = (env if env is not None else os.environ).get("PATH")
    if any(_is_the_cdk_cli(w, search_path) for w in words):
        return "the CDK CLI"
    if _runs_a_cdk_app(words):
        return "a CDK app (jsii)"
    if "localaws.server" in words:
        return "the local AWS's server"
    return None


@pytest.fixture(autouse=True)
def _fast_tier_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if tier(request.node) != "fast":
        yield
        return
    popen = subprocess.Popen.__init__

    def guarded(self, args, *rest, **options):  # type: ignore[no-untyped-def]
        what = starts_what_a_fast_test_must_not(args, options.get("env"))
        if what:
            pytest.fail(f"a fast test started {what}: mark it @pytest.mark.slow (docs/testing.md)", pytrace=False)
        popen(self, args, *rest, **options)

    monkeypatch.setattr(subprocess.Popen, "__init__", guarded)
    yield


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
