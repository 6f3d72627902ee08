"""CODEOWNERS maps every domain file of the repository to a team, after the catch-all line."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _rules() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (ROOT / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def test_every_domain_file_has_its_own_team():
    owned = {pattern: owners for pattern, owners in _rules()}
    for path in sorted((ROOT / "domains").glob("*.yaml")):
        owners = owned.get(f"/domains/{path.name}")
        assert owners, f"CODEOWNERS has no line for /domains/{path.name}"
        assert all(re.fullmatch(r"@[a-z0-9-]+/[a-z0-9-]+", o) for o in owners), owners


def test_a_domain_folder_has_the_team_of_its_domain_file():
    owned = {pattern: owners for pattern, owners in _rules()}
    for folder in sorted(p for p in (ROOT / "domains").iterdir() if p.is_dir()):
        assert owned.get(f"/domains/{folder.name}/") == owned.get(f"/domains/{folder.name}.yaml"), folder.name


def test_domain_lines_come_after_the_catch_all_so_they_win():
    patterns = [pattern for pattern, _ in _rules()]
    assert patterns[0] == "*"
    assert all(patterns.index(p) > 0 for p in patterns if p.startswith("/domains/"))


def test_the_comment_explains_why():
    text = (ROOT / "CODEOWNERS").read_text()
    assert "meshctl approve" in text and "producing team" in text
