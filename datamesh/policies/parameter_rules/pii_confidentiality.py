"""Rule: a product with pii columns is at least ``policies.pii_min_confidentiality``."""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.policies.classification import rank


def check(files: ParameterFiles) -> list[Problem]:
    config = files.config
    minimum = config.policies.pii_min_confidentiality
    problems = []
    for file, field, product in files.products():
        pii = product.pii_columns_and_partition_keys
        if pii and rank(config, product.confidentiality) < rank(config, minimum):
            problems.append(
                Problem(
                    file,
                    f"{field}.confidentiality",
                    f"{product.confidentiality!r} is below {minimum!r}, the minimum for a product with pii columns "
                    f"({', '.join(pii)}); raise it or set mesh.yaml policies.pii_min_confidentiality",
                )
            )
    return problems
