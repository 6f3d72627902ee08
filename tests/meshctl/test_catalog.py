"""meshctl catalog search: ranked offline from the files, or live from the governance Glue catalog."""

from __future__ import annotations

import json

import pytest
from botocore.awsrequest import AWSResponse
from moto import mock_aws

from datamesh.aws import sessions as aws
from datamesh.config import load_mesh
from datamesh.report.search import Entry, search
from tests.support.moto_deploy import REGION, deploy, session


def _search(meshctl, *args):
    result = meshctl("catalog", "search", *args, "--json")
    assert result.exit_code == 0, result.output
    return [(hit["product"], hit["score"]) for hit in json.loads(result.stdout)]


def test_ranks_a_name_match_above_a_column_match(mesh_dir, meshctl):
    assert _search(meshctl, "customer") == [("sales.customers", 12), ("sales.orders", 3)]


def test_every_word_must_match(mesh_dir, meshctl):
    assert _search(meshctl, "customer email") == [("sales.customers", 12 + 5)]
    assert _search(meshctl, "customer invoice") == []


def test_finds_by_owner_and_description(mesh_dir, meshctl):
    assert _search(meshctl, "finance-data@example.com") == [("finance.invoices", 2)]
    assert _search(meshctl, "payment") == [("finance.invoices", 2)]


def test_filters_by_domain_tag_and_column(mesh_dir, meshctl):
    assert _search(meshctl, "", "--tag", "confidentiality=confidential") == [
        ("finance.invoices", 0),
        ("sales.customers", 0),
    ]
    assert _search(meshctl, "", "--tag", "pii=true") == [("sales.customers", 0)]
    assert _search(meshctl, "", "--column", "customer_id", "--domain", "sales") == [
        ("sales.customers", 0),
        ("sales.orders", 0),
    ]
    assert _search(meshctl, "invoice", "--domain", "finance") == [("finance.invoices", 6 + 2 + 3 + 1)]


def test_the_table_says_what_matched(mesh_dir, meshctl):
    result = meshctl("catalog", "search", "email")
    assert result.exit_code == 0
    assert "1 product(s) in the files matching 'email'" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "sales.customers" in line)
    assert "column email" in row


def test_a_malformed_tag_is_a_usage_error(mesh_dir, meshctl):
    result = meshctl("catalog", "search", "x", "--tag", "confidentiality")
    assert result.exit_code == 2
    assert "use KEY=VALUE" in result.output


def test_ties_are_in_domain_then_product_order():
    entries = [Entry("b", "x", "same"), Entry("a", "y", "same"), Entry("a", "x", "same")]
    assert [(h.entry.domain, h.entry.product) for h in search(entries, "same")] == [("a", "x"), ("a", "y"), ("b", "x")]


@pytest.fixture
def live(mesh_dir, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        deploy(load_mesh(mesh_dir / "mesh.yaml"))
        yield mesh_dir


def test_live_search_reads_the_governance_catalog(live, meshctl):
    glue = session("111111111111").client("glue")
    glue.create_database(
        CatalogId="111111111111",
        DatabaseInput={"Name": "hr_people", "Parameters": {"datamesh:domain": "hr", "datamesh:product": "people"}},
    )
    glue.create_table(
        CatalogId="111111111111",
        DatabaseName="hr_people",
        TableInput={
            "Name": "people",
            "Description": "Employees",
            "StorageDescriptor": {"Columns": [{"Name": "customer_contact", "Type": "string"}]},
        },
    )
    glue.create_database(CatalogId="111111111111", DatabaseInput={"Name": "not_a_product"})
    result = meshctl("catalog", "search", "customer", "--live", "--json")
    assert result.exit_code == 0, result.output
    hits = [(h["product"], h["score"], h["tags"].get("confidentiality")) for h in json.loads(result.stdout)]
    assert hits == [("sales.customers", 12, "confidential"), ("hr.people", 3, None), ("sales.orders", 3, "internal")]


def test_live_search_turns_an_aws_error_into_one_line(mesh_dir, meshctl, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    result = meshctl("catalog", "search", "x", "--live", "--endpoint-url", "http://localhost:9", "--max-attempts", "1")
    assert result.exit_code == 4
    assert result.stderr.strip() == (
        "error: governance account 111111111111: STS GetCallerIdentity at http://localhost:9: "
        "no answer (EndpointConnectionError); is the endpoint up?"
    )


class _Page:
    def stream(self, **_):
        yield b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def test_live_search_through_a_proxy_page_is_cannot_read(live, meshctl, monkeypatch):
    """Glue's answer replaced by a proxy's HTML page: exit 4, one line naming Glue, the operation and the
    endpoint, and no search result from a catalog that was not read."""
    original = aws.Accounts.client

    def client(self, account, domain, service):
        made = original(self, account, domain, service)
        made.meta.events.register_first(
            "before-send.glue.GetTables", lambda request, **_: AWSResponse(request.url, 502, {}, _Page())
        )
        return made

    monkeypatch.setattr(aws.Accounts, "client", client)
    result = meshctl("catalog", "search", "customer", "--live", "--json", "--max-attempts", "1")
    assert result.exit_code == 4, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"error: governance account 111111111111: Glue GetTables at https://glue.{REGION}"
        ".amazonaws.com: HTTP 502 with an HTML page, not an answer of the Glue API"
    )
