#!/usr/bin/env python3
"""Measure the catalog portal of a generated mesh: build time, size, and time to the first search result.

Builds the site with ``meshctl portal`` in a subprocess (wall seconds, as a user runs it),
sums the files, then opens ``index.html`` from ``file://`` in headless Chromium (Debian's,
through Playwright, as the browser tests do) and measures:

- **first result**: from the start of navigation to ``index.html?q=WORD`` until the first
  ranked result is in the page (parsing the index script included), median of the runs;
- **search**: the time ``meshSearch.search`` takes per query on the loaded index, median
  and maximum over a set of queries.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import PRODUCTS_PER_DOMAIN, write_mesh  # noqa: E402
from bench.run import _cpu_model, _memory_gb  # noqa: E402

QUERIES = [
    "events",
    "entities metrics",
    "domain-00500",
    "customer",
    "pii",
    "confidential",
    "string",
    "zzz",
    "metrics domain-00999",
    "id",
]


def build(mesh_file: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "datamesh.meshctl", "portal", "--out", str(out), "--mesh", str(mesh_file)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def sizes(out: Path) -> dict[str, float]:
    files = [p for p in out.rglob("*") if p.is_file()]
    search_page = ["index.html", "assets/search-index.js", "assets/search.js", "assets/portal.js", "assets/portal.css"]
    return {
        "files": len(files),
        "total_mb": sum(p.stat().st_size for p in files) / 1e6,
        "search_page_mb": sum((out / p).stat().st_size for p in search_page) / 1e6,
        "index_mb": (out / "assets/search-index.js").stat().st_size / 1e6,
        "graph_mb": (out / "graph.html").stat().st_size / 1e6,
    }


def browser(out: Path, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=["--no-sandbox"]
        )
        first = []
        for _ in range(runs):
            page = chromium.new_context().new_page()
            started = time.perf_counter()
            page.goto((out / "index.html").as_uri() + "?q=events")
            page.wait_for_selector("#results li")
            first.append((time.perf_counter() - started) * 1000)
            page.context.close()
        page = chromium.new_context().new_page()
        page.goto((out / "index.html").as_uri())
        per_query = page.evaluate(
            """(queries) => queries.map(q => {
            const t = performance.now(); meshSearch.search(window.MESH_INDEX, q); return performance.now() - t; })""",
            QUERIES,
        )
        chromium.close()
    return {
        "first_result_ms": statistics.median(first),
        "search_median_ms": statistics.median(per_query),
        "search_max_ms": max(per_query),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/portal.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, default=1000, help="mesh size (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="page loads to take the median of (default: %(default)s)")
    parser.add_argument("--work", type=Path, metavar="DIR", help="keep the mesh and the site here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="datamesh-portal-bench-") as tmp:
        work = args.work or Path(tmp)
        mesh_file = write_mesh(work / "mesh", args.domains)
        seconds = build(mesh_file, work / "site")
        size = sizes(work / "site")
        timing = browser(work / "site", args.runs)
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"Date: {date.today().isoformat()}. Command: `python bench/portal.py --domains {args.domains} "
        f"--runs {args.runs}`"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({_cpu_model()}), {_memory_gb():.0f} GB RAM; "
        f"Python {platform.python_version()}, {chromium}\n"
    )
    print(
        "| domains | products | build s | files | site MB | search page MB | index MB | graph MB "
        "| first result ms | search median ms | search max ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.domains} | {PRODUCTS_PER_DOMAIN * args.domains} | {seconds:.1f} | {size['files']} | {size['total_mb']:.1f} "
        f"| {size['search_page_mb']:.2f} | {size['index_mb']:.2f} | {size['graph_mb']:.2f} "
        f"| {timing['first_result_ms']:.0f} | {timing['search_median_ms']:.1f} | {timing['search_max_ms']:.1f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
