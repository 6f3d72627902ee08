"""meshctl subscribe / approve / deny / revoke / shares: edits of the files that keep their comments."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import yaml

from tests.support.fixture_mesh import domain_text


def _doc(mesh_dir, name):
    return yaml.safe_load(domain_text(mesh_dir, name))


def _shares(meshctl, *args):
    result = meshctl("shares", "--json", *args)
    assert result.exit_code == 0, result.output
    return {(s["consumer"], s["product"]): s for s in json.loads(result.stdout)}


def test_subscribe_to_an_approval_product_is_pending(mesh_dir, meshctl):
    expires = date.today() + timedelta(days=90)
    result = meshctl(
        "subscribe",
        "marketing",
        "finance.invoices",
        "--permissions",
        "select",
        "--reason",
        "campaign ROI",
        "--expires",
        str(expires),
    )
    assert result.exit_code == 0, result.output
    assert "pending until finance approves: meshctl approve finance.invoices marketing" in result.stdout
    assert _doc(mesh_dir, "marketing")["consumes"][-1] == {
        "product": "finance.invoices",
        "permissions": ["SELECT"],
        "reason": "campaign ROI",
        "expires": expires,
    }
    assert _shares(meshctl)[("marketing", "finance.invoices")]["state"] == "pending"


def test_subscribe_keeps_the_comments_and_the_rest_of_the_file(mesh_dir, meshctl):
    before = domain_text(mesh_dir, "marketing")
    assert meshctl("subscribe", "marketing", "finance.invoices").exit_code == 0
    after = domain_text(mesh_dir, "marketing")
    assert after.startswith(before)
    assert after[len(before) :] == "  - product: finance.invoices\n    permissions: [SELECT, DESCRIBE]\n"


def test_subscribe_to_an_open_product_is_granted_at_once(mesh_dir, meshctl):
    meshctl("revoke", "finance", "sales.orders")
    result = meshctl("subscribe", "finance", "sales.orders")
    assert result.exit_code == 0, result.output
    assert "finance <- sales.orders: granted" in result.stdout


def test_subscribe_adds_consumes_to_a_producer_only_domain(mesh_dir, meshctl):
    assert "consumes" not in _doc(mesh_dir, "sales")
    assert meshctl("subscribe", "sales", "finance.invoices").exit_code == 0
    assert _doc(mesh_dir, "sales")["consumes"] == [
        {"product": "finance.invoices", "permissions": ["SELECT", "DESCRIBE"]}
    ]


def test_subscribing_twice_is_refused(mesh_dir, meshctl):
    before = domain_text(mesh_dir, "marketing")
    result = meshctl("subscribe", "marketing", "sales.orders")
    assert result.exit_code == 3
    assert (
        result.stderr.strip()
        == "error: 'marketing' already subscribes to sales.orders (meshctl revoke first to change it)"
    )
    assert domain_text(mesh_dir, "marketing") == before


def test_subscribing_to_an_unknown_product_is_refused(mesh_dir, meshctl):
    result = meshctl("subscribe", "marketing", "sales.returns")
    assert result.exit_code == 3
    assert "domain 'sales' has no product 'returns' (products: orders, customers)" in result.stderr


def test_subscribing_to_ones_own_product_is_refused(mesh_dir, meshctl):
    assert meshctl("subscribe", "sales", "sales.orders").exit_code == 3


def test_bad_arguments_are_usage_errors(mesh_dir, meshctl):
    assert meshctl("subscribe", "marketing", "finance-invoices").exit_code == 2
    assert meshctl("subscribe", "marketing", "finance.invoices", "--permissions", "DROP").exit_code == 2
    assert meshctl("subscribe", "marketing", "finance.invoices", "--expires", "tomorrow").exit_code == 2
    past = meshctl("subscribe", "marketing", "finance.invoices", "--expires", str(date.today()))
    assert past.exit_code == 2
    assert "is not in the future" in past.stderr
    assert "finance.invoices" not in domain_text(mesh_dir, "marketing")


def test_approve_shares_the_product_and_records_the_decision(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    result = meshctl("approve", "finance.invoices", "marketing", "--by", "cfo@example.com")
    assert result.exit_code == 0, result.output
    assert "marketing <- finance.invoices: granted" in result.stdout
    product = _doc(mesh_dir, "finance")["products"][0]
    assert product["shared_with"] == ["marketing"]
    assert product["decisions"] == [
        {"consumer": "marketing", "decision": "approved", "by": "cfo@example.com", "date": date.today()}
    ]
    share = _shares(meshctl)[("marketing", "finance.invoices")]
    assert (share["state"], share["decided_by"], share["decided_on"]) == (
        "granted",
        "cfo@example.com",
        date.today().isoformat(),
    )


def test_approve_defaults_the_decider_to_the_producer_owner(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    assert meshctl("approve", "finance.invoices", "marketing").exit_code == 0
    assert _doc(mesh_dir, "finance")["products"][0]["decisions"][0]["by"] == "finance-data@example.com"


def test_approve_keeps_the_producer_file_comments(mesh_dir, meshctl):
    meshctl("subscribe", "finance", "sales.customers")
    assert meshctl("approve", "sales.customers", "finance").exit_code == 0
    text = domain_text(mesh_dir, "sales")
    assert "# Sales: orders are open to everyone, customers need approval." in text
    assert re.search(r"\n    shared_with: \[marketing, finance\] +# approved in the spring review\n", text)


def test_approving_an_open_product_is_refused(mesh_dir, meshctl):
    result = meshctl("approve", "sales.orders", "finance")
    assert result.exit_code == 3
    assert "open to every domain" in result.stderr


def test_approving_without_a_subscription_is_refused(mesh_dir, meshctl):
    result = meshctl("approve", "finance.invoices", "marketing")
    assert result.exit_code == 3
    assert (
        "'marketing' has not subscribed to finance.invoices (meshctl subscribe marketing finance.invoices)"
        in result.stderr
    )


def test_deny_records_who_and_why_and_grants_nothing(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    result = meshctl("deny", "finance.invoices", "marketing", "--by", "cfo@example.com", "--reason", "no need to know")
    assert result.exit_code == 0, result.output
    assert "denied" in result.stdout
    share = _shares(meshctl, "--domain", "finance")[("marketing", "finance.invoices")]
    assert (share["state"], share["decided_by"], share["decision_reason"]) == (
        "denied",
        "cfo@example.com",
        "no need to know",
    )
    assert meshctl("deny", "finance.invoices", "marketing").exit_code == 3


def test_deny_withdraws_an_approval(mesh_dir, meshctl):
    assert meshctl("deny", "sales.customers", "marketing").exit_code == 0
    product = _doc(mesh_dir, "sales")["products"][1]
    assert product["shared_with"] == []
    assert product["decisions"][0]["decision"] == "denied"


def test_approve_after_deny_replaces_the_decision(mesh_dir, meshctl):
    meshctl("deny", "sales.customers", "marketing")
    assert meshctl("approve", "sales.customers", "marketing").exit_code == 0
    product = _doc(mesh_dir, "sales")["products"][1]
    assert [d["decision"] for d in product["decisions"]] == ["approved"]
    assert product["shared_with"] == ["marketing"]


def test_revoke_removes_the_subscription_and_its_approval(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    meshctl("approve", "finance.invoices", "marketing")
    result = meshctl("revoke", "marketing", "finance.invoices")
    assert result.exit_code == 0, result.output
    assert [s["product"] for s in _doc(mesh_dir, "marketing")["consumes"]] == ["sales.customers", "sales.orders"]
    product = _doc(mesh_dir, "finance")["products"][0]
    assert product["shared_with"] == [] and "decisions" not in product
    assert ("marketing", "finance.invoices") not in _shares(meshctl)


def test_revoking_what_was_never_asked_is_refused(mesh_dir, meshctl):
    assert meshctl("revoke", "marketing", "finance.invoices").exit_code == 3


def test_an_edit_that_would_invalidate_the_mesh_changes_nothing(mesh_dir, meshctl):
    meshctl("revoke", "marketing", "sales.orders")
    before = {name: domain_text(mesh_dir, name) for name in ("marketing", "sales")}
    result = meshctl("revoke", "marketing", "sales.customers")
    assert result.exit_code == 1
    assert "error: domains/marketing.yaml: (file): a domain needs products, consumes, or both" in result.stderr
    assert "nothing was changed" in result.stderr
    assert {name: domain_text(mesh_dir, name) for name in before} == before


def test_edits_refuse_to_start_on_an_invalid_mesh(mesh_dir, meshctl):
    (mesh_dir / "domains" / "finance.yaml").write_text(domain_text(mesh_dir, "finance").replace("333333333333", "3"))
    result = meshctl("subscribe", "marketing", "finance.invoices")
    assert result.exit_code == 1
    assert "fix them first" in result.stderr


def test_shares_table_shows_state_and_decider(mesh_dir, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices")
    meshctl("deny", "finance.invoices", "marketing", "--by", "cfo@example.com", "--reason", "[not now]")
    result = meshctl("shares")
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if "finance.invoices" in line)
    assert "denied" in row and "cfo@example.com" in row and "[not now]" in row


def test_shares_of_an_unknown_domain_is_refused(mesh_dir, meshctl):
    assert meshctl("shares", "--domain", "hr").exit_code == 3


def test_subscribe_to_some_tables_writes_them_and_an_unknown_table_is_refused(mesh_dir, meshctl):
    before = domain_text(mesh_dir, "marketing")
    refused = meshctl("subscribe", "marketing", "finance.invoices", "--tables", "invoices,lines")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "error: domains/marketing.yaml: consumes[2].tables[1]: finance.invoices has no table 'lines' (its tables: invoices)",
        "error: nothing was changed: the edit would leave the mesh invalid",
    ]
    assert domain_text(mesh_dir, "marketing") == before
    assert meshctl("subscribe", "marketing", "finance.invoices", "--tables", "invoices").exit_code == 0
    assert _doc(mesh_dir, "marketing")["consumes"][-1] == {
        "product": "finance.invoices",
        "permissions": ["SELECT", "DESCRIBE"],
        "tables": ["invoices"],
    }
