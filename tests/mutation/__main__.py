"""``make mutation``: cosmic-ray over the modules whose logic the fast tests must pin down.

``python -m tests.mutation [--jobs N] [--survivors] [GROUP ...]`` (default: every group, in the
order below, one job). Each group copies the tracked files into a scratch folder per job
(cosmic-ray edits the files it mutates, so the work tree is never touched), checks that its tests
pass unmutated, then runs them once per mutant. With ``--jobs N`` the pending mutants are dealt
into N copies of the session, each run by its own ``cosmic-ray exec`` in its own folder, and the
results merged back. ``--survivors`` runs the last session's surviving mutants again, against the
tests as they are now. The sessions are kept in ``.mutation/<group>.sqlite`` (``cr-report`` and
``cr-html`` read them); the summary and every surviving mutant are printed at the end.

Operators left out, and why (docs/testing.md reports the score of what is left):
binary-operator swaps other than the inverse one (``+`` to ``<<`` on strings only raises
TypeError), ``|`` and ``&`` (under ``from __future__ import annotations`` they are mostly type
hints that are never evaluated), and comparison swaps other than negation and the boundary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ROOT / ".mutation"
# Loading datamesh.config first avoids the import cycle datamesh.contracts -> config -> contracts.
PYTEST = "python -m pytest -x -q -p datamesh.config -p no:randomly -p no:cacheprovider -p no:xdist -o addopts="
KEPT_COMPARISONS = "Eq_NotEq|NotEq_Eq|Lt_LtE|LtE_Lt|Gt_GtE|GtE_Gt|In_NotIn|NotIn_In|Is_IsNot|IsNot_Is"
KEPT_ARITHMETIC = "Add_Sub|Sub_Add|Mul_Div|Div_Mul"
EXCLUDED_OPERATORS = [
    rf"core/ReplaceComparisonOperator_(?!({KEPT_COMPARISONS})$)",
    rf"core/ReplaceBinaryOperator_(?!({KEPT_ARITHMETIC})$)",
]


@dataclass(frozen=True)
class Group:
    modules: tuple[str, ...]
    tests: str  # pytest arguments: the fast tests of these modules (no end-to-end, no CDK CLI)


GROUPS = {
    "contracts": Group(
        ("datamesh/contracts",),
        "--confcutdir=tests/contracts tests/contracts "
        "tests/config/test_dqdl_meaning.py tests/config/test_real_contracts.py",
    ),
    "policies": Group(
        ("datamesh/policies", "datamesh/rules", "datamesh/annotations"),
        "tests/policies/test_parameter_rules.py tests/rules/test_resource_rules.py tests/rules/test_enforcement.py::TestViolations "
        "tests/rules/test_enforcement.py::TestExampleMesh -k 'not cfn_lint'",
    ),
    "plan": Group(
        ("datamesh/meshctl/plan.py",), "tests/meshctl/test_plan_against_templates.py tests/meshctl/test_plan.py"
    ),
    "config": Group(
        ("datamesh/config", "datamesh/names/glue_grammar.py"),
        "tests/config/test_validation.py tests/config/test_json_schemas.py "
        "tests/shares/test_share_states.py tests/policies/test_parameter_rules.py tests/config "
        # hypothesis draws differ from run to run, and the worst cases take 27 s: left out
        "--ignore=tests/config/test_properties.py --ignore=tests/config/test_fuzz_bounds.py",
    ),
    "drift": Group(
        (
            "datamesh/doctor/lake.py",
            "datamesh/doctor/grants.py",
            "datamesh/doctor/tables.py",
            "datamesh/doctor/resources.py",
            "datamesh/doctor/key_access.py",
        ),
        "tests/doctor/test_doctor.py tests/doctor/test_key_access.py",
    ),
}


def _config(group: Group, timeout: float) -> str:
    modules = ", ".join(f'"{m}"' for m in group.modules)
    excluded = ", ".join(f"'{e}'" for e in EXCLUDED_OPERATORS)
    return (
        f"[cosmic-ray]\nmodule-path = [{modules}]\ntimeout = {timeout:.0f}\nexcluded-modules = []\n"
        f'test-command = "{PYTEST} {group.tests}"\n\n[cosmic-ray.distributor]\nname = "local"\n\n'
        f"[cosmic-ray.filters.operators-filter]\nexclude-operators = [{excluded}]\n"
    )


def _scratch_copy(target: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for link in (".venv", "node_modules"):
        (target / link).symlink_to((ROOT / link).resolve())


def _run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, env=os.environ | {"PYTHONPATH": str(cwd)}, check=True, stdout=subprocess.DEVNULL)


def _pending(db: sqlite3.Connection) -> list[str]:
    return [
        job
        for (job,) in db.execute(
            "SELECT job_id FROM work_items WHERE job_id NOT IN (SELECT job_id FROM work_results) ORDER BY job_id"
        )
    ]


def _shards(session: Path, jobs: int) -> list[Path]:
    """``jobs`` copies of ``session``, the i-th keeping every ``jobs``-th pending mutant from the i-th."""
    shards = []
    for index in range(jobs):
        shard = session.with_name(f"{session.stem}.{index}.sqlite")
        shutil.copyfile(session, shard)
        with closing(sqlite3.connect(shard)) as db, db:
            dropped = [(job,) for number, job in enumerate(_pending(db)) if number % jobs != index]
            db.executemany("DELETE FROM mutation_specs WHERE job_id = ?", dropped)
            db.executemany("DELETE FROM work_items WHERE job_id = ?", dropped)
        shards.append(shard)
    return shards


def _merge(session: Path, shards: list[Path]) -> None:
    """The shards' results written back into ``session``; the shards deleted."""
    with closing(sqlite3.connect(session)) as db:
        for shard in shards:
            db.execute("ATTACH DATABASE ? AS shard", (str(shard),))
            with db:
                db.execute("INSERT OR REPLACE INTO work_results SELECT * FROM shard.work_results")
            db.execute("DETACH DATABASE shard")
            shard.unlink()


def _survivors(session: Path) -> Path:
    """A copy of ``session`` whose pending mutants are the ones that survived in it, and no others."""
    again = session.with_name(f"{session.stem}.survivors.sqlite")
    shutil.copyfile(session, again)
    survived = "SELECT job_id FROM work_results WHERE test_outcome = 'SURVIVED'"
    with closing(sqlite3.connect(again)) as db, db:
        db.execute(f"DELETE FROM mutation_specs WHERE job_id NOT IN ({survived})")
        db.execute(f"DELETE FROM work_items WHERE job_id NOT IN ({survived})")
        db.execute("DELETE FROM work_results")
    return again


def _exec(config: Path, session: Path, trees: list[Path]) -> None:
    """``cosmic-ray exec`` of the session's pending mutants, dealt across one process per tree."""
    shards = _shards(session, len(trees)) if len(trees) > 1 else [session]
    running = [
        subprocess.Popen(
            ["cosmic-ray", "exec", str(config), str(shard)],
            cwd=tree,
            env=os.environ | {"PYTHONPATH": str(tree)},
            stdout=subprocess.DEVNULL,
        )
        for shard, tree in zip(shards, trees, strict=False)
    ]
    failed = [process.args for process in running if process.wait() != 0]
    if len(trees) > 1:
        _merge(session, shards)
    if failed:
        sys.exit(f"error: {' '.join(failed[0])} failed")


def _outcomes(session: Path) -> tuple[dict[str, int], list[str]]:
    """Counts by outcome, and the surviving mutants as ``module:line operator``."""
    db = sqlite3.connect(session)
    rows = db.execute(
        "SELECT r.worker_outcome, r.test_outcome, s.module_path, s.start_pos_row, s.operator_name "
        "FROM work_results r JOIN mutation_specs s ON s.job_id = r.job_id"
    ).fetchall()
    pending = db.execute("SELECT COUNT(*) FROM work_items WHERE job_id NOT IN (SELECT job_id FROM work_results)")
    counts = {"killed": 0, "survived": 0, "incompetent": 0, "skipped": 0, "pending": pending.fetchone()[0]}
    survivors = []
    for worker, test, module, line, operator in rows:
        outcome = "skipped" if worker == "SKIPPED" else test.lower() if test else worker.lower()
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "survived":
            survivors.append(f"{module}:{line} {operator.removeprefix('core/')}")
    return counts, sorted(survivors)


def run_group(name: str, group: Group, jobs: int = 1, again: bool = False) -> None:
    """Mutate the group's modules and run its tests per mutant; ``again``: only the last session's survivors."""
    SESSIONS.mkdir(exist_ok=True)
    session = SESSIONS / f"{name}.sqlite"
    if again and not session.exists():
        sys.exit(f"error: {name}: no session {session} to take the survivors from")
    with tempfile.TemporaryDirectory(prefix=f"mutation-{name}-") as scratch:
        trees = [Path(scratch) / f"job{index}" for index in range(jobs)]
        for tree in trees:
            _scratch_copy(tree)
        tree = trees[0]
        started = time.monotonic()
        baseline = subprocess.run(
            f"{PYTEST} {group.tests}",
            shell=True,
            cwd=tree,
            capture_output=True,
            text=True,
            env=os.environ | {"PYTHONPATH": str(tree)},
        )
        if baseline.returncode != 0:
            sys.exit(f"error: {name}: the tests fail without any mutation:\n{baseline.stdout[-2000:]}")
        took = time.monotonic() - started
        config = tree / "cosmic-ray.toml"
        config.write_text(_config(group, timeout=max(60.0, 5 * took)))
        if again:
            session = _survivors(session)
        else:
            session.unlink(missing_ok=True)
            _run(["cosmic-ray", "init", str(config), str(session)], tree)
            _run(["cr-filter-operators", str(session), str(config)], tree)
        _exec(config, session, trees)
    counts, survivors = _outcomes(session)
    mutated = counts["killed"] + counts["survived"]
    score = f"{100 * counts['killed'] / mutated:.1f}% killed" if mutated else "nothing mutated"
    print(
        f"{name}{' (the survivors again)' if again else ''}: {score} ({', '.join(f'{n} {k}' for k, n in counts.items())}); "
        f"{time.monotonic() - started:.0f} s; tests unmutated {took:.0f} s"
    )
    for survivor in survivors:
        print(f"  survived: {survivor}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="cosmic-ray processes per group (default 1)")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the mutants that survived the group's last session, against the tests as they "
        "are now (the mutated modules must not have changed since), into .mutation/<group>.survivors.sqlite",
    )
    parser.add_argument("groups", nargs="*", metavar="GROUP", help=f"any of {', '.join(GROUPS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    for name in args.groups or GROUPS:
        run_group(name, GROUPS[name], args.jobs, args.survivors)


if __name__ == "__main__":
    main(sys.argv[1:])
