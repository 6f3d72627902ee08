"""Rule: the levels named in ``mesh.yaml``'s ``policies`` are levels of its taxonomy."""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles


def check(files: ParameterFiles) -> list[Problem]:
    levels = files.config.taxonomy.confidentiality
    settings = files.config.policies
    return [
        Problem(
            files.mesh_file,
            f"policies.{field}",
            f"{value!r} is not a level of taxonomy.confidentiality ({', '.join(levels)})",
        )
        for field, value in (
            ("sharing_limit", settings.sharing_limit),
            ("pii_min_confidentiality", settings.pii_min_confidentiality),
        )
        if value not in levels
    ]
