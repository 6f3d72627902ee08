"""The policy layer knows nothing of the stacks' insides: no policy module imports the stacks, constructs or app."""

from __future__ import annotations

import ast
from pathlib import Path

DATAMESH = Path(__file__).resolve().parents[2] / "datamesh"
POLICIES = [DATAMESH / "policies", DATAMESH / "rules", DATAMESH / "annotations"]
ABOVE = ("datamesh.stacks", "datamesh.constructs", "datamesh.app.mesh_app")


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, those under ``if TYPE_CHECKING:`` included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


def test_no_policy_module_imports_the_stacks_the_constructs_or_the_app():
    modules = sorted(path for folder in POLICIES for path in folder.rglob("*.py"))
    found = [
        (str(path.relative_to(DATAMESH)), name)
        for path in modules
        for name in sorted(imported(path))
        if any(name == above or name.startswith(f"{above}.") for above in ABOVE)
    ]
    assert len(modules) > 20 and found == []
