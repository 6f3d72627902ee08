"""The LF-tags of a mesh: key to allowed values, as the Governance stack creates them."""

from __future__ import annotations

from datamesh import naming
from datamesh.config import Mesh


def lf_tags(mesh: Mesh) -> dict[str, list[str]]:
    """Domain keys (see :func:`naming.domain_tags`), ``confidentiality``, ``pii`` and the organisation's own."""
    taxonomy = mesh.config.taxonomy
    return {
        **naming.domain_tags(d.name for d in mesh.domains),
        "confidentiality": taxonomy.confidentiality,
        "pii": ["true", "false"],
        **taxonomy.tags,
    }
