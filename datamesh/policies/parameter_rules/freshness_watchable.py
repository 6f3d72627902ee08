"""Rule: a monitored product's staleness threshold is one CloudWatch alarm period can watch (at most 7 days)."""

from __future__ import annotations

import os

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.contracts.sla import MAX_STALENESS


def check(files: ParameterFiles) -> list[Problem]:
    """One problem per product, at its contract file (or its inline contract) when monitoring is on."""
    problems = []
    for file, domain in files.domains:
        for i, product in enumerate(domain.products):
            contract = product.data_contract
            stale = contract.staleness if contract and product.monitoring else None
            if stale is None or stale.duration is None or stale.duration <= MAX_STALENESS:
                continue
            where, field = file, f"products[{i}].contract.slaProperties"
            if isinstance(product.contract, str):
                where, field = os.path.normpath(os.path.join(os.path.dirname(file), product.contract)), "slaProperties"
            problems.append(
                Problem(
                    where,
                    field,
                    f"{stale.text} is longer than 7 days, the longest a CloudWatch alarm "
                    "watches: shorten it, or set monitoring: false on the product",
                )
            )
    return problems
