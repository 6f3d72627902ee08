"""The example mesh's blueprint against what a reader of mesh.yaml and domains/*.yaml writes down by hand.

Every reader (the stacks, plan, doctor, the demo) trusts the blueprint, so these expectations
are literal: accounts, names, grants, links and tags as the parameter files state them
(sales 222222222222 owns orders and customers; finance 333333333333 owns invoices; analytics
555555555555, marketing 444444444444 and finance consume), never values the blueprint computes.
"""

from __future__ import annotations

import sys

import pytest

from datamesh.blueprint import blueprint

GOV = "111111111111"
ANALYST = {
    "analytics": "arn:aws:iam::555555555555:role/acme-analytics-analyst",
    "finance": "arn:aws:iam::333333333333:role/acme-finance-analyst",
    "marketing": "arn:aws:iam::444444444444:role/acme-marketing-analyst",
}


@pytest.fixture(scope="module")
def example(example_mesh):
    return blueprint(example_mesh)


def test_the_blueprint_imports_no_cdk():
    """Pure: plan and doctor read it without starting jsii."""
    assert not any(m.startswith(("aws_cdk", "jsii", "constructs")) for m in _modules_after("import datamesh.blueprint"))


def _modules_after(statement: str) -> set[str]:
    import subprocess

    code = f"{statement}; import sys; print('\\n'.join(sys.modules))"
    return set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())


def test_stacks_accounts_waves_and_dependencies(example):
    assert [(s.name, s.account, s.wave, s.depends_on) for s in example.stacks] == [
        ("acme-Governance", GOV, "Governance", ()),
        ("acme-Finance-Storage", "333333333333", "Storage", ("Governance",)),
        ("acme-Sales-Storage", "222222222222", "Storage", ("Governance",)),
        ("acme-Finance-Catalog", GOV, "Catalog", ("Finance-Storage",)),
        ("acme-Sales-Catalog", GOV, "Catalog", ("Sales-Storage",)),
        # a consumer waits for its account's admins (Governance, or its own Storage) and its producers' grants
        ("acme-Analytics-Access", "555555555555", "Access", ("Governance", "Finance-Catalog", "Sales-Catalog")),
        ("acme-Finance-Access", "333333333333", "Access", ("Finance-Storage", "Sales-Catalog")),
        ("acme-Marketing-Access", "444444444444", "Access", ("Governance", "Sales-Catalog")),  # invoices pending
    ]


def test_lf_tags_and_admins(example):
    assert example.lf_tags == {
        "domain": ["analytics", "finance", "marketing", "sales"],
        "confidentiality": ["public", "internal", "confidential", "restricted"],
        "pii": ["true", "false"],
        "retention": ["short", "standard", "long"],
    }
    assert example.admins == {
        account: [f"arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-{account}-eu-west-1"]
        for account in (GOV, "222222222222", "333333333333", "444444444444", "555555555555")
    }


def test_physical_names(example):
    assert {(b.name, b.key_alias, b.logs_to) for b in example.buckets} == {
        (
            "acme-finance-data-333333333333-eu-west-1",
            "alias/acme/finance/data",
            "acme-finance-logs-333333333333-eu-west-1",
        ),
        ("acme-finance-logs-333333333333-eu-west-1", None, None),
        ("acme-sales-data-222222222222-eu-west-1", "alias/acme/sales/data", "acme-sales-logs-222222222222-eu-west-1"),
        ("acme-sales-logs-222222222222-eu-west-1", None, None),
        *(
            (f"acme-{d}-athena-{a}-eu-west-1", f"alias/acme/{d}/athena", f"acme-{d}-athena-logs-{a}-eu-west-1")
            for d, a in (("analytics", "555555555555"), ("finance", "333333333333"), ("marketing", "444444444444"))
        ),
        *(
            (f"acme-{d}-athena-logs-{a}-eu-west-1", None, None)
            for d, a in (("analytics", "555555555555"), ("finance", "333333333333"), ("marketing", "444444444444"))
        ),
    }
    assert {(k.alias, k.account) for k in example.keys} == {
        ("alias/acme/catalog", GOV),
        ("alias/acme/finance/data", "333333333333"),
        ("alias/acme/sales/data", "222222222222"),
        ("alias/acme/analytics/athena", "555555555555"),
        ("alias/acme/finance/athena", "333333333333"),
        ("alias/acme/marketing/athena", "444444444444"),
    }
    assert {r.arn for r in example.roles} == {
        f"arn:aws:iam::{GOV}:role/acme-lakeformation-data-access",
        "arn:aws:iam::222222222222:role/acme-sales-producer",
        "arn:aws:iam::333333333333:role/acme-finance-producer",
        *ANALYST.values(),
        # the execution role of the Identity Center workgroup of marketing, whose campaigns group is a principal
        "arn:aws:iam::444444444444:role/acme-marketing-identity-center-queries",
    }
    assert {(w.name, w.account) for w in example.workgroups} == {
        ("acme-analytics", "555555555555"),
        ("acme-finance", "333333333333"),
        ("acme-marketing", "444444444444"),
    }


def test_databases_tables_and_their_tags(example):
    found = {
        db.name: (
            db.location,
            dict(db.lf_tags),
            [(t.name, t.pii_columns, [k for k, _ in t.partition_keys]) for t in db.tables],
        )
        for db in example.databases
    }
    assert found == {
        "sales_orders": (
            "s3://acme-sales-data-222222222222-eu-west-1/orders/",
            {"domain": "sales", "confidentiality": "internal"},
            [("orders", (), ["order_date"])],
        ),
        "sales_customers": (
            "s3://acme-sales-data-222222222222-eu-west-1/customers/",
            {"domain": "sales", "confidentiality": "confidential"},
            [("customers", ("email",), [])],
        ),
        "finance_invoices": (
            "s3://acme-finance-data-333333333333-eu-west-1/invoices/",
            {"domain": "finance", "confidentiality": "confidential"},
            [("invoices", (), ["invoice_month"])],
        ),
    }
    assert example.data_locations == {
        "finance": "arn:aws:s3:::acme-finance-data-333333333333-eu-west-1",
        "sales": "arn:aws:s3:::acme-sales-data-222222222222-eu-west-1",
    }


def _grants(grants):
    return sorted((g.catalog, g.principal, str(g.resource), g.permissions, g.grantable) for g in grants)


def test_governance_grants_to_consumer_accounts(example):
    def share(account, db, table, readable=(), describe=True, select=True, data_filter=None):
        """With pii columns, SELECT names the readable ones (an include list) beside DESCRIBE on the table;
        without, one grant on the table holds both (Lake Formation stores SELECT on all columns as on the table).
        An approval with rows: SELECT on its data filter beside DESCRIBE on the table."""
        found = [(GOV, account, f"database {db}", ("DESCRIBE",), ("DESCRIBE",))]
        if data_filter:
            found += [(GOV, account, f"table {db}.{table}", ("DESCRIBE",), ("DESCRIBE",))]
            found += [(GOV, account, f"data filter {data_filter} on table {db}.{table}", ("SELECT",), ("SELECT",))]
        elif readable:
            found += [(GOV, account, f"table {db}.{table}", ("DESCRIBE",), ("DESCRIBE",))] if describe else []
            found += [(GOV, account, f"table {db}.{table} (columns {', '.join(readable)})", ("SELECT",), ("SELECT",))]
        else:
            permissions = (("DESCRIBE",) if describe else ()) + (("SELECT",) if select else ())
            found.append((GOV, account, f"table {db}.{table}", permissions, permissions))
        return found

    assert _grants(example.grants) == sorted(
        [
            *share("555555555555", "sales_orders", "orders"),
            *share("555555555555", "finance_invoices", "invoices"),
            *share("333333333333", "sales_orders", "orders"),
            *share("444444444444", "sales_customers", "customers", data_filter="acme-marketing"),
            *share("444444444444", "sales_orders", "orders", select=False),
            # marketing's finance.invoices is pending: finance shares it with analytics only
        ]
    )
    producers = {
        ("222222222222", "sales_orders"),
        ("222222222222", "sales_customers"),
        ("333333333333", "finance_invoices"),
    }
    assert _grants(example.producer_grants) == sorted(
        [
            (
                GOV,
                account,
                f"database {db}",
                ("ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"),
                ("ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"),
            )
            for account, db in producers
        ]
        + [
            (
                GOV,
                account,
                f"table {db}.*",
                ("ALTER", "DESCRIBE", "DROP", "SELECT"),
                ("ALTER", "DESCRIBE", "DROP", "SELECT"),
            )
            for account, db in producers
        ]
    )


def test_analyst_grants_and_resource_links(example):
    # DESCRIBE on the resource link and on its target database (a grant on a link grants nothing on its
    # target); customers' approval grants French rows without email: SELECT on its data filter beside DESCRIBE
    assert _grants(example.analyst_grants("marketing")) == sorted(
        [
            ("444444444444", ANALYST["marketing"], "database sales_customers", ("DESCRIBE",), ()),
            ("444444444444", ANALYST["marketing"], "database sales_customers", ("DESCRIBE",), ()),
            ("444444444444", ANALYST["marketing"], "table sales_customers.customers", ("DESCRIBE",), ()),
            (
                "444444444444",
                ANALYST["marketing"],
                "data filter acme-marketing on table sales_customers.customers",
                ("SELECT",),
                (),
            ),
            ("444444444444", ANALYST["marketing"], "database sales_orders", ("DESCRIBE",), ()),
            ("444444444444", ANALYST["marketing"], "database sales_orders", ("DESCRIBE",), ()),
            ("444444444444", ANALYST["marketing"], "table sales_orders.orders", ("DESCRIBE",), ()),
        ]
    )
    # the link grant is on the consumer's own resource link; the table grants on the governance catalog's tables
    assert {(str(g.resource), g.resource.catalog) for g in example.analyst_grants("finance")} == {
        ("database sales_orders", "333333333333"),
        ("database sales_orders", GOV),
        ("table sales_orders.orders", GOV),
    }
    assert sorted(
        (link.account, link.name, link.target_catalog, link.target_database) for link in example.resource_links
    ) == [
        ("333333333333", "sales_orders", GOV, "sales_orders"),
        ("444444444444", "sales_customers", GOV, "sales_customers"),
        ("444444444444", "sales_orders", GOV, "sales_orders"),
        ("555555555555", "finance_invoices", GOV, "finance_invoices"),
        ("555555555555", "sales_orders", GOV, "sales_orders"),
    ]


def test_select_is_granted_on_columns_in_the_files_order(example):
    """Marketing's SELECT on sales.customers goes on the approval's data filter (French rows), whose include list
    is the contract's columns but email, then its partition keys (it has none), as AWS::LakeFormation::
    PrincipalPermissions and DataCellsFilter take them."""
    (select,) = [g for g in example.grants_of("sales") if g.permissions == ("SELECT",) and g.consumer == "marketing"]
    assert select.resource.cfn() == {
        "dataCellsFilter": {
            "tableCatalogId": GOV,
            "databaseName": "sales_customers",
            "tableName": "customers",
            "name": "acme-marketing",
        }
    }
    (data_filter,) = example.data_filters
    assert (data_filter.rows, data_filter.columns) == ("country = 'FR'", ("customer_id", "segment", "country"))
