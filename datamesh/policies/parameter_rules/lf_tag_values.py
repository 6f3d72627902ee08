"""Rule: each taxonomy LF-tag of mesh.yaml has at most 50 values, what one Lake Formation call creates."""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.names import naming


def check(files: ParameterFiles) -> list[Problem]:
    taxonomy = files.config.taxonomy
    lists = {
        "taxonomy.confidentiality": taxonomy.confidentiality,
        **{f"taxonomy.tags.{key}": values for key, values in taxonomy.tags.items()},
    }
    limit = naming.LF_TAG_VALUES_PER_CALL
    return [
        Problem(files.mesh_file, field, f"{len(values)} values: an LF-tag is created with at most {limit}")
        for field, values in lists.items()
        if len(values) > limit
    ]
