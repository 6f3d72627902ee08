"""meshctl report --live against the local AWS: object ages in the producers' buckets, and Glue Data
Quality results published through the Glue API."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.localaws.conftest import LocalAws, aws, local_server  # noqa: F401  (fixtures)
from tests.support.templates import GOV, REGION, database, table

REPO = Path(__file__).resolve().parents[2]
SALES, FINANCE = "222222222222", "333333333333"


@pytest.fixture
def example_mesh(tmp_path, monkeypatch):
    """The example mesh, with the invoices contract's latency SLA cut from 12 hours to one second."""
    shutil.copy(REPO / "mesh.yaml", tmp_path / "mesh.yaml")
    shutil.copytree(REPO / "domains", tmp_path / "domains")
    contract = tmp_path / "domains/finance/contracts/invoices.yaml"
    text = contract.read_text()
    assert "value: 12\n    unit: h" in text
    contract.write_text(text.replace("value: 12\n    unit: h", "value: 1\n    unit: s"))
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "MESHCTL_ROLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "mesh.yaml"


def _bucket(aws: LocalAws, account: str, name: str) -> None:  # noqa: F811
    aws.client("s3", account).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def _publish(glue, score: float, started: float, results: list[str]) -> str:
    return glue.publish_data_quality_result_v2(
        RulesetName="sales_orders",
        Score=score,
        EvaluationContext="default",
        Dimensions={"runner": "test"},
        ExecutionStartedOn=started,
        ExecutionCompletedOn=started + 30,
        RuleResults=[{"Name": f"Rule_{i}", "Result": r} for i, r in enumerate(results, 1)],
    )["ResultId"]


def test_live_freshness_and_quality(aws, example_mesh, meshctl):  # noqa: F811
    orders_bucket, finance_bucket = f"acme-sales-data-{SALES}-{REGION}", f"acme-finance-data-{FINANCE}-{REGION}"
    _bucket(aws, SALES, orders_bucket)
    _bucket(aws, FINANCE, finance_bucket)
    sales_s3, finance_s3 = aws.client("s3", SALES), aws.client("s3", FINANCE)
    finance_s3.put_object(Bucket=finance_bucket, Key="invoices/part-0.parquet", Body=b"x")
    time.sleep(1.5)  # older than the invoices SLA of one second
    sales_s3.put_object(Bucket=orders_bucket, Key="orders/order_date=2026-11-28/part-0.parquet", Body=b"x")
    sales_s3.put_object(Bucket=orders_bucket, Key="customersX/not-this-product.parquet", Body=b"x")
    newest = sales_s3.head_object(Bucket=orders_bucket, Key="orders/order_date=2026-11-28/part-0.parquet")

    aws.deploy(
        GOV,
        "dq",
        {
            "Db": database("sales_orders"),
            "Table": table({"Ref": "Db"}, "orders", ["order_id"]),
            "Rules": {
                "Type": "AWS::Glue::DataQualityRuleset",
                "DependsOn": ["Table"],
                "Properties": {
                    "Name": "sales_orders",
                    "Ruleset": "Rules = [ RowCount > 0 ]",
                    "TargetTable": {"DatabaseName": {"Ref": "Db"}, "TableName": "orders"},
                },
            },
        },
    )
    glue = aws.client("glue", GOV)
    _publish(glue, 0.5, 1_764_000_000, ["PASS", "FAIL"])
    newer = _publish(glue, 0.75, 1_764_086_400, ["PASS", "PASS", "PASS", "FAIL"])

    result = meshctl("report", "--live", "--json", "--mesh", str(example_mesh), "--endpoint-url", aws.endpoint)
    assert result.exit_code == 0, result.output
    live = {p["product"]: p for p in json.loads(result.stdout)["live"]["products"]}
    assert set(live) == {"sales.orders", "sales.customers", "finance.invoices"}

    orders = live["sales.orders"]
    assert orders["freshness"]["newest_object"] == newest["LastModified"].isoformat()
    assert orders["freshness"]["location"] == f"s3://{orders_bucket}/orders/"
    assert (orders["freshness"]["sla"], orders["freshness"]["status"]) == ("latency=1d", "fresh")
    assert orders["quality"] == {
        "result_id": newer,
        "ruleset": "sales_orders",
        "score": 0.75,
        "rules": 4,
        "rules_passed": 3,
        "rules_failed": 1,
        "results_listed": 2,
        "started": "2025-11-25T16:00:00+00:00",
    }

    assert live["finance.invoices"]["freshness"]["status"] == "stale"
    assert live["finance.invoices"]["freshness"]["sla"] == "latency=1s"
    assert live["finance.invoices"]["quality"] is None
    assert live["sales.customers"]["freshness"] == {
        "location": f"s3://{orders_bucket}/customers/",
        "newest_object": None,
        "age_hours": None,
        "sla": "frequency=1d",
        "status": "no data",
    }


def test_live_markdown_shows_the_accounts_table(aws, example_mesh, meshctl):  # noqa: F811
    for account, domain in ((SALES, "sales"), (FINANCE, "finance")):
        _bucket(aws, account, f"acme-{domain}-data-{account}-{REGION}")
    result = meshctl(
        "report", "--live", "--format", "markdown", "--mesh", str(example_mesh), "--endpoint-url", aws.endpoint
    )
    assert result.exit_code == 0, result.output
    assert "## What the accounts say" in result.stdout
    assert "| sales.orders | no data |  | latency=1d | no data |  |  | no result |" in result.stdout


def test_an_unreadable_bucket_exits_4_with_one_line(aws, example_mesh, meshctl):  # noqa: F811
    result = meshctl("report", "--live", "--mesh", str(example_mesh), "--endpoint-url", aws.endpoint)
    assert result.exit_code == 4
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert re.match(
        r"error: (sales\.orders|sales\.customers|finance\.invoices): data in account \d{12} "
        r"\((sales|finance)\): S3 ListObjectsV2 at http://localhost:\d+: HTTP 404 NoSuchBucket: "
        r"The specified bucket does not exist$",
        errors[0],
    )


def test_an_endpoint_that_answers_html_is_cannot_read_in_one_line(example_mesh, html_endpoint, meshctl):
    result = meshctl("report", "--live", "--mesh", str(example_mesh), "--endpoint-url", html_endpoint)
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        (
            f"error: governance account {GOV}: STS GetCallerIdentity at {html_endpoint}: HTTP 404 with an HTML page, "
            "not an answer of the STS API"
        )
    ]
