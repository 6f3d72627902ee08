"""The deploy waves, and which stacks of a cloud assembly one shard of a wave deploys.

The deployment pipeline's shape does not depend on the mesh: each wave has a fixed number
of CodeBuild actions, and each action picks its share of the wave's stacks from the cloud
assembly the pipeline synthesized. A new domain therefore needs no change to the pipeline.

Run as ``python -m datamesh.delivery.waves ASSEMBLY WAVE SHARD SHARDS``: prints the stack
ids the shard deploys (SHARD counts from 0), one per line; nothing when it has none.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from datamesh.names.naming import WAVES  # standard library only, like this module

STACK_ARTIFACT = "aws:cloudformation:stack"


def wave_of(stack_id: str) -> str | None:
    """The wave a mesh stack belongs to; ``None`` for a stack outside the waves (the pipeline's own)."""
    wave = stack_id.rsplit("-", 1)[-1]
    return wave if wave in WAVES else None


def stack_ids(assembly: Path) -> list[str]:
    """Every stack of a cloud assembly, by id."""
    manifest = json.loads((assembly / "manifest.json").read_text(encoding="utf-8"))
    return [name for name, artifact in manifest["artifacts"].items() if artifact["type"] == STACK_ARTIFACT]


def shard(stacks: list[str], wave: str, index: int, count: int) -> list[str]:
    """The stacks of ``wave`` that shard ``index`` of ``count`` deploys: every count-th, by sorted id."""
    if wave not in WAVES or not 0 <= index < count:
        raise ValueError(f"no shard {index} of {count} in wave {wave!r}")
    return sorted(s for s in stacks if wave_of(s) == wave)[index::count]


def main(argv: list[str]) -> int:
    try:
        assembly, wave, index, count = Path(argv[0]), argv[1], int(argv[2]), int(argv[3])
        print("\n".join(shard(stack_ids(assembly), wave, index, count)))
    except (IndexError, ValueError, OSError, KeyError) as error:
        print(f"error: usage: python -m datamesh.delivery.waves ASSEMBLY WAVE SHARD SHARDS ({error})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
