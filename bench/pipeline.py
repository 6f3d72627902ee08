#!/usr/bin/env python3
"""Measure the deployment pipeline of the bench mesh at several sizes (docs/benchmarks.md, docs/delivery.md).

For each size: the pipeline stack synthesized alone (its shape does not depend on the other
stacks), its stages, actions and resources, how many stacks each wave and its busiest shard
deploy, and what cfn-lint finds with informational checks (I1022, a preference about how
the CDK writes strings, left out as in tests/delivery/test_pipeline_policies.py). ``python bench/pipeline.py --domains 10 100 1000``.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from pathlib import Path

from aws_cdk import App, RemovalPolicy
from cfnlint.api import ManualArgs, lint_file

from bench.generate import write_mesh
from datamesh.app.mesh_app import FEATURE_FLAGS
from datamesh.blueprint import blueprint
from datamesh.config import load_mesh
from datamesh.delivery.waves import WAVES, wave_of
from datamesh.stacks.pipeline import PipelineStack


def measure(domains: int, work: Path) -> dict[str, object]:
    mesh = load_mesh(write_mesh(work / f"mesh-{domains}", domains))
    assert mesh.config.delivery is not None
    started = time.perf_counter()
    app = App(context=FEATURE_FLAGS, outdir=str(work / f"out-{domains}"))
    PipelineStack(app, "Pipeline", mesh=mesh, removal_policy=RemovalPolicy.RETAIN)
    app.synth()
    seconds = time.perf_counter() - started
    lint = ManualArgs(regions=[mesh.config.region], include_checks=["I"], ignore_checks=["I1022"])
    template_file = work / f"out-{domains}" / "Pipeline.template.json"
    template = json.loads(template_file.read_text(encoding="utf-8"))
    (pipeline,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::CodePipeline::Pipeline"]
    stages = pipeline["Properties"]["Stages"]
    ids = [s.id for s in blueprint(mesh).stacks]
    shards = mesh.config.delivery.deploy_shards
    per_wave = {w: sum(wave_of(i) == w for i in ids) for w in WAVES}
    busiest = {w: math.ceil(n / (1 if w == "Governance" else shards)) for w, n in per_wave.items()}
    return {
        "domains": domains,
        "stacks": len(ids),
        "stages": len(stages),
        "actions": sum(len(s["Actions"]) for s in stages),
        "max_actions_per_stage": max(len(s["Actions"]) for s in stages),
        "resources": len(template["Resources"]),
        "template_kb": round(template_file.stat().st_size / 1024, 1),
        "synth_s": round(seconds, 1),
        "stacks_per_wave": per_wave,
        "busiest_shard": busiest,
        "cfn_lint": len(lint_file(template_file, lint)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/pipeline.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--domains", type=int, nargs="+", default=[10, 100, 1000], metavar="N")
    args = parser.parse_args(argv)
    print(
        "| domains | stacks | stages | actions | max actions/stage | resources | template KB | synth s "
        "| stacks per wave (G/S/C/A) | busiest shard (G/S/C/A) | cfn-lint -c I |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for n in args.domains:
            r = measure(n, Path(work))
            waves = "/".join(str(v) for v in r["stacks_per_wave"].values())  # type: ignore[attr-defined]
            busiest = "/".join(str(v) for v in r["busiest_shard"].values())  # type: ignore[attr-defined]
            print(
                f"| {r['domains']} | {r['stacks']} | {r['stages']} | {r['actions']} | {r['max_actions_per_stage']} "
                f"| {r['resources']} | {r['template_kb']} | {r['synth_s']} | {waves} | {busiest} | {r['cfn_lint']} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
