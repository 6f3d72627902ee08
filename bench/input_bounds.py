#!/usr/bin/env python3
"""CPU seconds to read and load each worst-case contract of the fuzzing bounds test.

The test bounds their work (function calls) and memory; this measures the time they take:
min, median and max of the CPU seconds (``time.process_time``) over ``--runs`` loads of each.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.worst_inputs import NAMED, load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="loads of each case (default 5)")
    args = parser.parse_args()
    print(f"# {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {args.runs} runs")
    print("| case | min s | median s | max s |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "c.yaml"
        for name, text in NAMED.items():
            path.write_text(text, encoding="utf-8")
            seconds = []
            for _ in range(args.runs):
                started = time.process_time()
                load(path)
                seconds.append(time.process_time() - started)
            print(f"| {name} | {min(seconds):.2f} | {statistics.median(seconds):.2f} | {max(seconds):.2f} |")


if __name__ == "__main__":
    main()
