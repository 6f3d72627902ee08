"""Contract texts near and beyond the reader's bounds, and the load the mesh loader does on them.

The fuzzing bounds test (tests/config/test_fuzz_bounds.py) holds their work and memory within
bounds; bench/input_bounds.py measures their CPU time.
"""

from __future__ import annotations

from pathlib import Path

from datamesh.config.errors import Problem
from datamesh.config.loader import read_mapping
from datamesh.config.yaml_input import MAX_DEPTH, MAX_FILE_BYTES
from datamesh.contracts import dqdl, load_contract

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


NAMED = {
    "objects nested 10 deep": nested_objects(10),
    "objects nested 30 deep": nested_objects(30),
    "objects nested 3000 deep": nested_objects(3000),
    "1000 columns with a quality rule each": wide_table(1000),
    "20,000 columns": HEAD
    + "schema:\n  - name: t\n    properties:\n"
    + "".join(f"      - {{name: c{i}, logicalType: string}}\n" for i in range(20_000)),
    "aliases 5 levels deep": alias_bomb(5),
    "aliases 12 levels deep": alias_bomb(12),
    "flow lists one past the depth bound": HEAD + "x: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
    "one string near the file-size bound": HEAD + "x: '" + "y" * (MAX_FILE_BYTES - 200) + "'\n",
}
WORST = list(NAMED.values())


def load(path: Path) -> None:
    data = read_mapping(path, problems := list[Problem]())
    if data is not None:
        contract, _ = load_contract(data)
        if contract is not None:
            dqdl.ruleset(contract.tables[0])
    assert data is not None or problems
