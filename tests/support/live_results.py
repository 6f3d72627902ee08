"""Results published to the local AWS for the tests of ``report --live`` and ``portal --live``: the test mesh of
tests/support/views_mesh.py, its producers' buckets with data, and Glue Data Quality results published through
the Glue API (PublishDataQualityResultV2), as a ruleset evaluation publishes them."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.localaws.conftest import LocalAws
from tests.support import views_mesh
from tests.support.templates import GOV, REGION, database, table

SALES, FINANCE = views_mesh.SALES, views_mesh.FINANCE
ORDERS_BUCKET = f"acme-sales-data-{SALES}-{REGION}"
FINANCE_BUCKET = f"acme-finance-data-{FINANCE}-{REGION}"
T1, T2, T3 = 1_764_000_000, 1_764_086_400, 1_764_172_800  # three days, oldest first


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


@pytest.fixture
def mesh_file(tmp_path, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "MESHCTL_ROLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    return views_mesh.write(tmp_path)


def bucket(aws: LocalAws, account: str, name: str) -> None:
    aws.client("s3", account).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


def rulesets(aws: LocalAws, *names: tuple[str, str, str]) -> None:
    """Deploy each (ruleset, database, table) with its table to the governance account."""
    resources: dict = {}
    for n, (ruleset, db, name) in enumerate(names):
        db_id, table_id = f"Db{db.replace('_', '')}", f"Table{db.replace('_', '')}{name}"
        resources.setdefault(db_id, database(db))
        resources.setdefault(table_id, {**table({"Ref": db_id}, name, ["id"]), "DependsOn": [db_id]})
        resources[f"Rules{n}"] = {
            "Type": "AWS::Glue::DataQualityRuleset",
            "DependsOn": [table_id],
            "Properties": {
                "Name": ruleset,
                "Ruleset": "Rules = [ RowCount > 0 ]",
                "TargetTable": {"DatabaseName": db, "TableName": name},
            },
        }
    deployed = aws.deploy(GOV, "dq", resources)
    assert deployed.status == "CREATE_COMPLETE", deployed.failures


def publish(glue, ruleset: str, score: float, started: float, results: list[str]) -> str:
    return glue.publish_data_quality_result_v2(
        RulesetName=ruleset,
        Score=score,
        EvaluationContext="default",
        Dimensions={"runner": "test"},
        ExecutionStartedOn=started,
        ExecutionCompletedOn=started + 30,
        RuleResults=[{"Name": f"Rule_{i}", "Result": r} for i, r in enumerate(results, 1)],
    )["ResultId"]


@pytest.fixture
def published(aws):
    """Both producers' buckets with data, three results of sales_orders, one of another ruleset on orders."""
    bucket(aws, SALES, ORDERS_BUCKET)
    bucket(aws, FINANCE, FINANCE_BUCKET)
    sales_s3, finance_s3 = aws.client("s3", SALES), aws.client("s3", FINANCE)
    finance_s3.put_object(Bucket=FINANCE_BUCKET, Key="invoices/part-0.parquet", Body=b"x")
    time.sleep(1.5)  # older than the invoices SLA of one second
    sales_s3.put_object(Bucket=ORDERS_BUCKET, Key="orders/part-0.parquet", Body=b"x")
    sales_s3.put_object(Bucket=ORDERS_BUCKET, Key="ordersX/not-this-product.parquet", Body=b"x")
    newest = sales_s3.head_object(Bucket=ORDERS_BUCKET, Key="orders/part-0.parquet")["LastModified"]
    rulesets(
        aws,
        ("sales_orders", "sales_orders", "orders"),
        ("adhoc_orders", "sales_orders", "orders"),
        ("sales_customers", "sales_customers", "customers"),
    )
    glue = aws.client("glue", GOV)
    ids = {
        "oldest": publish(glue, "sales_orders", 0.5, T1, ["PASS", "FAIL"]),
        "middle": publish(glue, "sales_orders", 1.0, T2, ["PASS", "PASS", "PASS", "PASS"]),
        "newest": publish(glue, "sales_orders", 0.5, T3, ["PASS", "PASS", "FAIL", "ERROR"]),
        # another ruleset on the same table, later than all: not the product's ruleset, never shown
        "adhoc": publish(glue, "adhoc_orders", 0.0, T3 + 60, ["FAIL"]),
    }
    return {"orders_newest_object": newest.isoformat(), **ids}
