"""Every input is refused or accepted within a bounded CPU time and memory (tracemalloc's peak).

Nine worst cases near and beyond the reader's bounds, then random mutations of them;
each is read as a contract file and loaded, as the mesh loader does.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datamesh.config.errors import Problem
from datamesh.config.loader import read_mapping
from datamesh.config.yaml_input import MAX_DEPTH, MAX_FILE_BYTES
from datamesh.contracts import dqdl, load_contract

SECONDS = 5.0
MEGABYTES = 200
HEAD = "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n"


def nested_objects(depth: int) -> str:
    text = "schema:\n  - name: t\n    properties:\n"
    indent = "      "
    for level in range(depth):
        text += f"{indent}- name: n{level}\n{indent}  logicalType: object\n{indent}  properties:\n"
        indent += "    "
    return HEAD + text + f"{indent}- {{name: leaf, logicalType: string}}\n"


def wide_table(columns: int) -> str:
    rows = "".join(
        f"      - {{name: c{i}, logicalType: string, quality: [{{metric: nullValues, mustBe: 0}}]}}\n"
        for i in range(columns)
    )
    return HEAD + "schema:\n  - name: t\n    properties:\n" + rows


def alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return HEAD + "\n".join(lines) + "\n"


WORST = [
    nested_objects(10),
    nested_objects(30),
    nested_objects(3000),
    wide_table(1000),
    HEAD
    + "schema:\n  - name: t\n    properties:\n"
    + "".join(f"      - {{name: c{i}, logicalType: string}}\n" for i in range(20_000)),
    alias_bomb(5),
    alias_bomb(12),
    HEAD + "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    HEAD + "x: '" + "y" * (MAX_FILE_BYTES - 200) + "'\n",
]


def _load(path: Path) -> None:
    data = read_mapping(path, problems := list[Problem]())
    if data is not None:
        contract, _ = load_contract(data)
        if contract is not None:
            dqdl.ruleset(contract.tables[0])
    assert data is not None or problems


def measured(path: Path, text: str) -> tuple[float, float]:
    """CPU seconds, then peak MB (a second run, under tracemalloc), to read ``text`` as a contract and load it."""
    path.write_text(text, encoding="utf-8")
    started = time.process_time()  # CPU time: the machine is shared, wall time is not the input's doing
    _load(path)
    elapsed = time.process_time() - started
    tracemalloc.start()
    _load(path)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return elapsed, peak


def test_worst_cases_stay_within_bounds(tmp_path):
    for text in WORST:
        elapsed, peak = measured(tmp_path / "c.yaml", text)
        assert elapsed < SECONDS and peak < MEGABYTES, (text[:80], elapsed, peak)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=st.sampled_from(WORST[:3] + WORST[5:8]),
    cut=st.integers(0, 10_000),
    insert=st.sampled_from(["*a1 ", "[", "&z ", ": "]),
)
def test_mutations_stay_within_bounds(tmp_path, base, cut, insert):
    cut %= len(base)
    elapsed, peak = measured(tmp_path / "c.yaml", base[:cut] + insert + base[cut:])
    assert elapsed < SECONDS and peak < MEGABYTES
