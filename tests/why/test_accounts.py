"""Which of doctor's findings make each account link of the chain: only this principal's, product's and tables'."""

from __future__ import annotations

from datamesh.blueprint import blueprint
from datamesh.doctor.findings import Finding, Status
from datamesh.why.accounts import Scope, account_links
from datamesh.why.principals import reader

GOV, MARKETING, FINANCE = "111111111111", "444444444444", "333333333333"


def _links(mesh, findings):
    scope = Scope(blueprint(mesh), reader(mesh, "marketing"), "sales", "sales_customers", ("customers",))
    return {link.name: link for link in account_links(scope, findings, None)}


def test_a_broken_finding_breaks_its_link_and_others_findings_do_not(example_mesh):
    findings = [
        Finding(
            "sales",
            "customers",
            "grant",
            f"marketing ({MARKETING}) on database sales_customers",
            Status.MISSING,
            "",
            GOV,
        ),
        Finding(
            "sales", "orders", "grant", f"marketing ({MARKETING}) on table sales_orders.orders", Status.MISSING, "", GOV
        ),
        Finding(
            "sales", "customers", "grant", f"finance ({FINANCE}) on database sales_customers", Status.MISSING, "", GOV
        ),
        Finding(
            "sales",
            "customers",
            "grant",
            f"marketing ({MARKETING}) on table sales_customers.customers",
            Status.OK,
            "",
            GOV,
        ),
    ]
    links = _links(example_mesh, findings)
    grant = links["account grant"]
    assert (grant.ok, [f.resource for f in grant.findings]) == (
        False,
        [
            f"marketing ({MARKETING}) on database sales_customers",
            f"marketing ({MARKETING}) on table sales_customers.customers",
        ],
    )
    assert grant.says == f"marketing ({MARKETING}) on database sales_customers: missing"


def test_an_extra_grant_does_not_break_a_link(example_mesh):
    extra = Finding(
        "sales", "customers", "grant", f"marketing ({MARKETING}) on database sales_customers", Status.EXTRA, "", GOV
    )
    assert _links(example_mesh, [extra])["account grant"].ok is True


def test_the_consumers_data_filter_is_part_of_the_table_link(example_mesh):
    mine = Finding(
        "sales", "customers", "data-filter", "acme-marketing on sales_customers.customers", Status.MISSING, "", GOV
    )
    other = Finding(
        "sales", "customers", "data-filter", "acme-finance on sales_customers.customers", Status.MISSING, "", GOV
    )
    assert _links(example_mesh, [other])["table"].ok is None  # nothing of this chain read
    assert _links(example_mesh, [mine, other])["table"].findings == (mine,)


def test_within_an_organization_the_share_is_ok_from_the_files(example_mesh):
    share = _links(example_mesh, [])["share"]
    assert (share.ok, share.says) == (
        True,
        "accounts of organization o-exampleorg1: shared without an invitation (mesh.yaml organization)",
    )
