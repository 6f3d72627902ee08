"""A product's freshness watch: a rule matching its new objects, and an alarm when it matched none for too long."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import CfnTag
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from datamesh.blueprint import Watch

S3_SOURCE = "aws.s3"
OBJECT_CREATED = "Object Created"  # Amazon S3 user guide, "EventBridge event message structure"


def landed_pattern(bucket: str, prefixes: list[str]) -> dict:
    """New objects in ``bucket`` under any of ``prefixes``."""
    return {
        "source": [S3_SOURCE],
        "detail-type": [OBJECT_CREATED],
        "detail": {"bucket": {"name": [bucket]}, "object": {"key": [{"prefix": p} for p in prefixes]}},
    }


class FreshnessWatch(Construct):
    """An EventBridge rule without targets whose ``MatchedEvents`` metric counts the product's new objects,
    and an alarm in ALARM when a whole period (the staleness threshold) counted none: missing data breaches.

    :param watch: the blueprint's watch of the product (with ``rule`` and ``alarm``).
    :param bucket: the producer's data bucket.
    :param topic: the domain's alerts topic ARN, told when the alarm goes to ALARM and back to OK.
    :param tags: the stack's tags.
    """

    def __init__(
        self, scope: Construct, id: str, *, watch: Watch, bucket: str, topic: str, tags: Mapping[str, str]
    ) -> None:
        super().__init__(scope, id)
        assert watch.rule and watch.alarm and watch.stale_after
        rule = events.CfnRule(
            self,
            "Landed",
            name=watch.rule,
            description=f"New objects of {watch.domain}.{watch.product}",
            event_pattern=landed_pattern(bucket, [watch.prefix]),
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
        alarm = cloudwatch.CfnAlarm(
            self,
            "Stale",
            alarm_name=watch.alarm,
            alarm_description=f"No new object of {watch.domain}.{watch.product} for {watch.stale_after} s",
            namespace="AWS/Events",
            metric_name="MatchedEvents",
            dimensions=[cloudwatch.CfnAlarm.DimensionProperty(name="RuleName", value=watch.rule)],
            statistic="Sum",
            period=watch.stale_after,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="LessThanThreshold",
            treat_missing_data="breaching",
            alarm_actions=[topic],
            ok_actions=[topic],
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
        alarm.node.add_dependency(rule)
