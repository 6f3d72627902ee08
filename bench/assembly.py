"""Reading a synthesized cloud assembly: its stacks, their sizes and the deploy waves they need."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# What the CDK CLI (2.1148, default settings) adds to an app's context on `cdk synth`,
# so that an app run without the CLI writes the same templates.
CLI_CONTEXT = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:disable-version-reporting": True,
    "aws:cdk:bundling-stacks": ["**"],
}


@dataclass(frozen=True)
class StackInfo:
    id: str
    account: str
    region: str
    resources: int
    template_bytes: int
    template_file: Path


def _stack_artifacts(outdir: Path) -> dict[str, dict]:
    artifacts = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    return {k: v for k, v in artifacts.items() if v["type"] == "aws:cloudformation:stack"}


def read_assembly(outdir: Path) -> list[StackInfo]:
    """Every stack of the assembly in ``outdir``, in manifest order."""
    stacks = []
    for artifact_id, artifact in _stack_artifacts(outdir).items():
        template_file = outdir / artifact["properties"]["templateFile"]
        account, region = artifact["environment"].removeprefix("aws://").split("/")
        resources = len(json.loads(template_file.read_text(encoding="utf-8")).get("Resources", {}))
        stacks.append(StackInfo(artifact_id, account, region, resources, template_file.stat().st_size, template_file))
    return stacks


def dependencies(outdir: Path) -> dict[str, set[str]]:
    """Every stack of the assembly with the stacks it deploys after, directly or not."""
    direct = {name: set(a.get("dependencies", [])) for name, a in _stack_artifacts(outdir).items()}

    def after(name: str) -> set[str]:
        found = set(direct[name] & direct.keys())
        for needed in direct[name] & direct.keys():
            found |= after(needed)
        return found

    return {name: after(name) for name in direct}


def deploy_waves(outdir: Path) -> int:
    """Length of the longest dependency chain between stacks: the waves a deployment needs."""
    stacks = _stack_artifacts(outdir)
    depth: dict[str, int] = {}

    def wave(name: str) -> int:
        if name not in depth:
            depth[name] = 1 + max((wave(d) for d in stacks[name].get("dependencies", []) if d in stacks), default=0)
        return depth[name]

    return max(map(wave, stacks))


def changed_templates(before: Path, after: Path) -> list[str]:
    """Stacks of ``before`` whose template differs byte for byte in ``after`` (or is gone)."""
    new = {s.id: s.template_file for s in read_assembly(after)}
    return sorted(
        s.id for s in read_assembly(before) if s.id not in new or s.template_file.read_bytes() != new[s.id].read_bytes()
    )
