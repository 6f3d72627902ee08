"""A producing domain's alerts: one SNS topic in the governance account, its subscribers, and the rules feeding it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import CfnResource, CfnTag
from aws_cdk import aws_events as events
from aws_cdk import aws_sns as sns
from constructs import Construct

from datamesh.blueprint import Alerts
from datamesh.constructs.policy_document import account_root, document, statement
from datamesh.policies.event_bus import default_bus, producer_statement

QUALITY_SOURCE = "aws.glue-dataquality"
# Glue guide, "Setting up alerts, deployments, and scheduling": the event Glue Data Quality sends when an
# evaluation of a Data Catalog table's rulesets ends.
QUALITY_RESULTS = "Data Quality Evaluation Results Available"


def failed_results_pattern(rulesets: Sequence[str]) -> dict:
    """Results of ``rulesets`` in which at least one rule failed."""
    return {
        "source": [QUALITY_SOURCE],
        "detail-type": [QUALITY_RESULTS],
        "detail": {"rulesetNames": list(rulesets), "rulesFailed": [{"numeric": [">", 0]}]},
    }


class DomainAlerts(Construct):
    """The topic that tells a producing domain's owner (and the platform team) what went wrong.

    Encrypted with the catalog key (EventBridge and CloudWatch may use it: the Governance stack's key
    policy), published to only over TLS, by this account's EventBridge rules and CloudWatch alarms. The
    e-mail subscriptions stay pending until each address confirms. A rule routes the domain's failed Glue
    Data Quality results to the topic; in a standalone mesh, a statement of this account's default bus
    policy lets the producer account put its bucket's events on it (with an organization, the Governance
    stack's one statement does, for every account of the organization).

    :param alerts: the blueprint's monitoring of the domain.
    :param account: the governance account.
    :param region: the mesh's region.
    :param key_alias: the catalog key's alias (``alias/...``).
    :param tags: the stack's tags.
    :param standalone: no organization: the domain's own bus policy statement. Defaults to ``True``.

    ``topic_ref`` is the topic's ARN (its ``Ref``), read once.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alerts: Alerts,
        account: str,
        region: str,
        key_alias: str,
        tags: Mapping[str, str],
        standalone: bool = True,
    ) -> None:
        super().__init__(scope, id)
        self.topic = sns.CfnTopic(
            self,
            "Topic",
            topic_name=alerts.topic,
            kms_master_key_id=key_alias,
            display_name=f"Data mesh alerts of {alerts.domain}",
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
        self.topic_ref = self.topic.ref
        publishers = [
            statement(
                sid=f"{name}Publishes",
                principal={"Service": service},
                actions=["sns:Publish"],
                resources=[self.topic_ref],
                conditions={"StringEquals": {"aws:SourceAccount": account}},
            )
            for name, service in (("EventBridge", "events.amazonaws.com"), ("CloudWatch", "cloudwatch.amazonaws.com"))
        ]
        sns.CfnTopicPolicy(
            self,
            "Policy",
            topics=[self.topic_ref],
            policy_document=document(
                [
                    statement(
                        sid="TlsOnly",
                        effect="Deny",
                        principal={"AWS": "*"},
                        actions=["sns:Publish"],
                        resources=[self.topic_ref],
                        conditions={"Bool": {"aws:SecureTransport": "false"}},
                    ),
                    *publishers,
                ]
            ),
        )
        for index, email in enumerate(alerts.emails):
            sns.CfnSubscription(self, f"Email{index}", topic_arn=self.topic_ref, protocol="email", endpoint=email)
        if alerts.rulesets:
            events.CfnRule(
                self,
                "QualityResults",
                name=alerts.results_rule,
                description=f"Failed Glue Data Quality results of domain {alerts.domain}",
                event_pattern=failed_results_pattern(alerts.rulesets),
                targets=[events.CfnRule.TargetProperty(id="Alerts", arn=self.topic_ref)],
                tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
            )
        if standalone and any(w.rule for w in alerts.watches):
            bus_policy_statement(
                self,
                "ProducerPutsEvents",
                producer_statement(alerts.landing_rule, account_root(alerts.account), default_bus(region, account)),
            )


def bus_policy_statement(scope: Construct, id: str, policy_statement: dict) -> CfnResource:
    """One statement of the default event bus's policy (its ``Sid`` is the statement id).

    The L1 class reads its deprecated Principal on construction and warns on every synth: written as a
    plain resource instead.
    """
    return CfnResource(
        scope,
        id,
        type="AWS::Events::EventBusPolicy",
        properties={
            "EventBusName": "default",
            "Statement": {k: v for k, v in policy_statement.items() if k != "Sid"},
            "StatementId": policy_statement["Sid"],
        },
    )
