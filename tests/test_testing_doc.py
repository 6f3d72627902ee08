"""docs/testing.md names only tests that exist: a renamed or deleted test cannot leave a promise unguarded unseen."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "testing.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)((?:::\w+)*)`")


def defined(path: Path) -> set[str]:
    """``Class``, ``Class::test`` and ``test`` names a test module defines at its top level."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            names |= {
                f"{node.name}::{m.name}" for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
            }
    return names


def missing_references(text: str) -> list[str]:
    missing = []
    for file, parts in REFERENCE.findall(text):
        path = ROOT / file
        if not path.is_file() or (parts and parts.removeprefix("::") not in defined(path)):
            missing.append(file + parts)
    return missing


def test_every_test_named_in_docs_testing_exists():
    text = DOC.read_text(encoding="utf-8")
    assert len(REFERENCE.findall(text)) > 100  # the map is there, and the pattern reads it
    assert missing_references(text) == []


def test_a_renamed_test_or_file_is_reported():
    assert missing_references("`tests/app/test_mesh_app.py::test_four_deploy_waves`") == []
    assert missing_references("`tests/app/test_mesh_app.py::test_five_deploy_waves`") == [
        "tests/app/test_mesh_app.py::test_five_deploy_waves"
    ]
    assert missing_references("`tests/rules/test_safe_change.py::TestStatefulLogicalIds::test_gone`") == [
        "tests/rules/test_safe_change.py::TestStatefulLogicalIds::test_gone"
    ]
    assert missing_references("`tests/no_such_file.py`") == ["tests/no_such_file.py"]
