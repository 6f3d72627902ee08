"""The portal in headless Chromium from file://: search, follow links, no script injection, no axe violations."""

from __future__ import annotations

from datetime import UTC, datetime

from datamesh.config import load_mesh
from datamesh.portal import site
from datamesh.report import summary
from datamesh.report.search import entries_from_mesh, search
from tests.portal.conftest import XSS, axe_violations
from tests.support import views_mesh


def _search(page, site, text: str) -> list[tuple[str, int]]:
    page.goto((site / "index.html").as_uri())
    page.get_by_label("Search products by name, column, tag, owner or description").fill(text)
    page.wait_for_function("document.getElementById('status').textContent.includes('match')")
    items = page.locator("#results li")
    return [
        (items.nth(i).get_attribute("data-product"), int(items.nth(i).get_attribute("data-score")))
        for i in range(items.count())
    ]


def test_search_ranks_as_meshctl_catalog_search(built, page):
    site, mesh_file = built
    entries = entries_from_mesh(load_mesh(mesh_file))
    for text in ("customer", "customer email", "order", "invoice", "confidential", "example.com", "sales id"):
        expected = [(f"{h.entry.domain}.{h.entry.product}", h.score) for h in search(entries, text)]
        assert expected, text
        assert _search(page, site, text) == expected, text
        assert page.locator("#status").text_content() == f"{len(expected)} product(s) match"


def test_search_then_open_the_product_and_follow_links(built, page):
    site, _ = built
    assert _search(page, site, "customer")[0] == ("sales.customers", 12)
    page.locator("#results li a").first.click()
    assert page.locator("h1").text_content() == "Product sales.customers"
    email = page.locator("tr", has=page.locator("code", has_text="email"))
    assert "pii" in email.text_content()
    assert page.locator("code.subscribe").text_content() == (
        "meshctl subscribe YOUR-DOMAIN sales.customers --permissions SELECT,DESCRIBE --reason 'what you need it for'"
    )
    consumers = page.locator("table", has=page.locator("caption", has_text="Domains subscribed to"))
    assert "marketing" in consumers.text_content() and "granted" in consumers.text_content()
    page.get_by_role("link", name="marketing").first.click()
    assert page.locator("h1").text_content() == "Domain marketing"
    page.get_by_role("link", name="sales.orders").click()
    assert page.locator("h1").text_content() == "Product sales.orders"
    for name, heading in (
        ("Domains", "Domains"),
        ("Mesh graph", "Mesh graph"),
        ("KPIs", "KPIs"),
        ("Search", "Find data"),
    ):
        page.get_by_role("navigation").get_by_role("link", name=name).click()
        assert page.locator("h1").text_content() == heading


def test_a_query_in_the_url_is_searched(built, page):
    site, _ = built
    page.goto((site / "index.html").as_uri() + "?q=email")
    page.wait_for_function("document.getElementById('status').textContent.includes('match')")
    assert page.locator("#results li").first.get_attribute("data-product") == "sales.customers"


def test_contract_text_cannot_inject_script(built, page):
    site, _ = built
    page.goto((site / "products/finance.invoices.html").as_uri())
    page.locator("body").hover()
    assert page.evaluate("window.__xss") is None
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert XSS in page.locator("dd").first.text_content()
    assert _search(page, site, "invoices")[0][0] == "finance.invoices"
    assert page.locator("#results img").count() == 0 and page.evaluate("window.__xss") is None
    assert XSS in page.locator("#results li").first.text_content()


def test_every_kind_of_page_has_no_axe_violations(built, page):
    site, _ = built
    _search(page, site, "customer")  # the search page with results shown
    assert axe_violations(page) == []
    for path in (
        "products/sales.customers.html",
        "products/finance.invoices.html",
        "domains/sales.html",
        "domains.html",
        "graph.html",
        "kpis.html",
    ):
        page.goto((site / path).as_uri())
        assert axe_violations(page) == [], path


def test_axe_reports_what_it_should(page):
    """The accessibility check can fail: a page without a language and an unlabelled field has violations."""
    page.set_content("<title>t</title><input>")
    assert {"html-has-lang", "label"} <= {v["id"] for v in axe_violations(page)}


def _live_record(product: str, ruleset: str, **quality: object) -> dict:
    fresh = {"location": "", "newest_object": None, "age_hours": None, "sla": "latency=1d", "sla_hours": 24.0}
    return {
        "product": product,
        "freshness": {**fresh, "status": "no data"},
        "quality": [{"table": "t", "ruleset": ruleset, **quality}],
    }


def test_live_pages_have_no_axe_violations(tmp_path, page):
    """Product pages and the KPI page with what --live reads: an evaluation with its trend, a part that could not
    be read, a ruleset without results; and a page listing who can read the product."""
    mesh_file = views_mesh.write(tmp_path / "mesh")
    mesh = load_mesh(mesh_file)
    now = datetime.now(UTC)
    report = summary.build(mesh, mesh_file, now, since=None)
    last = {
        "result_id": "r",
        "score": 0.5,
        "rules": 2,
        "rules_passed": 1,
        "started": now.isoformat(),
        "completed": None,
    }
    report["live"] = {
        "checked_at": now.isoformat(),
        "unreadable": [],
        "products": [
            _live_record(
                "sales.orders",
                "sales_orders",
                status="evaluated",
                last={**last, "failed_rules": [{"name": "Rule_2", "result": "FAIL"}]},
                trend=[{"started": now.isoformat(), "score": 1.0}, {"started": now.isoformat(), "score": 0.5}],
            ),
            _live_record("sales.customers", "sales_customers", status="cannot read", error="account 1: no answer"),
            _live_record("finance.invoices", "finance_invoices", status="no result", last=None, trend=[]),
        ],
    }
    site.build(mesh, tmp_path / "site", report, now.date())
    for path in ("products/sales.orders.html", "products/sales.customers.html", "kpis.html"):
        page.goto((tmp_path / "site" / path).as_uri())
        assert axe_violations(page) == [], path
