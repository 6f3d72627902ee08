#!/usr/bin/env python3
"""Run ``meshctl doctor``'s checks against generated meshes loaded into the local AWS, counting AWS calls.

For each size: generate a mesh (bench/generate.py), start the local AWS server process
(localaws/), put into it what ``cdk deploy`` of the mesh creates with plain boto3 calls
(tests/support/moto_deploy.py: no CDK deploy), then run doctor's checks
(:func:`datamesh.doctor.run.run_checks`, the command's own code and thread pool) and
count every AWS call with a botocore event hook on each client doctor makes: per account,
per check function (``check_*`` of the doctor modules) and per operation, and every HTTP
attempt (retries included). Prints the counts, wall and CPU seconds, and the calls per
domain between the two sizes (least squares), from which docs/benchmarks.md projects 1000
domains.
"""

from __future__ import annotations

import argparse
import contextvars
import functools
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.moto_deploy

from generate import write_mesh  # noqa: E402

from datamesh.aws import sessions as aws  # noqa: E402
from datamesh.config import load_mesh  # noqa: E402
from datamesh.doctor import lake, resources, run, tables  # noqa: E402
from localaws import control  # noqa: E402
from tests.support import moto_deploy  # noqa: E402

CHECK = contextvars.ContextVar("check", default="(opening the account)")


class Calls:
    """AWS calls doctor makes, counted by botocore's ``before-call`` and ``before-send`` events."""

    def __init__(self) -> None:
        self.by_account: Counter[str] = Counter()
        self.by_check: Counter[str] = Counter()
        self.by_operation: Counter[str] = Counter()
        self.attempts = 0
        self._hooked: set[int] = set()

    def hook(self, client: Any, account: str) -> None:
        if id(client) in self._hooked:
            return
        self._hooked.add(id(client))
        client.meta.events.register("before-call", functools.partial(self._call, account))
        client.meta.events.register("before-send", self._attempt)

    def _call(self, account: str, model: Any, **_: Any) -> None:
        self.by_account[account] += 1
        self.by_check[CHECK.get()] += 1
        self.by_operation[f"{model.service_model.service_name}:{model.name}"] += 1

    def _attempt(self, **_: Any) -> None:
        self.attempts += 1


COUNTING: list[Calls] = []  # the counter of the run under way


def _counting() -> None:
    """Hook every client doctor makes, and name the check function each call is made in."""
    made = aws.Accounts.client

    def client(self: aws.Accounts, account: str, domain: str, service: str) -> Any:
        found = made(self, account, domain, service)
        COUNTING[-1].hook(found, account)
        return found

    aws.Accounts.client = client  # type: ignore[method-assign]

    def named(name: str, check: Any) -> Any:
        @functools.wraps(check)
        def run(*args: Any, **kwargs: Any) -> Any:
            token = CHECK.set(name)
            try:
                return check(*args, **kwargs)
            finally:
                CHECK.reset(token)

        return run

    for module in (lake, resources, tables):
        for name in dir(module):
            if name.startswith("check_"):
                setattr(module, name, named(name, getattr(module, name)))


def measure(domains: int, work: Path, workers: int) -> dict[str, Any]:
    mesh = load_mesh(write_mesh(work / f"mesh-{domains}", domains))
    state = work / f"local-aws-{domains}"
    server, _ = control.start(state)
    try:
        os.environ["AWS_ENDPOINT_URL"] = server.endpoint  # moto_deploy's boto3 calls go there too
        moto_deploy.session.cache_clear()  # credentials of this server only
        started = time.perf_counter()
        moto_deploy.deploy(mesh)
        loaded = time.perf_counter() - started
        calls = Calls()
        COUNTING.append(calls)
        wall, cpu = time.perf_counter(), time.process_time()
        findings, errors = run.run_checks(
            mesh, aws.Settings(mesh.config.region, server.endpoint), date.today(), max_workers=workers
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        control.stop(state)
    governance = mesh.config.governance_account
    domain_calls = [n for account, n in calls.by_account.items() if account != governance]
    return {
        "domains": domains,
        "accounts": 1 + len(mesh.domains),
        "products": sum(len(d.products) for d in mesh.domains),
        "consumers": len(mesh.consumers),
        "shares": len(mesh.granted_shares()),
        "load_s": loaded,
        "wall_s": wall,
        "cpu_s": cpu,
        "findings": len(findings),
        "drift": sum(f.drift for f in findings),
        "errors": errors,
        "calls": sum(calls.by_account.values()),
        "attempts": calls.attempts,
        "governance_calls": calls.by_account[governance],
        "domain_account_calls": sum(domain_calls),
        "max_domain_account_calls": max(domain_calls, default=0),
        "by_check": dict(calls.by_check.most_common()),
        "by_operation": dict(calls.by_operation.most_common()),
    }


def slope(rows: list[dict[str, Any]], key: str) -> tuple[float, float]:
    """(per domain, fixed) of ``key`` over the sizes measured, least squares."""
    xs, ys = [r["domains"] for r in rows], [r[key] for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    per = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False)) / (sum((x - mx) ** 2 for x in xs) or 1)
    return per, my - per * mx


def report(rows: list[dict[str, Any]], workers: int, command: str) -> str:
    lines = [
        f"# doctor against the local AWS ({command})",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
        f"{workers} worker threads; {date.today()}",
        "",
        "| domains | accounts | products | shares | calls | HTTP attempts | governance calls | domain-account calls "
        "(max one account) | findings | drift | errors | doctor wall s | doctor CPU s | loading s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['domains']} | {r['accounts']} | {r['products']} | {r['shares']} | {r['calls']} | "
            f"{r['attempts']} | {r['governance_calls']} | {r['domain_account_calls']} "
            f"({r['max_domain_account_calls']}) | {r['findings']} | {r['drift']} | {len(r['errors'])} | "
            f"{r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['load_s']:.1f} |"
        )
    if len(rows) > 1:
        lines.append("")
        for key in ("calls", "governance_calls", "domain_account_calls", "wall_s", "cpu_s"):
            per, fixed = slope(rows, key)
            lines.append(f"- {key}: {per:.2f} per domain + {fixed:.1f}; at 1000 domains {per * 1000 + fixed:.0f}")
    largest = rows[-1]
    lines += ["", f"Calls per check function at {largest['domains']} domains:", ""]
    lines += [f"- {name}: {n}" for name, n in largest["by_check"].items()]
    lines += ["", f"Calls per operation at {largest['domains']} domains:", ""]
    lines += [f"- {name}: {n}" for name, n in largest["by_operation"].items()]
    if largest["errors"]:
        lines += ["", "Errors:", *(f"- {e}" for e in largest["errors"][:5])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/doctor.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100", help="comma-separated domain counts (default: 20,100)")
    parser.add_argument("--workers", type=int, default=run.MAX_WORKERS, help="doctor's --max-workers")
    args = parser.parse_args(argv)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": moto_deploy.REGION,
    }.items():
        os.environ[name] = value
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    moto_deploy.session = functools.cache(moto_deploy.session)  # loading: one session per account
    _counting()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(size, Path(scratch), args.workers))
            print(f"{size} domains: {rows[-1]['calls']} calls in {rows[-1]['wall_s']:.1f} s", file=sys.stderr)
    print(report(rows, args.workers, "python bench/doctor.py " + " ".join(argv if argv is not None else sys.argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
