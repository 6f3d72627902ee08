"""The portal's product pages show who can read a product (domain, principal, engine, filter), and with --live
the freshness and Glue Data Quality evaluations published to the local AWS."""

from __future__ import annotations

import re
from html import unescape

from tests.localaws.conftest import aws, local_server  # noqa: F401  (fixtures)
from tests.support import views_mesh
from tests.support.live_results import T2, T3, iso, mesh_file, published  # noqa: F401  (fixtures)
from tests.support.meshctl_fixtures import html_endpoint  # noqa: F401  (fixtures)
from tests.support.templates import GOV


def _text(page: str, heading: str) -> str:
    """The words of the section under ``<h2>heading</h2>``, tags dropped and whitespace made single."""
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page[start:end])).split())


def _rows(page: str, heading: str) -> list[list[str]]:
    start = page.index(f"<h2>{heading}</h2>")
    section = page[start : page.find("<h2>", start + 1)]
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", section)
        if "<td>" in row
    ]


def test_the_product_page_lists_who_can_read_it_and_with_which_filter(tmp_path, meshctl):
    mesh = views_mesh.write(tmp_path / "mesh")
    result = meshctl("portal", "--out", str(tmp_path / "site"), "--mesh", str(mesh))
    assert result.exit_code == 0, result.output
    customers = (tmp_path / "site/products/sales.customers.html").read_text()
    marketing = f"arn:aws:iam::{views_mesh.MARKETING}:role/acme-marketing"
    assert _rows(customers, "Who can read it") == [
        # the subscription names analyst and bi: the Glue 4.0 job role does not get it
        [
            "marketing",
            "analyst",
            f"{marketing}-analyst",
            "athena",
            "SELECT, DESCRIBE",
            "customers",
            views_mesh.ROWS,
            "segment, email",
        ],
        [
            "marketing",
            "bi",
            f"{marketing}-bi",
            "redshift-spectrum",
            "SELECT, DESCRIBE",
            "customers",
            views_mesh.ROWS,
            "segment, email",
        ],
    ]
    orders = (tmp_path / "site/products/sales.orders.html").read_text()
    assert _rows(orders, "Who can read it") == [
        [
            "finance",
            "analyst",
            f"arn:aws:iam::{views_mesh.FINANCE}:role/acme-finance-analyst",
            "athena",
            "SELECT, DESCRIBE",
            "orders",
            "every row",
            "none",
        ],
        ["marketing", "analyst", f"{marketing}-analyst", "athena", "SELECT, DESCRIBE", "orders", "every row", "none"],
        ["marketing", "bi", f"{marketing}-bi", "redshift-spectrum", "SELECT, DESCRIBE", "orders", "every row", "none"],
        ["marketing", "etl", f"{marketing}-etl", "glue 4.0", "SELECT, DESCRIBE", "orders", "every row", "none"],
    ]
    assert "Not read from the accounts" in _text(orders, "Freshness and data quality")
    invoices = (tmp_path / "site/products/finance.invoices.html").read_text()
    assert _text(invoices, "Who can read it").endswith("granted shares reach: none.")


def test_live_pages_show_the_last_evaluation_freshness_and_trend(aws, mesh_file, meshctl, published, tmp_path):  # noqa: F811
    site = tmp_path / "site"
    args = ("portal", "--out", str(site), "--live", "--evaluations", "2", "--mesh", str(mesh_file))
    result = meshctl(*args, "--endpoint-url", aws.endpoint)
    assert result.exit_code == 0, result.output
    orders = (site / "products/sales.orders.html").read_text()
    text = _text(orders, "Freshness and data quality")
    assert f"freshness fresh newest object {published['orders_newest_object']}" in text
    assert "freshness SLA latency=1d (24 h)" in text
    assert (
        f"Ruleset sales_orders on table orders last evaluation {iso(T3)} score 0.5 "
        "rules not passed 2 of 4: Rule_3, Rule_4 (ERROR)"
    ) in text
    assert _rows(orders, "Freshness and data quality") == [[iso(T2), "1"], [iso(T3), "0.5"]]
    customers = _text((site / "products/sales.customers.html").read_text(), "Freshness and data quality")
    assert "freshness no data" in customers and "last evaluation no result" in customers
    kpis = (site / "kpis.html").read_text()
    assert "freshness per product" in kpis and "data quality per product" in kpis
    assert "0.5 → 1 → 0.5" not in kpis and "1 → 0.5" in kpis  # --evaluations 2


def test_live_pages_say_cannot_read_and_the_command_exits_4(mesh_file, html_endpoint, meshctl, tmp_path):  # noqa: F811
    site = tmp_path / "site"
    result = meshctl("portal", "--out", str(site), "--live", "--mesh", str(mesh_file), "--endpoint-url", html_endpoint)
    assert result.exit_code == 4, result.output
    assert f"error: governance account {GOV}: STS GetCallerIdentity at {html_endpoint}" in result.stderr
    text = _text((site / "products/sales.orders.html").read_text(), "Freshness and data quality")
    assert "freshness cannot read" in text and "last evaluation cannot read" in text
    assert "HTTP 404 with an HTML page, not an answer of the STS API" in text
    assert not re.search(r"no data|no result|no bucket", text)
