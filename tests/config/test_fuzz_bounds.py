"""Every input is refused or accepted within bounded work and memory.

Work is the number of Python and C function calls the load makes (``sys.setprofile``):
deterministic, so the bound holds on any machine and under any load; the CPU seconds the
same cases take are measured in bench/input_bounds.py. Memory is tracemalloc's peak.
Nine worst cases near and beyond the reader's bounds, then random mutations of them;
each is read as a contract file and loaded, as the mesh loader does.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.worst_inputs import WORST, load

CALLS = 20_000_000  # the largest worst case makes about 3.3 million
MEGABYTES = 200


def measured(path: Path, text: str) -> tuple[int, float]:
    """Function calls, then peak MB (a second run, under tracemalloc), to read ``text`` as a contract and load it."""
    path.write_text(text, encoding="utf-8")
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        load(path)
    finally:
        sys.setprofile(None)
    tracemalloc.start()
    load(path)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return calls, peak


def test_worst_cases_stay_within_bounds(tmp_path):
    for text in WORST:
        calls, peak = measured(tmp_path / "c.yaml", text)
        assert calls < CALLS and peak < MEGABYTES, (text[:80], calls, peak)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    base=st.sampled_from(WORST[:3] + WORST[5:8]),
    cut=st.integers(0, 10_000),
    insert=st.sampled_from(["*a1 ", "[", "&z ", ": "]),
)
def test_mutations_stay_within_bounds(tmp_path, base, cut, insert):
    cut %= len(base)
    calls, peak = measured(tmp_path / "c.yaml", base[:cut] + insert + base[cut:])
    assert calls < CALLS and peak < MEGABYTES
