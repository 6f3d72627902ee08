"""Rule: a standalone mesh's governance event bus policy stays within EventBridge's size quota.

Each producing domain with a product whose freshness is watched puts its new objects on the governance
account's default bus; without ``organization`` the bus policy names each such producer account
(:mod:`datamesh.policies.event_bus`), and EventBridge refuses the statement that makes it too long.
"""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.names import naming
from datamesh.policies.event_bus import POLICY_SIZE_LIMIT, default_bus, policy_length, producer_statement


def check(files: ParameterFiles) -> list[Problem]:
    """One problem, at ``mesh.yaml``'s ``organization``, when the standalone mesh's statements do not fit."""
    cfg = files.config
    if cfg.organization is not None:
        return []
    bus = default_bus(cfg.region, cfg.governance_account)
    statements = [
        producer_statement(naming.landing_rule(cfg.name, domain.name), f"arn:aws:iam::{domain.account}:root", bus)
        for _, domain in files.domains
        if any(
            p.monitoring and p.data_contract and p.data_contract.staleness and p.data_contract.staleness.duration
            for p in domain.products
        )
    ]
    length = policy_length(statements)
    if not statements or length <= POLICY_SIZE_LIMIT:
        return []
    return [
        Problem(
            files.mesh_file,
            "organization",
            f"{len(statements)} producing domains forward new objects to the governance account: its event bus "
            f"policy would name each account ({length} characters), above EventBridge's quota of "
            f"{POLICY_SIZE_LIMIT}; set organization (one statement for the whole organization), or turn "
            "monitoring off on some products",
        )
    ]
