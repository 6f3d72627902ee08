"""Doctor's checks of what operates quality and freshness: every schedule, crawler, rule, alarm, topic and e-mail
subscription the files imply (:mod:`datamesh.blueprint.monitoring`).

A schedule, rule or topic is missing only on its API's documented not-found answer
(:mod:`datamesh.aws.answers`); an alarm when ``DescribeAlarms`` leaves it out; an e-mail
subscription when the topic lists none for the address, and ``pending confirmation`` when SNS lists
it with ``SubscriptionArn`` ``PendingConfirmation`` (the address has not confirmed yet).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from datamesh.aws.answers import NotFound
from datamesh.aws.sessions import items
from datamesh.blueprint import Alerts, Blueprint, Evaluation
from datamesh.doctor.findings import Finding, Status
from datamesh.names import naming

PENDING = "PendingConfirmation"
Client = Callable[[str], Any]


def _exists(domain: str, check: str, resource: str, read: Callable[[], Any], what: str, product: str = "") -> Finding:
    try:
        read()
    except NotFound:
        return Finding(domain, product, check, resource, Status.MISSING, f"expected {what}")
    return Finding(domain, product, check, resource, Status.OK)


def _schedule(
    scheduler: Any, alerts: Alerts, product: str, check: str, name: str, field: str, expected: Any, action: str
) -> Finding:
    """The schedule ``name``, whose input's ``field`` must be ``expected``; ``action`` says what it does."""
    try:
        found = scheduler.get_schedule(Name=name)
    except NotFound:
        return Finding(alerts.domain, product, check, name, Status.MISSING, f"expected the schedule to {action}")
    value = json.loads(found.get("Target", {}).get("Input") or "{}").get(field)
    if value != expected:
        return Finding(alerts.domain, product, check, name, Status.DIFFERENT, f"expected it to {action}, found {value}")
    return Finding(alerts.domain, product, check, name, Status.OK)


def _evaluation(scheduler: Any, alerts: Alerts, product: str, evaluation: Evaluation) -> Finding:
    action = f"evaluate ruleset {evaluation.ruleset}"
    return _schedule(
        scheduler,
        alerts,
        product,
        "quality schedule",
        evaluation.schedule,
        "RulesetNames",
        [evaluation.ruleset],
        action,
    )


def _crawl(client: Client, alerts: Alerts, product: str, evaluation: Evaluation) -> list[Finding]:
    """The crawler registering a table's partitions, and the schedule that starts it (its input names it)."""
    glue = client("glue")
    crawler = evaluation.crawler
    return [
        _exists(
            alerts.domain,
            "partition crawler",
            crawler,
            partial(glue.get_crawler, Name=crawler),
            "the Glue crawler registering the table's partitions",
            product,
        ),
        _schedule(
            client("scheduler"),
            alerts,
            product,
            "crawl schedule",
            evaluation.crawl_schedule,
            "Name",
            crawler,
            f"start crawler {crawler}",
        ),
    ]


def _subscriptions(sns: Any, alerts: Alerts, topic: str) -> list[Finding]:
    listed = {
        s["Endpoint"]: s["SubscriptionArn"]
        for s in items(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=topic)
        if s.get("Protocol") == "email"
    }
    found = []
    for email in alerts.emails:
        resource = f"{alerts.topic} -> {email}"
        if email not in listed:
            found.append(
                Finding(
                    alerts.domain, "", "alert subscription", resource, Status.MISSING, "expected an e-mail subscription"
                )
            )
        elif listed[email] == PENDING:
            found.append(
                Finding(
                    alerts.domain,
                    "",
                    "alert subscription",
                    resource,
                    Status.PENDING,
                    "the address has not confirmed the subscription",
                )
            )
        else:
            found.append(Finding(alerts.domain, "", "alert subscription", resource, Status.OK))
    return found


def check_governance(plan: Blueprint, client: Client) -> list[Finding]:
    """Each producing domain's topic, subscriptions, results rule, schedules, freshness rules and alarms."""
    cfg = plan.mesh.config
    found: list[Finding] = []
    for alerts in plan.alerts:
        topic = f"arn:aws:sns:{cfg.region}:{cfg.governance_account}:{alerts.topic}"
        sns, events = client("sns"), client("events")
        topic_found = _exists(
            alerts.domain,
            "alerts topic",
            alerts.topic,
            partial(sns.get_topic_attributes, TopicArn=topic),
            "the SNS topic",
        )
        found.append(topic_found)
        if topic_found.status is Status.OK:
            found += _subscriptions(sns, alerts, topic)
        else:
            found += [
                Finding(
                    alerts.domain,
                    "",
                    "alert subscription",
                    f"{alerts.topic} -> {e}",
                    Status.MISSING,
                    "expected an e-mail subscription (no topic)",
                )
                for e in alerts.emails
            ]
        if alerts.rulesets:
            found.append(
                _exists(
                    alerts.domain,
                    "quality results rule",
                    alerts.results_rule,
                    partial(events.describe_rule, Name=alerts.results_rule),
                    "the EventBridge rule",
                )
            )
        alarms = {w.alarm for w in alerts.watches if w.alarm}
        listed = (
            {
                a["AlarmName"]
                for a in items(client("cloudwatch"), "describe_alarms", "MetricAlarms", AlarmNames=sorted(alarms))
            }
            if alarms
            else set()
        )
        for watch in alerts.watches:
            for evaluation in watch.evaluations:
                found.append(_evaluation(client("scheduler"), alerts, watch.product, evaluation))
                if evaluation.crawler:
                    found += _crawl(client, alerts, watch.product, evaluation)
            if watch.rule and watch.alarm:
                rule = watch.rule
                found.append(
                    _exists(
                        alerts.domain,
                        "freshness rule",
                        rule,
                        partial(events.describe_rule, Name=rule),
                        "the EventBridge rule",
                        watch.product,
                    )
                )
                found.append(
                    Finding(
                        alerts.domain,
                        watch.product,
                        "freshness alarm",
                        watch.alarm,
                        Status.OK if watch.alarm in listed else Status.MISSING,
                        "" if watch.alarm in listed else "expected the CloudWatch alarm",
                    )
                )
    return found


def check_producer(plan: Blueprint, domain: str, client: Client) -> list[Finding]:
    """The producer's rule forwarding its new objects to the governance account."""
    alerts = plan.alerts_of(domain)
    if alerts is None or not any(w.rule for w in alerts.watches):
        return []
    name = naming.landing_rule(plan.mesh.config.name, domain)
    events = client("events")
    return [_exists(domain, "landing rule", name, lambda: events.describe_rule(Name=name), "the EventBridge rule")]
