"""meshctl report --live against the local AWS: object ages in the producers' buckets, and Glue Data Quality
results published through the Glue API (PublishDataQualityResultV2), read back per ruleset."""

from __future__ import annotations

import json
import re

from tests.localaws.conftest import aws, local_server  # noqa: F401  (fixtures)
from tests.support.live_results import (  # noqa: F401  (fixtures)
    FINANCE,
    FINANCE_BUCKET,
    ORDERS_BUCKET,
    SALES,
    T1,
    T2,
    T3,
    bucket,
    iso,
    mesh_file,
    published,
)
from tests.support.templates import GOV


def test_the_last_evaluation_and_the_trend_of_each_ruleset(aws, mesh_file, meshctl, published):  # noqa: F811
    result = meshctl(
        "report", "--live", "--json", "--evaluations", "2", "--mesh", str(mesh_file), "--endpoint-url", aws.endpoint
    )
    assert result.exit_code == 0, result.output
    live = json.loads(result.stdout)["live"]
    assert live["unreadable"] == []
    products = {p["product"]: p for p in live["products"]}
    assert set(products) == {"sales.orders", "sales.customers", "finance.invoices"}

    assert products["sales.orders"]["quality"] == [
        {
            "table": "orders",
            "ruleset": "sales_orders",
            "status": "evaluated",
            "last": {
                "result_id": published["newest"],
                "score": 0.5,
                "rules": 4,
                "rules_passed": 2,
                "failed_rules": [{"name": "Rule_3", "result": "FAIL"}, {"name": "Rule_4", "result": "ERROR"}],
                "started": iso(T3),
                "completed": iso(T3 + 30),
            },
            "trend": [{"started": iso(T2), "score": 1.0}, {"started": iso(T3), "score": 0.5}],
        }
    ]
    assert products["sales.customers"]["quality"] == [
        {"table": "customers", "ruleset": "sales_customers", "status": "no result", "last": None, "trend": []}
    ]
    # finance_invoices was never deployed: Glue lists no result for its table
    assert [q["status"] for q in products["finance.invoices"]["quality"]] == ["no result"]

    orders = products["sales.orders"]["freshness"]
    assert orders == {
        "location": f"s3://{ORDERS_BUCKET}/orders/",
        "newest_object": published["orders_newest_object"],
        "age_hours": orders["age_hours"],
        "sla": "latency=1d",
        "sla_hours": 24.0,
        "status": "fresh",
    }
    assert 0 <= orders["age_hours"] < 1
    invoices = products["finance.invoices"]["freshness"]
    assert (invoices["sla"], invoices["sla_hours"], invoices["status"]) == ("latency=1s", 0.0, "stale")
    customers = products["sales.customers"]["freshness"]
    assert (customers["newest_object"], customers["sla"], customers["status"]) == (None, "frequency=1d", "no data")


def test_the_trend_reaches_back_as_far_as_asked(aws, mesh_file, meshctl, published):  # noqa: F811
    result = meshctl("report", "--live", "--json", "--mesh", str(mesh_file), "--endpoint-url", aws.endpoint)
    assert result.exit_code == 0, result.output
    orders = next(p for p in json.loads(result.stdout)["live"]["products"] if p["product"] == "sales.orders")
    assert [t["score"] for t in orders["quality"][0]["trend"]] == [0.5, 1.0, 0.5]
    assert [t["started"] for t in orders["quality"][0]["trend"]] == [iso(T1), iso(T2), iso(T3)]


def _rows(text: str, product: str) -> list[list[str]]:
    """The cells of every Markdown row of ``product``, in the order printed."""
    return [
        [c.strip() for c in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith(f"| {product} |")
    ]


def test_the_table_and_markdown_show_score_rules_not_passed_and_trend(aws, mesh_file, meshctl, published):  # noqa: F811
    args = ("report", "--live", "--mesh", str(mesh_file), "--endpoint-url", aws.endpoint)
    markdown = meshctl(*args, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "### Freshness" in markdown.stdout and "### Data quality" in markdown.stdout
    fresh, quality = _rows(markdown.stdout, "sales.orders")
    assert fresh[1] == published["orders_newest_object"]
    assert fresh[3:] == ["24", "latency=1d", "fresh"]
    assert quality == [
        "sales.orders",
        "sales_orders",
        "0.5",
        "2 of 4: Rule_3, Rule_4 (ERROR)",
        iso(T3),
        "0.5 → 1 → 0.5",
    ]
    assert _rows(markdown.stdout, "sales.customers") == [
        ["sales.customers", "", "", "24", "frequency=1d", "no data"],  # only a frequency: it is the SLA too
        ["sales.customers", "sales_customers", "", "", "no result", ""],
    ]
    table = meshctl(*args)
    assert table.exit_code == 0, table.output
    assert "2 of 4: Rule_3, Rule_4 (ERROR)" in table.stdout and "0.5 → 1 → 0.5" in table.stdout


def test_a_bucket_s3_says_does_not_exist_is_no_bucket(aws, mesh_file, meshctl):  # noqa: F811
    """ListObjectsV2's documented NoSuchBucket: absent, not "cannot read"; the other producer still has data."""
    bucket(aws, FINANCE, FINANCE_BUCKET)
    result = meshctl("report", "--live", "--json", "--mesh", str(mesh_file), "--endpoint-url", aws.endpoint)
    assert result.exit_code == 0, result.output
    products = {p["product"]: p for p in json.loads(result.stdout)["live"]["products"]}
    assert products["sales.orders"]["freshness"]["status"] == "no bucket"
    assert products["finance.invoices"]["freshness"]["status"] == "no data"


def test_an_endpoint_that_answers_html_is_cannot_read_never_no_data(mesh_file, html_endpoint, meshctl):  # noqa: F811
    result = meshctl("report", "--live", "--json", "--mesh", str(mesh_file), "--endpoint-url", html_endpoint)
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    html = "HTTP 404 with an HTML page, not an answer of the STS API"
    assert sorted(errors) == sorted(
        f"error: {where}: STS GetCallerIdentity at {html_endpoint}: {html}"
        for where in (f"governance account {GOV}", f"account {SALES} (sales)", f"account {FINANCE} (finance)")
    )
    live = json.loads(result.stdout)["live"]
    for product in live["products"]:
        assert product["freshness"]["status"] == "cannot read"
        assert product["freshness"]["newest_object"] is None
        assert [q["status"] for q in product["quality"]] == ["cannot read"]


def test_the_table_says_cannot_read(mesh_file, html_endpoint, meshctl):  # noqa: F811
    args = ("report", "--live", "--format", "markdown", "--mesh", str(mesh_file), "--endpoint-url", html_endpoint)
    result = meshctl(*args)
    assert result.exit_code == 4
    assert _rows(result.stdout, "sales.orders") == [
        ["sales.orders", "", "", "24", "latency=1d", "cannot read"],
        ["sales.orders", "sales_orders", "", "", "cannot read", ""],
    ]
    assert not re.search(r"no data|no result|no bucket", result.stdout)
