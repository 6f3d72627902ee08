"""README.md and docs/ describe the product as it is: README stays an overview, and no line tells how the
project was built (history goes to CHANGELOG.md and commit messages)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 180

# Phrases that narrate the project's making. A cited upstream issue is written owner/repo#N, so a bare
# "issue N" is one of this project's own.
HISTORY = [
    re.compile(r"\bissues?\s+#?\d+", re.IGNORECASE),
    re.compile(
        r"\b(?:this|that|same|first|second|third|fourth|previous|next|last|one|two|three|four|five|each|every)"
        r"\s+sessions?\b",
        re.IGNORECASE,
    ),
    re.compile(r"\bround[\s-]+\d+\b|\b(?:first|second|third|previous|last)\s+round\b", re.IGNORECASE),
    re.compile(r"(?<!-)\blanded\b|\bapplied by hand\b|\bengineers?\b", re.IGNORECASE),
    re.compile(r"\bcommit\s+`?[0-9a-f]{7,40}\b|`[0-9a-f]{7,40}`"),  # a commit hash, named or in backticks
]


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def history_lines(text: str) -> list[str]:
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if any(pattern.search(line) for pattern in HISTORY)
    ]


def test_readme_stays_an_overview():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; details belong in docs/"


def test_no_document_tells_how_the_project_was_built():
    found = {path.relative_to(ROOT).as_posix(): history_lines(path.read_text(encoding="utf-8")) for path in documents()}
    assert {path: lines for path, lines in found.items() if lines} == {}


def test_each_history_phrase_is_caught_and_product_text_is_not():
    caught = [
        "before issue 15 landed",
        "as this session measured",
        "four sessions later",
        "the round-2 grants",
        "round 2 of the audit",
        "the first round's shape",
        "at commit `c5f3580`",
        "commit 9617a7a",
        "`ff5f9b4`",
        "applied by hand",
        "other engineers' test suites",
    ]
    assert [phrase for phrase in caught if not history_lines(phrase)] == []
    kept = [
        "aws/aws-cdk#19301",
        "AWS_SESSION_TOKEN",
        "a boto3 session per account",
        "Sales Engineering",
        "round trips to Node",
        "`Data2D4B752F`",
        "a grant revoked by hand",
        "`df0671c90a558eda.json`",
        "`<mesh>-<domain>-<product>-landed`",
    ]
    assert [phrase for phrase in kept if history_lines(phrase)] == []
