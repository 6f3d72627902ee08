"""A producer account's side of freshness: its data bucket's new objects forwarded to the governance account."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import CfnTag
from aws_cdk import aws_events as events
from constructs import Construct

from datamesh.blueprint import Alerts
from datamesh.constructs.freshness_watch import landed_pattern
from datamesh.constructs.policy_document import statement
from datamesh.constructs.role import MeshRole


class LandingEvents(Construct):
    """An EventBridge rule on the producer's default bus matching new objects of its watched products,
    with the governance account's default bus as target, through a role EventBridge assumes (a target bus
    in another account).

    :param alerts: the blueprint's monitoring of the domain.
    :param governance_bus: ARN of the governance account's default event bus.
    :param tags: the stack's tags.
    """

    def __init__(
        self, scope: Construct, id: str, *, alerts: Alerts, governance_bus: str, tags: Mapping[str, str]
    ) -> None:
        super().__init__(scope, id)
        role = MeshRole(
            self,
            "Role",
            role_name=alerts.landing_role,
            assumed_by={"Service": "events.amazonaws.com"},
            description=f"EventBridge forwards new objects of domain {alerts.domain} to governance",
            tags=tags,
        )
        role.add_to_policy(
            statement(sid="PutOnGovernanceBus", actions=["events:PutEvents"], resources=[governance_bus])
        )
        events.CfnRule(
            self,
            "Rule",
            name=alerts.landing_rule,
            description=f"New objects of the watched products of domain {alerts.domain}",
            event_pattern=landed_pattern(alerts.bucket, [w.prefix for w in alerts.watches if w.rule]),
            targets=[events.CfnRule.TargetProperty(id="Governance", arn=governance_bus, role_arn=role.role_arn)],
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
