"""meshctl why from the files alone: a working path, a pending request, an expired share, pii and withheld columns,
who is asked about; and an account that cannot be read."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from datamesh.meshctl.app import app
from tests.conftest import EXAMPLE_MESH


def _why(*args: str, mesh: str = str(EXAMPLE_MESH)):
    result = CliRunner().invoke(app, ["why", *args, "--mesh", mesh], env={"COLUMNS": "200", "NO_COLOR": "1"})
    return result


def _answer(*args: str, mesh: str = str(EXAMPLE_MESH)) -> tuple[int, dict]:
    result = _why(*args, "--json", mesh=mesh)
    return result.exit_code, json.loads(result.stdout)


def test_a_granted_share_is_yes_from_the_files_alone():
    result = _why("analytics", "sales.orders", "--offline")
    assert result.exit_code == 0, result.output
    assert "answered from the files alone (--offline), no account was read" in result.stdout
    code, answer = _answer("analytics", "sales.orders", "--offline")
    assert (code, answer["can_read"], answer["offline"], answer["first_broken"]) == (0, True, True, None)
    assert [link["link"] for link in answer["links"]] == [
        "subscription",
        "decision",
        "principal",
        "permission",
        "tables",
        "columns",
    ]
    assert answer["role"] == "arn:aws:iam::555555555555:role/acme-analytics-analyst"


def test_a_pending_request_names_the_approval_and_the_producers_owner():
    """domains/marketing.yaml asks for finance.invoices, which domains/finance.yaml shares with analytics only."""
    code, answer = _answer("marketing", "finance.invoices", "--offline")
    assert code == 1
    assert answer["first_broken"] == {
        "link": "decision",
        "where": "files",
        "fix": "meshctl approve finance.invoices marketing --by finance-data@example.com",
        "who": "finance's owner (Finance Data, finance-data@example.com)",
    }
    assert answer["links"][-1]["says"].startswith("pending: finance has not approved marketing")


def test_an_expired_share_names_the_expiry_and_the_consumers_owner(mesh_copy):
    def expire(domain: dict) -> dict:
        domain["consumes"][0]["expires"] = "2026-12-31"
        return domain

    mesh = mesh_copy(("domains/marketing.yaml", expire))
    code, answer = _answer("marketing", "sales.customers", "--offline", "--today", "2027-01-01", mesh=str(mesh))
    assert code == 1
    assert answer["first_broken"]["link"] == "decision"
    assert answer["first_broken"]["who"] == "marketing's owner (Marketing Analytics, marketing-data@example.com)"
    assert "consumes[0].expires" in answer["first_broken"]["fix"]
    assert answer["links"][-1]["says"].startswith("expired on 2026-12-31")
    code, answer = _answer("marketing", "sales.customers", "--offline", "--today", "2026-12-30", mesh=str(mesh))
    assert code == 0


def test_a_pii_column_is_withheld_as_pii_by_the_contracts_tag():
    code, answer = _answer("marketing", "sales.customers", "--column", "email", "--offline")
    assert code == 1
    columns = answer["links"][-1]
    assert (columns["link"], columns["status"]) == ("columns", "broken")
    assert columns["says"].startswith("withheld as pii: column email of sales.customers.customers is tagged pii")
    assert "domains/sales/contracts/customers.yaml" in columns["says"]
    assert columns["says"].endswith("(its data filter leaves it out)")  # sales' approval of marketing has rows
    code, answer = _answer("marketing", "sales.customers", "--column", "country", "--offline")
    assert (code, answer["links"][-1]["status"]) == (0, "ok")


def test_a_column_the_approval_withholds_names_the_decision(mesh_copy):
    def withhold(domain: dict) -> dict:
        domain["products"][1]["decisions"] = [
            {
                "consumer": "marketing",
                "decision": "approved",
                "by": "sales-data@example.com",
                "date": "2026-12-01",
                "withhold": ["segment"],
            }
        ]
        return domain

    mesh = mesh_copy(("domains/sales.yaml", withhold))
    code, answer = _answer("marketing", "sales.customers", "--column", "segment", "--offline", mesh=str(mesh))
    assert code == 1
    assert answer["links"][-1]["says"].startswith("withheld by sales's approval of marketing")
    assert answer["first_broken"]["who"].startswith("sales's owner")


def test_describe_only_is_no_read():
    """domains/marketing.yaml asks for sales.orders with DESCRIBE alone."""
    code, answer = _answer("marketing", "sales.orders", "--offline")
    assert (code, answer["first_broken"]["link"]) == (1, "permission")


def test_no_subscription_names_meshctl_subscribe():
    code, answer = _answer("analytics", "sales.customers", "--offline")
    assert code == 1
    assert answer["first_broken"]["fix"].startswith("meshctl subscribe analytics sales.customers")


@pytest.mark.parametrize(
    ("principal", "product", "message"),
    [
        ("nobody", "sales.orders", "'nobody' names no domain and no principal of a domain file"),
        (
            "marketing/etl",
            "sales.orders",
            "domain marketing lists no principal 'etl'",
        ),  # it lists analyst, bi, campaigns
        ("marketing", "sales.nothing", "no product 'sales.nothing' in domains/sales.yaml"),
        ("marketing", "sales", "no product 'sales': expected <domain>.<product> of the files"),
    ],
)
def test_what_the_files_do_not_name_is_a_usage_error(principal, product, message):
    result = _why(principal, product, "--offline")
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_unreadable_account_is_exit_4_and_the_files_are_still_answered(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    result = _why("analytics", "sales.orders", "--endpoint-url", "http://localhost:9", "--max-attempts", "1")
    assert result.exit_code == 4, result.output
    assert "the files grant it; an account could not be read" in result.stdout
    assert "no answer (EndpointConnectionError)" in result.stderr
    assert "Traceback" not in result.output
