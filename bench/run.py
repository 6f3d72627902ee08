#!/usr/bin/env python3
"""Synthesize generated meshes of several sizes and report what it costs.

For each size: generate a mesh (bench/generate.py), synthesize it with ``python app.py``
in a subprocess, the way ``cdk synth`` runs it, then synthesize the "L1 floor"
(bench/floor_app.py: a plain CDK app that writes the same templates from generic L1 resources,
rebuilt from the mesh's cloud assembly; the run stops if any template differs). Reports domains, stacks, resources, the largest stack and
template, deploy waves, wall and CPU seconds, peak memory and the ratio to the floor; then
the cost per domain (least-squares line), which templates change as the largest mesh's
last two domains (a producer, then a producer and consumer) join it in turn, and what
onboarding its last domain costs with ``-c since=HEAD`` (a git repository holding the
project's code and the mesh without that domain), beside the full synthesis.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from assembly import CLI_CONTEXT, changed_templates, deploy_waves, read_assembly
from generate import domain_name, is_consumer, write_mesh

from datamesh.blueprint.targeted import CODE
from datamesh.config import load_mesh
from datamesh.config.loader import MAX_LF_TAG_VALUES

ROOT = Path(__file__).resolve().parent.parent
FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
SAMPLE_SECONDS = 0.05


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    load_start: float
    """1-minute load average when the run started: other work on the machine inflates wall seconds."""
    load: float
    """1-minute load average when the run ended."""


@dataclass(frozen=True)
class Row:
    domains: int
    stacks: int
    resources: int
    max_resources: int
    max_template_kb: float
    waves: int
    synth: Run
    floor: Run

    @property
    def floor_ratio(self) -> float:
        return self.synth.seconds / self.floor.seconds

    @property
    def cpu_ratio(self) -> float:
        """The ratio of CPU seconds, steadier than wall seconds when other work shares the machine."""
        return self.synth.cpu_seconds / self.floor.cpu_seconds


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants (Python and the jsii Node runtime)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        proc = Path(f"/proc/{pid}")
        try:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in (proc / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # exited between two reads
    return total


def synthesize(app: Path, context: dict, outdir: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``python <app>`` with the context ``cdk synth`` would pass; measure the process tree.

    CPU seconds are those of the app and of the Node process it waited for; peak memory is
    the largest sum of resident memory over the tree, sampled every 50 ms.
    """
    environ = {
        **os.environ,
        **(env or {}),
        "CDK_CONTEXT_JSON": json.dumps({**CLI_CONTEXT, **context}),
        "CDK_OUTDIR": str(outdir),
    }
    load_start = os.getloadavg()[0]
    before = os.times()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen([sys.executable, str(app)], cwd=ROOT, env=environ, stderr=stderr)
        peak_kb = 0
        while proc.poll() is None:
            peak_kb = max(peak_kb, _tree_rss_kb(proc.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{app.name} failed ({proc.returncode}):\n{stderr.read().decode(errors='replace')}")
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(seconds, cpu, peak_kb / 1024, load_start, os.getloadavg()[0])


def measure(domains: int, seed: int, work: Path, env: dict[str, str]) -> tuple[Row, Path]:
    mesh_file = write_mesh(work / f"mesh-{domains}", domains, seed)
    outdir = work / f"out-{domains}"
    mesh_run = synthesize(ROOT / "app.py", {"mesh": str(mesh_file)}, outdir, env)
    stacks = read_assembly(outdir)
    floor_out = work / f"floor-out-{domains}"
    floor_run = synthesize(FLOOR_APP, {"floor-assembly": str(outdir)}, floor_out, env)
    if differing := changed_templates(outdir, floor_out):
        raise SystemExit(f"the floor's templates differ from the mesh's: {', '.join(differing)}")
    row = Row(
        domains=domains,
        stacks=len(stacks),
        resources=sum(s.resources for s in stacks),
        max_resources=max(s.resources for s in stacks),
        max_template_kb=max(s.template_bytes for s in stacks) / 1024,
        waves=deploy_waves(outdir),
        synth=mesh_run,
        floor=floor_run,
    )
    return row, outdir


@dataclass(frozen=True)
class Onboarding:
    joined: int
    """Index of the domain that joined (the mesh had that many domains before)."""
    granted: int
    """Subscriptions of the new domain that the mesh grants (pending ones create nothing)."""
    changed: list[str]
    """Existing stacks whose templates differ afterwards."""


def onboarding(domains: int, seed: int, work: Path, largest: Path, env: dict[str, str]) -> list[Onboarding]:
    """What changes as the last two domains of the largest mesh join it in turn.

    Synthesizes the meshes of ``domains - 2`` and ``domains - 1`` domains; ``largest`` is the
    cloud assembly of ``domains`` domains, already synthesized.
    """
    outdirs = {domains: largest}
    for n in (domains - 2, domains - 1):
        outdirs[n] = work / f"out-{n}"
        synthesize(ROOT / "app.py", {"mesh": str(write_mesh(work / f"mesh-{n}", n, seed))}, outdirs[n], env)
    mesh = load_mesh(work / f"mesh-{domains}" / "mesh.yaml")
    return [
        Onboarding(n, len(mesh.granted_shares(consumer=domain_name(n))), changed_templates(outdirs[n], outdirs[n + 1]))
        for n in (domains - 2, domains - 1)
    ]


@dataclass(frozen=True)
class Targeted:
    domains: int
    run: Run
    built: list[str]
    """Stacks the targeted synthesis built."""
    identical: bool
    """Every template it built is byte-identical to the full synthesis's."""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
        check=True,
        capture_output=True,
    )


def targeted(domains: int, seed: int, work: Path, full: Path, env: dict[str, str]) -> Targeted:
    """Synthesize the mesh of ``domains`` domains with ``-c since=HEAD``, HEAD holding it without its last domain.

    The repository holds a copy of the project's code (so the code is unchanged since HEAD) and
    the mesh; ``full`` is the cloud assembly of the full synthesis of the same mesh.
    """
    repo = work / f"targeted-{domains}"
    for path in CODE:
        if (ROOT / path).is_dir():
            shutil.copytree(ROOT / path, repo / path, ignore=shutil.ignore_patterns("__pycache__"))
        elif (ROOT / path).exists():
            shutil.copy(ROOT / path, repo / path)
    write_mesh(repo, domains - 1, seed)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", f"{domains - 1} domains")
    mesh_file = write_mesh(repo, domains, seed)
    outdir = work / f"targeted-out-{domains}"
    run = synthesize(repo / "app.py", {"mesh": str(mesh_file), "since": "HEAD"}, outdir, env)
    built = {s.id: s.template_file for s in read_assembly(outdir)}
    whole = {s.id: s.template_file for s in read_assembly(full)}
    identical = all(f.read_bytes() == whole[id].read_bytes() for id, f in built.items())
    return Targeted(domains, run, sorted(built), identical)


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope and intercept."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def report(rows: list[Row], onboard: list[Onboarding], since: Targeted | None, command: str) -> str:
    lines = [
        f"Date: {date.today().isoformat()}. Command: `{command}`",
        f"Machine: {os.cpu_count()} CPUs ({_cpu_model()}), {_memory_gb():.0f} GB RAM; "
        f"Python {platform.python_version()}, Node {_node_version()}",
        "",
        "| domains | stacks | resources | max resources/stack | max template KB | waves "
        "| synth s | synth CPU s | peak MB | floor s | floor CPU s | floor peak MB | synth / floor | CPU ratio "
        "| load (start, end) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.domains} | {r.stacks} | {r.resources} | {r.max_resources} | {r.max_template_kb:.1f} | {r.waves} "
            f"| {r.synth.seconds:.1f} | {r.synth.cpu_seconds:.1f} | {r.synth.peak_mb:.0f} "
            f"| {r.floor.seconds:.1f} | {r.floor.cpu_seconds:.1f} | {r.floor.peak_mb:.0f} "
            f"| {r.floor_ratio:.2f} | {r.cpu_ratio:.2f} | {r.synth.load_start:.1f}, {r.floor.load:.1f} |"
        )
    if len(rows) > 1:
        xs = [float(r.domains) for r in rows]
        lines.append("")
        for label, ys in (
            ("synth wall", [r.synth.seconds for r in rows]),
            ("synth CPU", [r.synth.cpu_seconds for r in rows]),
            ("floor wall", [r.floor.seconds for r in rows]),
        ):
            slope, intercept = linear_fit(xs, ys)
            lines.append(
                f"- Cost per domain, {label} (least squares): {slope * 1000:.0f} ms/domain + {intercept:.1f} s"
            )
        slope, intercept = linear_fit(xs, [r.synth.peak_mb for r in rows])
        lines.append(f"- Peak memory per domain (least squares): {slope:.2f} MB/domain + {intercept:.0f} MB")
    for step in onboard:
        role = (
            f"producer and consumer, {step.granted} subscription(s) granted" if is_consumer(step.joined) else "producer"
        )
        lines.append(
            f"- Onboarding {step.joined} -> {step.joined + 1} domains ({domain_name(step.joined)} joins as a {role}): "
            f"{len(step.changed)} existing template(s) differ: {', '.join(step.changed) or 'none'}"
        )
    if since is not None:
        full = next(r for r in rows if r.domains == since.domains)
        lines.append(
            f"- Onboarding {domain_name(since.domains - 1)} into {since.domains} domains with `-c since=HEAD`: "
            f"{since.run.seconds:.1f} s ({since.run.cpu_seconds:.1f} CPU s, {since.run.peak_mb:.0f} MB, "
            f"load {since.run.load:.1f}) against {full.synth.seconds:.1f} s for the full synthesis; "
            f"{len(since.built)} stack(s) built ({', '.join(since.built)}), templates byte-identical "
            f"to the full synthesis's: {'yes' if since.identical else 'NO'}"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _node_version() -> str:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not found"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="10,100,300,1000",
        metavar="N,N,...",
        help="domain counts, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default: %(default)s)")
    parser.add_argument(
        "--work",
        type=Path,
        metavar="DIR",
        help="keep meshes and cloud assemblies here (default: a temporary folder, removed)",
    )
    parser.add_argument(
        "--no-onboarding",
        action="store_true",
        help="skip the two extra synths (the largest mesh less one and less two domains) that check onboarding",
    )
    parser.add_argument(
        "--no-targeted",
        action="store_true",
        help="skip the synthesis of the largest mesh with -c since=HEAD (its last domain onboarded)",
    )
    parser.add_argument(
        "--no-validation",
        action="store_true",
        help="turn off CDK's built-in template validation (CDK_VALIDATION=false), as `cdk synth --no-validation` does",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if sizes[0] < 3 or sizes[-1] > MAX_LF_TAG_VALUES:
        parser.error(f"every size must be from 3 to {MAX_LF_TAG_VALUES} domains (the most a mesh holds)")
    env = {"CDK_VALIDATION": "false"} if args.no_validation else {}

    with tempfile.TemporaryDirectory(prefix="datamesh-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows, outdir = [], work
        for size in sizes:
            row, outdir = measure(size, args.seed, work, env)
            rows.append(row)
            print(
                f"{size} domains: {row.synth.seconds:.1f} s ({row.synth.cpu_seconds:.1f} CPU s), "
                f"{row.synth.peak_mb:.0f} MB; floor {row.floor.seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        since = None if args.no_targeted else targeted(sizes[-1], args.seed, work, outdir, env)
        if since is not None:
            print(f"{sizes[-1]} domains, -c since=HEAD: {since.run.seconds:.1f} s", file=sys.stderr, flush=True)
        onboard = [] if args.no_onboarding else onboarding(sizes[-1], args.seed, work, outdir, env)
    if args.json:
        args.json.write_text(
            json.dumps([{**asdict(r), "floor_ratio": r.floor_ratio, "cpu_ratio": r.cpu_ratio} for r in rows], indent=2)
            + "\n"
        )
    print(
        report(rows, onboard, since, " ".join(["python bench/run.py", *(argv if argv is not None else sys.argv[1:])]))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
