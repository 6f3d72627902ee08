"""The governance account's default event bus policy in the local AWS: at most 10,240 characters (EventBridge
quotas, "Event bus policy size"); a statement past it is refused with PolicyLengthExceededException through the
API and CloudFormation alike, and the policy keeps what it had. One organization statement holds any number of
accounts."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import GOV, REGION

LIMIT = 10_240
BUS = f"arn:aws:events:{REGION}:{GOV}:event-bus/default"


def _length(events) -> int:
    policy = events.describe_event_bus(Name="default").get("Policy")
    return len(json.dumps(json.loads(policy), separators=(",", ":"))) if policy else 0


def _statement(sid: str, principal: object, condition: dict | None = None) -> dict:
    found = {
        "Type": "AWS::Events::EventBusPolicy",
        "Properties": {
            "EventBusName": "default",
            "StatementId": sid,
            "Statement": {"Effect": "Allow", "Principal": principal, "Action": "events:PutEvents", "Resource": BUS},
        },
    }
    if condition:
        found["Properties"]["Statement"]["Condition"] = condition
    return found


def test_put_permission_past_the_size_quota_is_refused_and_the_policy_kept(aws: LocalAws) -> None:
    events = aws.client("events", GOV)
    added = 0
    with pytest.raises(ClientError) as refused:
        for account in range(200_000_000_000, 200_000_001_000):
            events.put_permission(Action="events:PutEvents", Principal=str(account), StatementId=f"producer-{account}")
            added += 1
    assert refused.value.response["Error"]["Code"] == "PolicyLengthExceededException"
    assert 0 < added < 1000
    kept = _length(events)
    assert kept <= LIMIT
    # what was refused would have made it longer than the quota: one more statement of the same size
    assert kept + kept // added > LIMIT
    assert len(json.loads(events.describe_event_bus(Name="default")["Policy"])["Statement"]) == added


def test_a_template_whose_statements_outgrow_the_policy_fails_and_one_organization_statement_deploys(
    aws: LocalAws,
) -> None:
    many = {
        f"P{i}": _statement(f"acme-domain-{i:05d}-landing", {"AWS": f"arn:aws:iam::{200_000_000_000 + i}:root"})
        for i in range(100)
    }
    deployed = aws.deploy(GOV, "bus", many)
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert any("PolicyLengthExceededException" in f for f in deployed.failures)

    organization = {
        "Org": _statement("acme-organization-landing", "*", {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}})
    }
    assert aws.deploy(GOV, "bus-org", organization).status == "CREATE_COMPLETE"
    [statement] = json.loads(aws.client("events", GOV).describe_event_bus(Name="default")["Policy"])["Statement"]
    assert (statement["Sid"], statement["Condition"]) == (
        "acme-organization-landing",
        {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}},
    )
