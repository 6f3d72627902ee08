"""EventBridge: ``AWS::Events::EventBusPolicy`` on moto's backend, and SNS topics as rule targets.

moto's rules deliver to SQS, log groups, archives and event buses (other accounts' too) and
raise ``NotImplementedError`` for an SNS topic; here an SNS target publishes the event, as
EventBridge does, so that it reaches the topic's subscribers (an SQS queue a test reads).

A bus's resource policy holds at most 10,240 characters (EventBridge user guide, "Amazon EventBridge
quotas": "Event bus policy size", the default of an adjustable quota): a statement that makes it longer is
refused with ``PolicyLengthExceededException`` (EventBridge API reference, PutPermission), through
``PutPermission`` and the CloudFormation type alike, and the policy stays as it was. The length is counted
on the policy as compact JSON; how EventBridge counts its stored document exactly is not documented.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.events.models import EventBus, EventsBackend, Rule, events_backends
from moto.sns.models import sns_backends
from moto.utilities.arns import parse_arn

from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource

POLICY_SIZE_LIMIT = 10_240


def _policy_length(bus: EventBus) -> int:
    policy = bus.policy
    return len(json.dumps(json.loads(policy), separators=(",", ":"))) if policy else 0


def _bounded(change: Any) -> Any:
    """``change`` of a bus's statements, undone and refused when it leaves the policy too long."""

    def bounded(self: EventBus, *args: Any, **kwargs: Any) -> None:
        kept = dict(self._statements)
        change(self, *args, **kwargs)
        length = _policy_length(self)
        if length > POLICY_SIZE_LIMIT:
            self._statements = kept
            raise Rejected(
                "PolicyLengthExceededException",
                f"The policy of event bus {self.name} would be {length} characters long, "
                f"more than the {POLICY_SIZE_LIMIT} allowed",
            )

    bounded._local = True  # type: ignore[attr-defined]
    return bounded


def _backend(account: str, region: str) -> EventsBackend:
    return events_backends[account][region]


class EventBusPolicy(LocalResource, CloudFormationModel):
    """``AWS::Events::EventBusPolicy`` with a ``Statement``: one statement of the bus's resource policy."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Events::EventBusPolicy"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> EventBusPolicy:
        made = cls(account_id, region, properties)
        made.physical_id = properties["StatementId"]
        made.update(properties)
        return made

    def update(self, properties: dict[str, Any]) -> None:
        bus = _backend(self.account_id, self.region).describe_event_bus(properties.get("EventBusName", "default"))
        bus.remove_statement(properties["StatementId"])
        bus.add_policy({"Statement": [dict(properties["Statement"], Sid=properties["StatementId"])]})

    def delete(self, account_id: str, region_name: str) -> None:
        bus = _backend(account_id, region_name).describe_event_bus(self.properties.get("EventBusName", "default"))
        bus.remove_statement(self.physical_id)


def _send_to_targets(original: Any) -> Any:
    def send_to_targets(self: Rule, event: dict[str, Any], transform_input: bool = True) -> None:
        others = [t for t in self.targets if parse_arn(t["Arn"]).service != "sns"]
        topics = [t for t in self.targets if parse_arn(t["Arn"]).service == "sns"]
        if topics and self.event_pattern.matches_event(event):
            for target in topics:
                arn = parse_arn(target["Arn"])
                sns_backends[arn.account][arn.region].publish(message=json.dumps(event), arn=target["Arn"])
        if others:
            kept, self.targets = self.targets, others
            try:
                original(self, event, transform_input)
            finally:
                self.targets = kept

    return send_to_targets


def install() -> None:
    if not getattr(EventBus.add_policy, "_local", False):
        EventBus.add_policy = _bounded(EventBus.add_policy)  # type: ignore[method-assign]
        EventBus.add_permission = _bounded(EventBus.add_permission)  # type: ignore[method-assign]
    if not getattr(Rule.send_to_targets, "_local", False):
        patched = _send_to_targets(Rule.send_to_targets)
        patched._local = True  # type: ignore[attr-defined]
        Rule.send_to_targets = patched  # type: ignore[method-assign]
