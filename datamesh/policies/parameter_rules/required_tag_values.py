"""Rule: every value the files give a required resource tag is there, as ``DataMesh::RequiredTags`` wants it.

Each stack tags its resources ``datamesh:mesh``, ``datamesh:domain``, ``datamesh:owner``,
``datamesh:cost-centre`` and ``datamesh:confidentiality`` with values from the files (the mesh's and
domain's names, the owner's email and cost centre, a level of the taxonomy: any level may become a
stack's, the lowest for an Access stack granted nothing). ``DataMesh::RequiredTags`` refuses, at
synthesis, a resource whose tag that ``policies.required_tags`` names is missing or empty
(:func:`absent`); this rule refuses the value in the files first.
"""

from __future__ import annotations

from typing import Any

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles


def absent(value: Any) -> bool:
    """Whether a resource tag's value counts as missing: none, or empty."""
    return not value


def check(files: ParameterFiles) -> list[Problem]:
    config = files.config
    required = set(config.policies.required_tags)
    given = [(files.mesh_file, "name", "mesh", config.name)]
    given += [
        (files.mesh_file, f"taxonomy.confidentiality[{i}]", "confidentiality", level)
        for i, level in enumerate(config.taxonomy.confidentiality)
    ]
    for file, domain in files.domains:
        given += [
            (file, "name", "domain", domain.name),
            (file, "owner.email", "owner", domain.owner.email),
            (file, "owner.cost_centre", "cost-centre", domain.owner.cost_centre),
        ]
    return [
        Problem(
            file,
            field,
            f"{value!r} is the value of the resource tag datamesh:{tag}, which "
            "policies.required_tags requires to be set (DataMesh::RequiredTags)",
        )
        for file, field, tag, value in given
        if tag in required and absent(value)
    ]
