"""The mesh's KPIs that the files alone give: domains, products, shares, coverage, pii."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from datamesh.config import Mesh, ShareState
from datamesh.contracts import dqdl


def product_refs(mesh: Mesh) -> list[str]:
    return [f"{d.name}.{p.name}" for d in mesh.domains for p in d.products]


def from_files(mesh: Mesh, today: date, expiring_within: int) -> dict[str, Any]:
    """KPIs of the mesh on ``today``; shares expiring within ``expiring_within`` days are listed."""
    products = [(d, p) for d in mesh.domains for p in d.products]
    contracts = [p.data_contract for _, p in products if p.data_contract is not None]
    shares = mesh.shares(today)
    granted = {(s.producer, s.product) for s in shares if s.state is ShareState.GRANTED}
    horizon = today + timedelta(days=expiring_within)
    by_confidentiality = Counter(p.confidentiality for _, p in products)
    return {
        "domains": {"total": len(mesh.domains), "producers": len(mesh.producers), "consumers": len(mesh.consumers)},
        "products": {
            "total": len(products),
            "by_confidentiality": {
                level: by_confidentiality.get(level, 0) for level in mesh.config.taxonomy.confidentiality
            },
            "with_contract": len(contracts),
            "with_quality_rules": sum(1 for c in contracts if any(dqdl.rules(t) for t in c.tables)),
            "with_freshness_sla": sum(1 for c in contracts if c.freshness),
            "with_contract_owner": sum(1 for c in contracts if c.owner),
            "without_consumers": [f"{d.name}.{p.name}" for d, p in products if (d.name, p.name) not in granted],
        },
        # the analyst role alone reads for a consumer domain that lists no principals
        "principals": {d.name: len(d.readers) for d in mesh.consumers},
        "pii": {
            "columns": sum(len(p.pii_columns_and_partition_keys) for _, p in products),
            "products": sum(1 for _, p in products if p.pii_columns_and_partition_keys),
        },
        "shares": {
            "total": len(shares),
            "by_state": {state.value: sum(1 for s in shares if s.state is state) for state in ShareState},
            "expiring": [
                {"consumer": s.consumer, "product": f"{s.producer}.{s.product}", "expires": s.expires.isoformat()}
                for s in shares
                if s.state is ShareState.GRANTED and s.expires is not None and s.expires <= horizon
            ],
        },
    }
