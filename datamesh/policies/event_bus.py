"""The governance account's default event bus policy: who may put the producers' new-object events on it.

With an organization, one statement lets every principal of the organization put events
(``aws:PrincipalOrgID``): the policy stays one statement at any number of domains. A standalone mesh
needs one statement per producing domain that forwards events, and the policy grows with them; EventBridge
refuses a policy above its size quota (EventBridge user guide, "Amazon EventBridge quotas": "Event bus policy
size", 10,240 characters by default, adjustable; ``PutPermission`` answers ``PolicyLengthExceededException``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

POLICY_SIZE_LIMIT = 10_240
PUT_EVENTS = "events:PutEvents"


def default_bus(region: str, account: str) -> str:
    """ARN of ``account``'s default event bus."""
    return f"arn:aws:events:{region}:{account}:event-bus/default"


def producer_statement(sid: str, principal: str, bus: str) -> dict[str, Any]:
    """One producer account (``principal``: its root ARN) may put events on ``bus``."""
    return {"Sid": sid, "Effect": "Allow", "Principal": {"AWS": principal}, "Action": PUT_EVENTS, "Resource": bus}


def organization_statement(sid: str, organization: str, bus: str) -> dict[str, Any]:
    """Every principal of ``organization`` may put events on ``bus``."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": "*",
        "Action": PUT_EVENTS,
        "Resource": bus,
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": organization}},
    }


def policy_length(statements: Iterable[dict[str, Any]]) -> int:
    """Characters of the policy holding ``statements``, as compact JSON (how EventBridge counts its stored
    document exactly is not documented; compact JSON is the least it can be)."""
    policy = {"Version": "2012-10-17", "Statement": list(statements)}
    return len(json.dumps(policy, separators=(",", ":")))
