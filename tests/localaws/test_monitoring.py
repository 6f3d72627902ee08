"""The example mesh's monitoring resources, deployed to the local AWS through CloudFormation, route AWS's own
sample events: a failed Glue Data Quality result reaches the sales domain's alerts topic (an SQS queue
subscribed to it reads it), a new object under a product's prefix travels from the producer account to the
governance account's freshness rule; events that must not match do not arrive.

Sample events: Glue guide, "Setting up alerts, deployments, and scheduling" (Data Quality Evaluation Results
Available); Amazon S3 user guide, "EventBridge event message structure" (Object created). Their bucket,
ruleset and key are the example mesh's; every other field is AWS's.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Template
from moto.sns.models import sns_backends

from tests.support.templates import GOV, PRODUCER, REGION

DQ_SAMPLE = {
    "version": "0",
    "id": "abcdef00-1234-5678-9abc-def012345678",
    "detail-type": "Data Quality Evaluation Results Available",
    "source": "aws.glue-dataquality",
    "account": "123456789012",
    "time": "2017-09-07T18:57:21Z",
    "region": "us-west-2",
    "resources": [],
    "detail": {
        "context": {
            "contextType": "GLUE_DATA_CATALOG",
            "runId": "dqrun-12334567890",
            "databaseName": "db-123",
            "tableName": "table-123",
            "catalogId": "123456789012",
        },
        "resultID": "dqresult-12334567890",
        "rulesetNames": ["rulset1"],
        "state": "SUCCEEDED",
        "score": 1.00,
        "rulesSucceeded": 100,
        "rulesFailed": 0,
        "rulesSkipped": 0,
    },
}
S3_SAMPLE = {
    "version": "0",
    "id": "17793124-05d4-b198-2fde-7ededc63b103",
    "detail-type": "Object Created",
    "source": "aws.s3",
    "account": "111122223333",
    "time": "2021-11-12T00:00:00Z",
    "region": "ca-central-1",
    "resources": ["arn:aws:s3:::amzn-s3-demo-bucket1"],
    "detail": {
        "version": "0",
        "bucket": {"name": "amzn-s3-demo-bucket1"},
        "object": {
            "key": "example-key",
            "size": 5,
            "etag": "b1946ac92492d2347c6235b4d2611184",
            "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
            "sequencer": "617f08299329d189",
        },
        "request-id": "N4N7GDK58NMKJ12R",
        "requester": "123456789012",
        "source-ip-address": "1.2.3.4",
        "reason": "PutObject",
    },
}
SALES_BUCKET = f"acme-sales-data-{PRODUCER}-{REGION}"
MONITORING = re.compile(
    r"^(Alerts|QualityEvaluations|PartitionCrawlers|LandingEvents|[A-Za-z]+MonitoringFreshness)"
)  # logical ids: paths


def _monitoring(template: Template) -> dict[str, Any]:
    """The stack's monitoring resources, as synthesized (the rest of the stack is other tests' concern)."""
    resources = template.to_json()["Resources"]
    return {
        k: r
        for k, r in resources.items()
        if MONITORING.match(k) and r["Type"] != "AWS::LakeFormation::PrincipalPermissions"  # grants: doctor's tests
    }


def _entry(event: dict[str, Any]) -> dict[str, Any]:
    return {"Source": event["source"], "DetailType": event["detail-type"], "Detail": json.dumps(event["detail"])}


def _received(sqs: Any, queue: str) -> list[dict[str, Any]]:
    return sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])


@pytest.fixture
def deployed(aws, templates):
    # The crawler targets the product's table, which the rest of the Catalog stack makes: made here as it would.
    glue = aws.client("glue", GOV)
    glue.create_database(DatabaseInput={"Name": "sales_orders"})
    glue.create_table(
        DatabaseName="sales_orders",
        TableInput={"Name": "orders", "StorageDescriptor": {"Location": f"s3://{SALES_BUCKET}/orders/"}},
    )
    for account, stack in ((GOV, "Sales-Catalog"), (PRODUCER, "Sales-Storage")):
        result = aws.deploy(account, f"acme-{stack}", _monitoring(templates[stack]))
        assert result.status == "CREATE_COMPLETE", result.failures
    return aws


def test_a_failed_quality_result_reaches_the_domains_topic_and_a_passing_one_does_not(deployed):
    aws = deployed
    sqs, sns = aws.client("sqs", GOV), aws.client("sns", GOV)
    queue = sqs.create_queue(QueueName="reads-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = f"arn:aws:sns:{REGION}:{GOV}:acme-sales-alerts"
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    events = aws.client("events", GOV)
    passing = copy.deepcopy(DQ_SAMPLE)
    passing["detail"]["rulesetNames"] = ["sales_orders"]
    other_domain = copy.deepcopy(DQ_SAMPLE)
    other_domain["detail"].update(rulesetNames=["finance_invoices"], rulesFailed=2)
    events.put_events(Entries=[_entry(passing), _entry(other_domain)])
    assert _received(sqs, queue) == []

    failed = copy.deepcopy(DQ_SAMPLE)
    failed["detail"].update(rulesetNames=["sales_orders"], rulesFailed=1, score=0.5)
    events.put_events(Entries=[_entry(failed)])
    messages = _received(sqs, queue)
    assert [json.loads(json.loads(m["Body"])["Message"])["detail"]["resultID"] for m in messages] == [
        "dqresult-12334567890"
    ]


def test_a_new_object_under_a_products_prefix_reaches_the_governance_accounts_freshness_rule(deployed):
    aws = deployed
    sqs = aws.client("sqs", GOV)
    queue = sqs.create_queue(QueueName="reads-orders-landed")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # The freshness rule has no target (its MatchedEvents metric feeds the alarm): the test gives it one to read.
    aws.client("events", GOV).put_targets(Rule="acme-sales-orders-landed", Targets=[{"Id": "test", "Arn": queue_arn}])
    producer_events = aws.client("events", PRODUCER)

    def landed(key: str, bucket: str = SALES_BUCKET) -> dict[str, Any]:
        event = copy.deepcopy(S3_SAMPLE)
        event["detail"]["bucket"]["name"], event["detail"]["object"]["key"] = bucket, key
        return _entry(event)

    producer_events.put_events(
        Entries=[
            landed("returns/2026/12/07/part-0.parquet"),
            landed("orders-archive/part-0.parquet"),  # the prefix is orders/, not orders
            landed("orders/dt=2026-12-07/part-0.parquet", bucket="amzn-s3-demo-bucket1"),
        ]
    )
    assert _received(sqs, queue) == []
    producer_events.put_events(Entries=[landed("orders/dt=2026-12-07/part-0.parquet")])
    messages = _received(sqs, queue)
    assert [json.loads(m["Body"])["detail"]["object"]["key"] for m in messages] == [
        "orders/dt=2026-12-07/part-0.parquet"
    ]


def test_schedules_alarms_and_pending_subscriptions_read_back(deployed):
    aws = deployed
    schedule = aws.client("scheduler", GOV).get_schedule(Name="acme-sales-orders")
    run = json.loads(schedule["Target"]["Input"])
    assert (schedule["Target"]["Arn"], schedule["ScheduleExpression"], run["RulesetNames"], run["Role"]) == (
        "arn:aws:scheduler:::aws-sdk:glue:startDataQualityRulesetEvaluationRun",
        "rate(1 day)",
        ["sales_orders"],
        f"arn:aws:iam::{GOV}:role/acme-sales-quality",
    )
    alarm = aws.client("cloudwatch", GOV).describe_alarms(AlarmNames=["acme-sales-orders-stale"])["MetricAlarms"][0]
    assert (alarm["MetricName"], alarm["Dimensions"], alarm["Period"], alarm["TreatMissingData"]) == (
        "MatchedEvents",
        [{"Name": "RuleName", "Value": "acme-sales-orders-landed"}],
        86400,
        "breaching",
    )
    subscriptions = aws.client("sns", GOV).list_subscriptions_by_topic(
        TopicArn=f"arn:aws:sns:{REGION}:{GOV}:acme-sales-alerts"
    )["Subscriptions"]
    assert sorted((s["Endpoint"], s["SubscriptionArn"]) for s in subscriptions) == [
        ("data-platform@example.com", "PendingConfirmation"),
        ("sales-data@example.com", "PendingConfirmation"),
    ]


def _doctor(aws: Any, templates: Any) -> dict[tuple[str, str], str]:
    """Doctor's monitoring findings for the governance account and the sales producer, by (check, resource)."""
    from datamesh.aws.answers import watch
    from datamesh.blueprint import blueprint
    from datamesh.config import load_mesh
    from datamesh.doctor import monitoring_checks

    plan = blueprint(load_mesh(Path(__file__).parents[2] / "mesh.yaml"))
    governance = monitoring_checks.check_governance(plan, lambda service: watch(aws.client(service, GOV)))
    producer = monitoring_checks.check_producer(plan, "sales", lambda service: watch(aws.client(service, PRODUCER)))
    return {(f.check, f.resource): f.status.value for f in [*governance, *producer] if f.domain == "sales"}


def test_doctor_reports_a_deleted_schedule_or_subscription_missing_and_unconfirmed_ones_pending(deployed, templates):
    aws = deployed
    before = _doctor(aws, templates)
    assert before[("alert subscription", "acme-sales-alerts -> sales-data@example.com")] == "pending confirmation"
    assert {k: v for k, v in before.items() if v != "pending confirmation"} == {
        k: "ok" for k in before if before[k] != "pending confirmation"
    }
    assert ("quality schedule", "acme-sales-orders") in before and ("landing rule", "acme-sales-landing") in before
    assert ("partition crawler", "acme-sales-orders-partitions") in before
    assert ("crawl schedule", "acme-sales-orders-crawl") in before

    aws.client("scheduler", GOV).delete_schedule(Name="acme-sales-orders")
    aws.client("scheduler", GOV).delete_schedule(Name="acme-sales-orders-crawl")
    aws.client("glue", GOV).delete_crawler(Name="acme-sales-orders-partitions")
    # A pending subscription has no ARN to unsubscribe with; SNS drops it when nobody confirms. The local AWS
    # runs in this process: the test drops it from the SNS backend as that expiry would.
    subscriptions = sns_backends[GOV][REGION].subscriptions
    owner = next(arn for arn, s in subscriptions.items() if s.endpoint == "sales-data@example.com")
    del subscriptions[owner]
    aws.client("cloudwatch", GOV).delete_alarms(AlarmNames=["acme-sales-customers-stale"])
    after = _doctor(aws, templates)
    assert {k: v for k, v in after.items() if v != before[k]} == {
        ("quality schedule", "acme-sales-orders"): "missing",
        ("crawl schedule", "acme-sales-orders-crawl"): "missing",
        ("partition crawler", "acme-sales-orders-partitions"): "missing",
        ("alert subscription", "acme-sales-alerts -> sales-data@example.com"): "missing",
        ("freshness alarm", "acme-sales-customers-stale"): "missing",
    }
