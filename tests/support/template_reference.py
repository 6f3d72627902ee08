"""Reference templates: what the app writes for three meshes, as committed.

The stacks and constructs are written for few jsii round trips (L1 resources where the L2
constructs' defaults cost the most); what they write must not change unless meant to. The
reference holds the SHA-256 of every template and of ``manifest.json`` of the cloud assembly of

- ``example``: the example mesh (``mesh.yaml``), whose files are also kept whole, to read a diff;
- ``example-allow-destroy``: the same with ``-c allow-destroy=true`` (stateful resources deleted with their stack);
- ``example-delivery``: the example mesh delivered from a tooling account (the pipeline stack);
- ``generated-30``: ``bench/generate.py``'s 30-domain mesh (seed 0, with delivery),

synthesized with the context the CDK CLI passes (construct paths in the metadata), so a
changed property, logical id, construct path, tag or dependency changes a digest.

``python -m tests.support.template_reference`` rewrites them: run it only when a template is meant
to change, and read the diff of the example's files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml
from aws_cdk import App

from bench.assembly import CLI_CONTEXT
from bench.generate import CONNECTION, TOOLING_ACCOUNT, write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.config import load_mesh

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).with_name("template_reference")
DIGESTS = REFERENCE / "digests.json"
WHOLE = REFERENCE / "example"  # the example mesh's files, whole
CASES = ("example", "example-allow-destroy", "example-delivery", "generated-30")
UPDATE_COMMAND = "python -m tests.support.template_reference"
TODAY = date(2026, 12, 7)  # the day the shares are judged on (an expired subscription grants nothing)


def mesh_file(case: str, work: Path) -> Path:
    """The mesh.yaml of ``case``, written under ``work`` when it is not the example mesh itself."""
    if case in ("example", "example-allow-destroy"):
        return ROOT / "mesh.yaml"
    if case == "example-delivery":
        target = work / case
        shutil.copytree(ROOT / "domains", target / "domains")
        settings = yaml.safe_load((ROOT / "mesh.yaml").read_text())
        settings["delivery"] = {
            "tooling_account": TOOLING_ACCOUNT,
            "repository": "acme/mesh",
            "connection_arn": CONNECTION,
        }
        (target / "mesh.yaml").write_text(yaml.safe_dump(settings, sort_keys=False))
        return target / "mesh.yaml"
    if case == "generated-30":
        return write_mesh(work / case, 30, seed=0)
    raise ValueError(case)


def synthesize(case: str, work: Path) -> dict[str, bytes]:
    """File name to content of every template and of the manifest of ``case``'s cloud assembly."""
    outdir = work / f"{case}.out"
    app = App(outdir=str(outdir), context=CLI_CONTEXT)
    build_mesh(app, load_mesh(mesh_file(case, work)).as_of(TODAY), allow_destroy=case == "example-allow-destroy")
    app.synth()
    return {
        p.name: p.read_bytes()
        for p in sorted(outdir.iterdir())
        if p.name.endswith(".template.json") or p.name == "manifest.json"
    }


def digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="template-reference-") as tmp:
        synthesized = {case: synthesize(case, Path(tmp)) for case in CASES}
    shutil.rmtree(WHOLE, ignore_errors=True)
    WHOLE.mkdir(parents=True)
    for name, content in synthesized["example"].items():
        (WHOLE / name).write_bytes(content)
    DIGESTS.write_text(json.dumps({case: digests(files) for case, files in synthesized.items()}, indent=2) + "\n")
    print(f"wrote {DIGESTS} and {WHOLE}")


if __name__ == "__main__":
    main()
