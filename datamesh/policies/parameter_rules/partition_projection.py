"""Rule: Athena can project every partition key, so new partitions are queryable without registration."""

from __future__ import annotations

import os

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.contracts.projection import projection_problems


def check(files: ParameterFiles) -> list[Problem]:
    """One problem per key, at the contract's property when a contract file declares it."""
    problems = []
    for file, domain in files.domains:
        for i, product in enumerate(domain.products):
            for table in product.tables:
                fields = {c.name: c.field for c in table.source.partition_keys} if table.source else {}
                for key, reason in projection_problems(table):
                    index = [k.name for k in table.partition_keys].index(key)
                    where, field = file, f"products[{i}].partition_keys[{index}]"
                    if isinstance(product.contract, str):
                        where, field = (
                            os.path.normpath(os.path.join(os.path.dirname(file), product.contract)),
                            fields[key],
                        )
                    elif table.source:
                        field = f"products[{i}].contract.{fields[key]}"
                    problems.append(Problem(where, field, f"partition key {key!r} cannot be projected: {reason}"))
    return problems
