"""Rule: Athena can project every partition key, so new partitions are queryable without registration."""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.contracts.projection import projection_problems
from datamesh.policies.parameter_rules.files import ParameterFiles


def check(files: ParameterFiles) -> list[Problem]:
    problems = []
    for file, domain in files.domains:
        for i, product in enumerate(domain.products):
            where = f"products[{i}].contract" if product.data_contract else f"products[{i}].partition_keys"
            for key, reason in projection_problems(product):
                problems.append(Problem(file, where, f"partition key {key!r} cannot be projected: {reason}"))
    return problems
