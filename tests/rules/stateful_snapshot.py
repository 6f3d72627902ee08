"""The logical IDs of the example mesh's stateful resources, and the command that pins them.

``python -m tests.rules.stateful_snapshot`` rewrites ``stateful_resources.json``: run it
only when replacing a bucket, key or database is intended (see docs/governance.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from datamesh.config import load_mesh

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = Path(__file__).with_name("stateful_resources.json")
STATEFUL_TYPES = ("AWS::Glue::Database", "AWS::KMS::Key", "AWS::S3::Bucket")
UPDATE_COMMAND = "python -m tests.rules.stateful_snapshot"


def stateful_ids(templates: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Stack id to {logical id: resource type} of its buckets, keys and Glue databases."""
    return {
        stack: {lid: r["Type"] for lid, r in sorted(template["Resources"].items()) if r["Type"] in STATEFUL_TYPES}
        for stack, template in sorted(templates.items())
    }


def render(ids: dict[str, dict[str, str]]) -> str:
    return json.dumps(ids, indent=2) + "\n"


def main() -> None:
    stacks = build_mesh(App(), load_mesh(ROOT / "mesh.yaml"))
    SNAPSHOT.write_text(render(stateful_ids({s.node.id: Template.from_stack(s).to_json() for s in stacks.all()})))
    print(f"wrote {SNAPSHOT}")


if __name__ == "__main__":
    main()
