"""meshctl conformance against the local AWS (a moto server on localhost), into which the test mesh is deployed
as doctor's tests deploy it (tests/support/moto_deploy.py).

moto's Athena does not run SQL and moto enforces no IAM, bucket or key policy: those checks must say
"not checkable locally" with the reason, and every other check must pass on a fresh deploy. A grant
revoked by hand with boto3 must fail the run on exactly the share it served.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import date

import pyarrow
import pyarrow.parquet
import pytest

from datamesh.aws.sessions import Settings
from datamesh.config import load_mesh
from datamesh.conformance.run import Run
from localaws.server import LocalServer
from tests.support.moto_deploy import analyst, deploy, session

GOV, SALES, FINANCE, MARKETING = "111111111111", "222222222222", "333333333333", "444444444444"
SALES_BUCKET = "acme-sales-data-222222222222-eu-west-1"
# The test mesh's files (tests/support/fixture_mesh.py), read by hand: sales publishes orders (partitioned by
# order_date) and customers (email is pii); finance publishes invoices, shared with nobody; finance takes
# sales.orders, marketing takes sales.customers with SELECT and sales.orders with DESCRIBE only.
SHARES = {
    "finance:sales.orders": "sales_orders.orders",
    "marketing:sales.customers": "sales_customers.customers",
    "marketing:sales.orders": "sales_orders.orders",
}
TABLES = {"sales_orders.orders", "sales_customers.customers", "finance_invoices.invoices"}


@pytest.fixture(scope="module")
def local_server():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = LocalServer()
    yield server
    server.stop()


@pytest.fixture
def deployed(mesh_dir, local_server, monkeypatch):
    """The test mesh deployed into a reset local AWS, which boto3 and meshctl reach through AWS_ENDPOINT_URL."""
    with urllib.request.urlopen(urllib.request.Request(f"{local_server.endpoint}/moto-api/reset", method="POST")):
        pass
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_ENDPOINT_URL": local_server.endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "MESHCTL_ROLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    deploy(load_mesh(mesh_dir / "mesh.yaml"))
    return mesh_dir


def conformance(meshctl, *args):
    result = meshctl("conformance", "--json", *args)
    return result, json.loads(result.stdout)


def own_checks(report):
    """The run's own checks (doctor's are reported as they are)."""
    return [c for c in report["checks"] if not c["check"].startswith("doctor")]


def keys(bucket):
    return sorted(o["Key"] for o in session(SALES).client("s3").list_objects_v2(Bucket=bucket).get("Contents", []))


def test_a_fresh_deploy_passes_with_what_moto_cannot_answer_marked_and_cleanup_deletes_the_files(deployed, meshctl):
    result, report = conformance(meshctl, "--cleanup")
    assert result.exit_code == 0, result.output
    assert report["passed"] is True and report["local"] is True and report["format"] == "datamesh-conformance/1"
    checks = own_checks(report)
    assert {c["status"] for c in report["checks"]} == {"pass", "not checkable locally"}
    assert sorted(c["subject"] for c in checks if c["check"] == "sample-data") == sorted(TABLES)
    assert {(c["check"], c["share"], c["subject"]) for c in checks if c["share"]} == {
        *(("grants", share, table) for share, table in SHARES.items()),
        *(("query", share, table) for share, table in SHARES.items()),
        ("pii-withheld", "finance:sales.orders", "sales_orders.orders"),
        ("pii-withheld", "marketing:sales.customers", "sales_customers.customers"),
        # finance holds no share of sales.customers; every other domain takes sales.orders
        ("refused", "marketing:sales.customers", "finance reads sales_customers.customers"),
    }
    unanswerable = {
        (c["check"], c["subject"], c["share"]): c["detail"] for c in checks if c["status"] == "not checkable locally"
    }
    assert {check for check, _, _ in unanswerable} == {"query", "producer-isolation"}
    assert all("moto" in reason for reason in unanswerable.values())
    pii = next(c for c in checks if c["check"] == "pii-withheld" and c["share"] == "marketing:sales.customers")
    assert pii["status"] == "pass" and "leave out email" in pii["detail"]
    assert {c["check"] for c in report["checks"] if c["check"].startswith("doctor:")} >= {
        "doctor:grant",
        "doctor:analyst-grant",
        "doctor:resource-link",
        "doctor:workgroup",
    }
    cleaned = [c for c in checks if c["check"] == "cleanup"]
    assert len(cleaned) == 3 and {c["status"] for c in cleaned} == {"pass"}  # no contract: no failing partition
    assert keys(SALES_BUCKET) == []
    assert report["summary"] == {
        "passed": sum(c["status"] == "pass" for c in report["checks"]),
        "failed": 0,
        "not_checkable": len(unanswerable),
    }


def test_the_table_view_and_the_sample_files_left_in_the_producers_bucket(deployed, meshctl):
    result = meshctl("conformance", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "conformance on the local AWS" in result.stdout
    assert result.stdout.splitlines()[-1].endswith(" passed, 0 failed, 5 not checkable locally")
    assert keys(SALES_BUCKET) == ["customers/sample-5.parquet", "orders/order_date=2024-01-01/sample-5.parquet"]


def test_sample_data_writes_as_the_producers_and_cleanup_deletes(deployed, meshctl):
    written = meshctl("sample-data", "--seed", "3")
    assert written.exit_code == 0, written.output
    assert keys(SALES_BUCKET) == ["customers/sample-3.parquet", "orders/order_date=2024-01-01/sample-3.parquet"]
    assert keys("acme-finance-data-333333333333-eu-west-1") == ["invoices/sample-3.parquet"]
    body = session(SALES).client("s3").get_object(Bucket=SALES_BUCKET, Key="customers/sample-3.parquet")["Body"]
    assert pyarrow.parquet.read_table(pyarrow.BufferReader(body.read())).column_names == ["customer_id", "email"]
    deleted = meshctl("sample-data", "--seed", "3", "--cleanup")
    assert deleted.exit_code == 0, deleted.output
    assert keys(SALES_BUCKET) == []


@pytest.mark.parametrize(
    "revoke, share",
    [
        # the access stack's grant to marketing's analyst: SELECT on customers' columns but email, in marketing's account
        (
            lambda mesh: (
                session(MARKETING)
                .client("lakeformation")
                .revoke_permissions(
                    CatalogId=MARKETING,
                    Principal={"DataLakePrincipalIdentifier": analyst(mesh, "marketing")},
                    Resource={
                        "TableWithColumns": {
                            "CatalogId": GOV,
                            "DatabaseName": "sales_customers",
                            "Name": "customers",
                            "ColumnNames": ["customer_id"],
                        }
                    },
                    Permissions=["SELECT"],
                )
            ),
            "marketing:sales.customers",
        ),
        # the catalog stack's grant to finance's account: SELECT on orders, in the governance catalog
        (
            lambda mesh: (
                session(GOV)
                .client("lakeformation")
                .revoke_permissions(
                    CatalogId=GOV,
                    Principal={"DataLakePrincipalIdentifier": FINANCE},
                    Resource={"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "Name": "orders"}},
                    Permissions=["SELECT"],
                    PermissionsWithGrantOption=["SELECT"],
                )
            ),
            "finance:sales.orders",
        ),
    ],
    ids=["analyst-grant", "account-grant"],
)
def test_a_grant_revoked_by_hand_fails_the_run_on_exactly_its_share(deployed, meshctl, revoke, share):
    revoke(load_mesh(deployed / "mesh.yaml"))
    result, report = conformance(meshctl)
    assert result.exit_code == 1
    assert report["passed"] is False
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert [(c["check"], c["share"]) for c in failed if not c["check"].startswith("doctor")] == [("grants", share)]
    grants = next(c for c in failed if c["check"] == "grants")
    assert grants["detail"].startswith("not granted: ") and "SELECT on table" in grants["detail"]
    consumer, product = share.split(":")
    # doctor sees the same grant missing, and nothing else
    assert [(c["product"], c["check"]) for c in failed if c["check"].startswith("doctor")] == [
        (product.split(".")[1], "doctor:analyst-grant" if consumer == "marketing" else "doctor:grant")
    ]
    assert report["summary"]["failed"] == len(failed) == 2


def athena_answers(endpoint, account, *results):
    """What moto's Athena answers to the next queries of ``account`` (its API for tests: moto does not run SQL)."""
    body = json.dumps(
        {
            "account_id": account,
            "region": "eu-west-1",
            "results": [
                {
                    "rows": [{"Data": [{"VarCharValue": v} for v in row]} for row in rows],
                    "column_info": [{"Name": name, "Type": "varchar"} for name in rows[0]],
                }
                for rows in results
            ],
        }
    ).encode()
    request = urllib.request.Request(
        f"{endpoint}/moto-api/static/athena/query-results",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request):
        pass


def test_judged_as_real_aws_each_check_fails_when_aws_answers_what_the_mesh_forbids(deployed, local_server):
    """The checks the local AWS cannot answer, made as on real AWS against moto, which enforces no IAM policy and runs
    no SQL: a query answered with a pii column, a query answered with no rows, a query run without SELECT, reads
    of another producer's files that moto does not refuse."""
    mesh = load_mesh(deployed / "mesh.yaml")
    athena_answers(local_server.endpoint, MARKETING, [("customer_id", "email"), ("c-1", "a@example.com")])
    run = Run(mesh, Settings("eu-west-1", local_server.endpoint), seed=1, rows=3, today=date.today(), local=False)
    checks = {(c.check, c.share, c.subject): c for c in run.checks() if not c.check.startswith("doctor")}
    customers = "marketing:sales.customers", "sales_customers.customers"
    assert checks[("query", *customers)].status.value == "pass"
    assert checks[("query", *customers)].detail.startswith("1 row(s), query ")
    assert checks[("pii-withheld", *customers)].status.value == "fail"
    assert "returned pii column(s) email" in checks[("pii-withheld", *customers)].detail
    no_rows = checks[("query", "finance:sales.orders", "sales_orders.orders")]
    assert no_rows.status.value == "fail" and no_rows.detail.startswith("no rows from query ") and no_rows.request_id
    describe_only = checks[("query", "marketing:sales.orders", "sales_orders.orders")]
    assert describe_only.status.value == "fail" and "succeeded without SELECT" in describe_only.detail
    # moto keeps each account's catalog apart: the governance catalog's table is not found from finance's account,
    # which is how Glue answers a principal that Lake Formation gives no permission on it
    refused = checks[("refused", *customers[:1], "finance reads sales_customers.customers")]
    assert (refused.status.value, refused.detail) == ("pass", "refused (EntityNotFoundException)")
    isolation = [c for (check, _, _), c in checks.items() if check == "producer-isolation"]
    assert len(isolation) == 2 and {c.status.value for c in isolation} == {"fail"}
    assert not any(c.status.value == "not checkable locally" for c in checks.values())


def test_a_resource_link_deleted_by_hand_fails_the_grants_of_its_shares_not_the_run(deployed, meshctl):
    session(MARKETING).client("glue").delete_database(Name="sales_customers")
    result, report = conformance(meshctl)
    assert result.exit_code == 1, result.output
    failed = [c for c in own_checks(report) if c["status"] == "fail"]
    assert [(c["check"], c["share"]) for c in failed] == [("grants", "marketing:sales.customers")]
    assert failed[0]["detail"].startswith("Glue GetDatabase at ")  # read through meshctl's watched clients
