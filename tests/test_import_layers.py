"""The import graph of datamesh/, app.py and localaws/: folders that are layers, no cycles, no upward arrows.

Each layer is one or more folders (packages) of datamesh/, lowest first; a module may import its
own layer and the layers below it, never one above (the first failing assertion names the arrow):

1. **names, Glue grammar and git**: ``names`` (every physical name, what Glue and Athena accept as
   names and column types) and ``git`` (the mesh's files at a revision). They import nothing of the mesh.
2. **contracts**: ODCS data contracts read into tables and columns.
3. **config**: the parameter files' models, the loader (given the parameter rules, never importing
   them), the JSON Schemas generated from the models, the conformance report's model and the CDK
   app's context keys.
4. **rules on the files**: ``policies``, the parameter rules the loader is given and the classification levels.
5. **Lake Formation shapes**: ``lakeformation``, the resources as its API and CloudFormation take them.
6. **plans**: the pure descriptions of a deploy, without CDK: ``blueprint`` and ``delivery`` (the
   waves and checks the pipeline runs).
7. **annotations**: how a construct acknowledges the cdk-nag findings it causes, and how resources are tagged.
8. **constructs**: the CDK building blocks.
9. **stacks**.
10. **rules on the templates**: ``rules``, a folder per service, and the plugin and hooks that run
    them and cdk-nag over the synthesized templates.
11. **the CDK app**: ``app``, the whole CDK app of a mesh.
12. **AWS sessions**: ``aws``, clients in the mesh's accounts and what the APIs' answers mean.
13. **doctor, report and share editing**: ``doctor``, ``report``, ``shares``.
14. **deploy and conformance**: ``deploy`` (the waves, the RAM invitations, the deploy to the local
    AWS) and ``conformance`` (the conformance run).
15. **why and repair**: ``why`` (the chain from the files to the data, judged by doctor's findings) and
    ``repair`` (the blueprint re-applied for drift findings, through the APIs the deploy uses).
16. **portal**: the report portal, which renders the report's graph, KPIs and search.
17. **commands**: ``meshctl`` (each command parses, calls and prints) and ``python -m datamesh``.
18. **app.py**: the CDK entry point.

A module belongs to the layer of the longest prefix in ``LAYERS`` that names it; the package
``datamesh`` itself (an ``__init__`` that imports nothing) sits below them all. Every import counts:
at the top of a module, inside a function, or under ``TYPE_CHECKING`` (a cycle hidden in a function
is still a cycle of the design). Importing ``a.b.c`` also runs the packages ``a.b`` and ``a``
(their ``__init__``), so it is an arrow to them too.

localaws is an emulator of AWS: it imports nothing of datamesh.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("names, Glue grammar and git", ("datamesh.names", "datamesh.git")),
    ("contracts", ("datamesh.contracts",)),
    ("config", ("datamesh.config",)),
    ("rules on the files", ("datamesh.policies",)),
    ("Lake Formation shapes", ("datamesh.lakeformation",)),
    ("plans", ("datamesh.blueprint", "datamesh.delivery")),
    ("annotations", ("datamesh.annotations",)),
    ("constructs", ("datamesh.constructs",)),
    ("stacks", ("datamesh.stacks",)),
    ("rules on the templates", ("datamesh.rules",)),
    ("the CDK app", ("datamesh.app",)),
    ("AWS sessions", ("datamesh.aws",)),
    ("doctor, report and share editing", ("datamesh.doctor", "datamesh.report", "datamesh.shares")),
    ("deploy and conformance", ("datamesh.deploy", "datamesh.conformance")),
    ("why and repair", ("datamesh.repair", "datamesh.why")),
    ("portal", ("datamesh.portal",)),
    ("commands", ("datamesh.meshctl", "datamesh.__main__")),
    ("app.py", ("app",)),
]
ENTRY_POINTS = {"datamesh.__main__", "app"}  # the two modules LAYERS names that are no folder


def module_files() -> dict[str, Path]:
    """Dotted name to file, for every module of datamesh/, localaws/ and app.py."""
    found = {"app": ROOT / "app.py"}
    for package in ("datamesh", "localaws"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that importing ``name`` imports directly, package ``__init__`` files included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    found = set()
    for target in targets:
        for module in (*_ancestors(target), target):
            if module in known and module != name and module not in _ancestors(name):
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def layer_of(module: str) -> int | None:
    """The index in LAYERS of the longest prefix naming ``module`` (-1: the package ``datamesh`` itself); None
    outside datamesh and app.py, and for a module of datamesh that no layer names."""
    if module == "datamesh":
        return -1
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return best[1] if best else None


def upward_arrows(graph: dict[str, set[str]]) -> list[str]:
    arrows = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = layer_of(source), layer_of(target)
            if low is not None and high is not None and high > low:
                arrows.append(f"{source} ({LAYERS[low][0]}) imports {target} ({LAYERS[high][0]})")
    return arrows


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_a_cycle(graph, set(group)) for group in groups]


def _a_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path from the group's first module back to it, through the group."""
    start = min(group)
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for nxt in sorted(graph[path[-1]] & group):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    raise AssertionError(f"no cycle through {sorted(group)}")


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_every_module_of_datamesh_has_a_layer(graph):
    assert [m for m in graph if (m == "app" or m.startswith("datamesh")) and layer_of(m) is None] == []


def test_every_layer_is_folders():
    """Each name in LAYERS is a package of datamesh/ (a folder with its ``__init__.py``), but the two entry points."""
    assert [
        prefix
        for _, prefixes in LAYERS
        for prefix in prefixes
        if prefix not in ENTRY_POINTS and not (ROOT / prefix.replace(".", "/") / "__init__.py").is_file()
    ] == []


def test_the_package_itself_imports_nothing(graph):
    assert graph["datamesh"] == set()


def test_no_module_imports_a_layer_above_its_own(graph):
    assert upward_arrows(graph) == []


def test_no_import_cycles(graph):
    assert [" -> ".join(cycle) for cycle in cycles(graph)] == []


def test_localaws_imports_nothing_of_datamesh(graph):
    assert (
        sorted(
            f"{m} imports {t}"
            for m, targets in graph.items()
            if m.startswith("localaws")
            for t in targets
            if t.startswith("datamesh")
        )
        == []
    )


def test_the_checks_see_an_upward_import_and_a_cycle():
    """An arrow from the loader up to the policies, as the loader once had, is caught both ways."""
    graph = {
        "datamesh.config.loader": {"datamesh.policies.parameter_rules"},
        "datamesh.policies.parameter_rules": {"datamesh.config.loader"},
    }
    assert upward_arrows(graph) == [
        "datamesh.config.loader (config) imports datamesh.policies.parameter_rules (rules on the files)"
    ]
    assert cycles(graph) == [["datamesh.config.loader", "datamesh.policies.parameter_rules", "datamesh.config.loader"]]


def test_an_import_inside_a_package_runs_its_init(tmp_path):
    """``from datamesh.config.models import X`` runs datamesh/config/__init__.py: an arrow to the package."""
    path = tmp_path / "contracts_loading.py"
    path.write_text("from datamesh.config.models import Column\n")
    known = {
        "datamesh",
        "datamesh.config",
        "datamesh.config.models",
        "datamesh.contracts",
        "datamesh.contracts.loading",
    }
    assert imports_of("datamesh.contracts.loading", path, known) == {"datamesh.config", "datamesh.config.models"}


@pytest.mark.parametrize(
    "module",
    [
        "datamesh.names.glue_grammar",
        "datamesh.contracts",
        "datamesh.config",
        "datamesh.policies",
        "datamesh.policies.parameter_rules",
    ],
)
def test_each_lower_package_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
