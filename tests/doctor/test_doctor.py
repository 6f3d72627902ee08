"""meshctl doctor against moto: several accounts deployed like `cdk deploy` would, then drift by hand."""

from __future__ import annotations

import json
import re

import boto3
import pytest
from aws_cdk import App
from aws_cdk.assertions import Template
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from typer.testing import CliRunner

from datamesh.app.mesh_app import build_mesh
from datamesh.aws import sessions as aws
from datamesh.aws.answers import CannotRead, watch
from datamesh.blueprint import Resource, blueprint
from datamesh.config import load_mesh
from datamesh.doctor.findings import Finding, Status
from datamesh.doctor.resources import check_workgroup
from datamesh.doctor.tables import check_ruleset
from datamesh.meshctl.app import app
from tests.support.moto_deploy import REGION, grant, session

GOV, SALES, FINANCE, MARKETING = "111111111111", "222222222222", "333333333333", "444444444444"
RED, GREEN, RESET = (
    re.escape("\x1b[31m"),
    re.escape("\x1b[32m"),
    re.escape("\x1b[0m"),
)  # ANSI SGR codes of the standard colours


def _doctor(meshctl, *args):
    result = meshctl("doctor", "--json", *args)
    return result, json.loads(result.stdout)


def _drift(report):
    return sorted((f["check"], f["resource"], f["status"]) for f in report["findings"] if f["status"] != "ok")


def _checked(report):
    return [(f["check"], f["resource"], f["status"], f["account"]) for f in report["findings"]]


def _finding(report, check, resource):
    return next(f for f in report["findings"] if (f["check"], f["resource"]) == (check, resource))


def test_a_fresh_deploy_has_no_drift(deployed, meshctl):
    result, report = _doctor(meshctl)
    assert result.exit_code == 0, result.output
    assert report["errors"] == [] and _drift(report) == []
    checks = {}
    for f in report["findings"]:
        checks[f["check"]] = checks.get(f["check"], 0) + 1
    # From the test mesh's files: 4 accounts; sales and finance produce 3 products (3 tables, 1 partitioned),
    # finance and marketing consume; 5 granted grants' worth of shares (see below).
    assert checks == {
        "lf-admins": 4,  # every account
        "lf-tag-values": 3,  # domain, confidentiality, pii
        "catalog-encryption": 1,
        "role": 5,  # the registration role, 2 producer roles, 2 analyst roles
        "bucket": 8,  # data and access-log buckets of 2 producers, query-results and log buckets of 2 consumers
        "bucket-policy": 2,  # each data bucket lets the registration role read
        "key-access": 4,  # the registration role on 2 data keys, 2 analysts on the catalog key
        "workgroup": 2,
        "database": 3,
        "table": 3,
        "table-parameters": 3,
        "lf-tag": 7,
        "location": 2,
        "producer-grant": 6,  # per product: the database, and every table of it
        "resource-link": 3,
        "grant": 7,
        "analyst-grant": 10,  # per link: the link, its target, the tables
        "lf-settings": 4,  # every account
        "ram-invitation": 3,  # standalone accounts: each domain account's share from the governance account
    }
    assert {f["account"] for f in report["findings"]} == {GOV, SALES, FINANCE, MARKETING}
    assert ("lf-tag", "sales_customers.customers.email pii", "ok", GOV) in _checked(report)
    assert sorted(f[1:] for f in _checked(report) if f[0] == "analyst-grant" and f[3] == MARKETING) == [
        ("acme-marketing-analyst on database sales_customers", "ok", MARKETING),
        ("acme-marketing-analyst on database sales_customers of the governance catalog", "ok", MARKETING),
        ("acme-marketing-analyst on database sales_orders", "ok", MARKETING),
        ("acme-marketing-analyst on database sales_orders of the governance catalog", "ok", MARKETING),
        ("acme-marketing-analyst on table sales_customers.customers", "ok", MARKETING),
        ("acme-marketing-analyst on table sales_customers.customers (columns customer_id)", "ok", MARKETING),
        ("acme-marketing-analyst on table sales_orders.orders", "ok", MARKETING),
    ]


def _resolved(value, resources, account):
    """A template value with the Refs to Glue databases and tables and the GetAtts of role ARNs resolved."""
    if isinstance(value, list):
        return [_resolved(v, resources, account) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value:
        properties = resources[value["Ref"]]["Properties"]
        return properties.get("DatabaseInput", properties.get("TableInput"))["Name"]
    if "Fn::GetAtt" in value:
        return f"arn:aws:iam::{account}:role/{resources[value['Fn::GetAtt'][0]]['Properties']['RoleName']}"
    return {k: _resolved(v, resources, account) for k, v in value.items()}


def test_expected_pii_tags_and_analyst_grants_are_those_the_app_synthesizes(mesh_dir):
    mesh = load_mesh(mesh_dir / "mesh.yaml")
    analyst, pii = set(), set()
    for stack in build_mesh(App(), mesh).all():
        resources = Template.from_stack(stack).to_json()["Resources"]
        for resource in resources.values():
            if resource["Type"] == "AWS::LakeFormation::PrincipalPermissions" and stack.node.id.endswith("-Access"):
                grant = _resolved(resource["Properties"], resources, stack.account)
                assert grant["PermissionsWithGrantOption"] == []
                analyst.add(
                    (
                        grant["Catalog"],
                        grant["Principal"]["DataLakePrincipalIdentifier"],
                        Resource.from_api(grant["Resource"]),
                        next(iter(grant["Resource"].values()))["CatalogId"],
                        tuple(grant["Permissions"]),
                    )
                )
            if resource["Type"] == "AWS::LakeFormation::TagAssociation":
                tags = _resolved(resource["Properties"], resources, stack.account)
                spec = tags["Resource"].get("TableWithColumns", {})
                pii |= {
                    (spec["DatabaseName"], spec["Name"], tuple(spec["ColumnNames"]), tag["TagValues"][0])
                    for tag in tags["LFTags"]
                    if tag["TagKey"] == "pii"
                }
    assert analyst == {
        (mesh.domain(d.name).account, g.principal, g.resource, g.resource.catalog, g.permissions)
        for d in mesh.consumers
        for g in blueprint(mesh).analyst_grants(d.name)
    }
    assert len(analyst) == 10  # finance: DESCRIBE and SELECT on sales_orders.orders, one grant
    assert pii == {
        (db.name, t.name, t.pii_columns, "true") for db in blueprint(mesh).databases for t in db.tables if t.pii_columns
    }
    assert pii == {("sales_customers", "customers", ("email",), "true")}


def test_drift_by_hand_is_found_and_exits_1(deployed, meshctl):
    governance = session(GOV)
    lakeformation = governance.client("lakeformation")
    lakeformation.revoke_permissions(
        CatalogId=GOV,
        Principal={"DataLakePrincipalIdentifier": MARKETING},
        Resource={
            "TableWithColumns": {
                "CatalogId": GOV,
                "DatabaseName": "sales_customers",
                "Name": "customers",
                "ColumnNames": ["customer_id"],
            }
        },
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"],
    )
    governance.client("glue").delete_table(CatalogId=GOV, DatabaseName="finance_invoices", Name="invoices")
    grant(lakeformation, GOV, MARKETING, {"Database": {"CatalogId": GOV, "Name": "finance_invoices"}}, ["DESCRIBE"])
    result, report = _doctor(meshctl)
    assert result.exit_code == 1, result.output
    assert _drift(report) == [
        ("grant", f"marketing ({MARKETING}) on database finance_invoices", "extra"),
        ("grant", f"marketing ({MARKETING}) on table sales_customers.customers (columns customer_id)", "missing"),
        ("table", "finance_invoices.invoices", "missing"),
    ]
    extra = next(f for f in report["findings"] if f["status"] == "extra")
    assert (extra["domain"], extra["product"]) == ("finance", "invoices")


def test_different_table_columns_tags_and_links(deployed, meshctl):
    governance = session(GOV)
    glue = governance.client("glue")
    glue.update_table(
        CatalogId=GOV,
        DatabaseName="sales_orders",
        TableInput={
            "Name": "orders",
            "StorageDescriptor": {"Location": "s3://elsewhere/", "Columns": [{"Name": "order_id", "Type": "bigint"}]},
        },
    )
    governance.client("lakeformation").add_lf_tags_to_resource(
        CatalogId=GOV,
        Resource={"Database": {"CatalogId": GOV, "Name": "sales_orders"}},
        LFTags=[{"TagKey": "domain", "TagValues": ["sales"]}, {"TagKey": "confidentiality", "TagValues": ["public"]}],
    )
    consumer_glue = session(MARKETING).client("glue")
    consumer_glue.delete_database(CatalogId=MARKETING, Name="sales_orders")
    consumer_glue.create_database(
        CatalogId=MARKETING,
        DatabaseInput={  # a link to a share, under another name
            "Name": "orders_again",
            "TargetDatabase": {"CatalogId": GOV, "DatabaseName": "sales_orders"},
        },
    )
    session(SALES).client("s3").delete_bucket(Bucket=f"acme-sales-data-{SALES}-{REGION}")
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("bucket", f"acme-sales-data-{SALES}-{REGION}", "missing"),
        ("bucket-policy", f"acme-sales-data-{SALES}-{REGION} allows {REGISTRATION}", "missing"),
        ("lf-tag", "sales_orders confidentiality", "different"),
        ("resource-link", "orders_again", "extra"),
        ("resource-link", "sales_orders", "missing"),
        ("table", "sales_orders.orders", "different"),
        ("table-parameters", "sales_orders.orders", "different"),  # the update gave the table no parameters
    ]
    assert all(f["status"] != "ok" for f in report["findings"])
    table = next(f for f in report["findings"] if f["check"] == "table")
    assert table["detail"].startswith(
        "expected columns order_id string, customer_id string; partitions order_date date"
    )
    assert "found columns order_id bigint at s3://elsewhere/" in table["detail"]


def test_what_the_files_do_not_declare_is_extra(deployed, meshctl):
    """A second table in a product's database, a database tagged as a mesh product, a registered
    bucket named like a mesh data bucket: each is extra; what does not look like the mesh's is left alone."""
    governance = session(GOV)
    glue, lakeformation = governance.client("glue"), governance.client("lakeformation")
    glue.create_table(CatalogId=GOV, DatabaseName="sales_orders", TableInput={"Name": "orders_backup"})
    glue.create_database(
        CatalogId=GOV,
        DatabaseInput={"Name": "sales_leads", "Parameters": {"datamesh:domain": "sales", "datamesh:product": "leads"}},
    )
    glue.create_database(CatalogId=GOV, DatabaseInput={"Name": "scratch"})  # not the mesh's: not reported
    role = f"arn:aws:iam::{GOV}:role/acme-lakeformation-data-access"
    ghost = f"arn:aws:s3:::acme-hr-data-555555555555-{REGION}"
    lakeformation.register_resource(ResourceArn=ghost, RoleArn=role)
    lakeformation.register_resource(ResourceArn="arn:aws:s3:::someone-elses-bucket", RoleArn=role)
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("database", "sales_leads", "extra"),
        ("location", ghost, "extra"),
        ("table", "sales_orders.orders_backup", "extra"),
    ]
    assert _finding(report, "database", "sales_leads")["detail"] == "tagged as a mesh product but not in the files"
    assert (
        _finding(report, "database", "sales_leads")["domain"],
        _finding(report, "database", "sales_leads")["product"],
    ) == ("sales", "leads")
    assert _finding(report, "location", ghost)["detail"] == "a mesh data bucket no producer declares"
    assert _finding(report, "table", "sales_orders.orders_backup")["detail"] == "not in the files"


# What finance's deployed share of sales.orders leaves once the files no longer grant it.
FINANCE_ORDERS_SHARE_EXTRA = [
    ("analyst-grant", "acme-finance-analyst on database sales_orders", "extra"),
    ("analyst-grant", "acme-finance-analyst on database sales_orders of the governance catalog", "extra"),
    ("analyst-grant", "acme-finance-analyst on table sales_orders.orders", "extra"),
    ("grant", f"finance ({FINANCE}) on database sales_orders", "extra"),
    ("grant", f"finance ({FINANCE}) on table sales_orders.orders", "extra"),
    ("resource-link", "sales_orders", "extra"),
]


def test_an_expired_share_keeps_no_grants(deployed, meshctl):
    text = (deployed / "domains" / "finance.yaml").read_text()
    (deployed / "domains" / "finance.yaml").write_text(
        text.replace("  - product: sales.orders\n", "  - product: sales.orders\n    expires: 2020-01-01\n")
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == FINANCE_ORDERS_SHARE_EXTRA
    extra = _finding(report, "analyst-grant", "acme-finance-analyst on table sales_orders.orders")
    assert extra["detail"] == "DESCRIBE, SELECT granted, no granted subscription asks for it"
    assert extra["account"] == FINANCE


CUSTOMERS = {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}


def test_pii_column_tags_missing_different_or_extra(deployed, meshctl):
    lakeformation = session(GOV).client("lakeformation")
    lakeformation.remove_lf_tags_from_resource(
        CatalogId=GOV,
        Resource={"TableWithColumns": {**CUSTOMERS, "ColumnNames": ["email"]}},
        LFTags=[{"TagKey": "pii", "TagValues": ["true"]}],
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("lf-tag", "sales_customers.customers.email pii", "missing")]
    missing = report["findings"][0]
    assert (missing["domain"], missing["product"], missing["account"]) == ("sales", "customers", GOV)
    assert missing["detail"] == "expected pii=true"

    lakeformation.add_lf_tags_to_resource(
        CatalogId=GOV,
        Resource={"TableWithColumns": {**CUSTOMERS, "ColumnNames": ["email"]}},
        LFTags=[{"TagKey": "pii", "TagValues": ["false"]}],
    )
    lakeformation.add_lf_tags_to_resource(
        CatalogId=GOV,
        Resource={"TableWithColumns": {**CUSTOMERS, "ColumnNames": ["customer_id"]}},
        LFTags=[{"TagKey": "pii", "TagValues": ["true"]}],
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("lf-tag", "sales_customers.customers.customer_id pii", "extra"),
        ("lf-tag", "sales_customers.customers.email pii", "different"),
    ]
    assert _finding(report, "lf-tag", "sales_customers.customers.email pii")["detail"] == (
        "expected pii=true, found pii=false"
    )


def test_a_revoked_analyst_grant_is_missing(deployed, meshctl):
    lakeformation = session(MARKETING).client("lakeformation")
    analyst = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"
    lakeformation.revoke_permissions(
        CatalogId=MARKETING,
        Principal={"DataLakePrincipalIdentifier": analyst},
        Resource={"TableWithColumns": {**CUSTOMERS, "ColumnNames": ["customer_id"]}},
        Permissions=["SELECT"],
        PermissionsWithGrantOption=[],
    )
    grant(
        session(FINANCE).client("lakeformation"),
        FINANCE,
        f"arn:aws:iam::{FINANCE}:role/acme-finance-analyst",
        {"Database": {"CatalogId": FINANCE, "Name": "sales_orders"}},
        ["DESCRIBE"],
    )  # now with grant option
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("analyst-grant", "acme-finance-analyst on database sales_orders", "different"),
        ("analyst-grant", "acme-marketing-analyst on table sales_customers.customers (columns customer_id)", "missing"),
    ]
    missing = _finding(
        report, "analyst-grant", "acme-marketing-analyst on table sales_customers.customers (columns customer_id)"
    )
    assert (missing["domain"], missing["product"], missing["account"]) == ("sales", "customers", MARKETING)
    assert missing["detail"] == "expected SELECT"
    assert _finding(report, "analyst-grant", "acme-finance-analyst on database sales_orders")["detail"] == (
        "expected DESCRIBE without grant option, found DESCRIBE (grant option: DESCRIBE)"
    )


def test_select_on_pii_columns_is_a_breach(deployed, meshctl):
    """marketing was shared customers' other columns; its admin may still grant its analyst SELECT on the table or
    on more columns (Lake Formation shows the analyst only the account's columns), which doctor reports."""
    marketing = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"
    local = session(MARKETING).client("lakeformation")
    grant(local, MARKETING, marketing, {"Table": CUSTOMERS}, ["SELECT"], False)
    grant(
        local,
        MARKETING,
        marketing,
        {"TableWithColumns": {**CUSTOMERS, "ColumnNames": ["customer_id", "email"]}},
        ["SELECT"],
        False,
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("analyst-grant", "acme-marketing-analyst on table sales_customers.customers", "different"),
        (
            "analyst-grant",
            "acme-marketing-analyst on table sales_customers.customers (columns customer_id, email)",
            "different",
        ),
    ]
    breach = _finding(report, "analyst-grant", "acme-marketing-analyst on table sales_customers.customers")
    assert (breach["domain"], breach["product"], breach["account"]) == ("sales", "customers", MARKETING)
    assert breach["detail"] == (
        "SELECT reaches pii column(s) email, which the files withhold from consumers; "
        "expected DESCRIBE, found DESCRIBE, SELECT"
    )
    unasked = _finding(
        report,
        "analyst-grant",
        "acme-marketing-analyst on table sales_customers.customers (columns customer_id, email)",
    )
    assert unasked["detail"] == (
        "SELECT reaches pii column(s) email, which the files withhold from consumers; expected no grant, found SELECT"
    )


def test_an_account_whose_iam_allowed_principals_defaults_are_back_is_drift(deployed, meshctl):
    lakeformation = session(MARKETING).client("lakeformation")
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    iam_only = [{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, "Permissions": ["ALL"]}]
    lakeformation.put_data_lake_settings(
        DataLakeSettings={
            **settings,
            "CreateTableDefaultPermissions": iam_only,
            "Parameters": {"CROSS_ACCOUNT_VERSION": "1"},
        }
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("lf-settings", MARKETING, "different")]
    assert _finding(report, "lf-settings", MARKETING)["detail"] == (
        "CreateTableDefaultPermissions gives ALL to IAM_ALLOWED_PRINCIPALS; cross-account version 1, needs 3 or "
        "later (meshctl deploy sets them)"
    )


def test_a_mesh_database_or_table_iam_allowed_principals_holds_permissions_on_is_drift(deployed, meshctl):
    """One finding per database and table of the mesh on which the group holds a permission (Lake Formation
    guide, "Cross-account access prerequisites"); a database the mesh does not own is not judged."""
    lakeformation, glue = session(GOV).client("lakeformation"), session(GOV).client("glue")
    glue.create_database(DatabaseInput={"Name": "scratch"})
    group = {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}
    for resource in (
        {"Database": {"Name": "sales_customers"}},
        {"Database": {"Name": "scratch"}},
        {"Table": {"DatabaseName": "sales_customers", "Name": "customers"}},
    ):
        lakeformation.grant_permissions(Principal=group, Resource=resource, Permissions=["ALL"])
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("iam-allowed-principals", "database sales_customers", "different"),
        ("iam-allowed-principals", "table sales_customers.customers", "different"),
    ]
    finding = _finding(report, "iam-allowed-principals", "table sales_customers.customers")
    assert (finding["domain"], finding["product"], finding["account"], finding["detail"]) == (
        "sales",
        "customers",
        GOV,
        "IAMAllowedPrincipals holds ALL: IAM alone decides access and the mesh's grants are "
        "not in effect (meshctl deploy revokes it)",
    )


def test_the_table_view_colours_and_summarises(deployed):
    session(GOV).client("glue").delete_table(CatalogId=GOV, DatabaseName="finance_invoices", Name="invoices")
    colours = {"COLUMNS": "200", "FORCE_COLOR": "1", "TERM": "xterm", "NO_COLOR": None, "COLORTERM": None}
    result = CliRunner().invoke(app, ["doctor"], env=colours)
    assert result.exit_code == 1
    summary = result.stdout.splitlines()[-1]
    assert (
        summary == "78 ok, 1 missing, 0 extra, 0 different, 0 retained, 0 pending confirmation"
    )  # 80 checks of a fresh deploy; a table gone, its parameters unchecked
    missing = next(line for line in result.stdout.splitlines() if "finance_invoices.invoices" in line)
    assert re.search(f"{RED}missing *{RESET}", missing)  # the cell's padding takes the style too
    assert len(re.findall(f"{GREEN}ok *{RESET}", result.stdout)) == 78


def _patch_client(monkeypatch, service, change, in_account=GOV):
    """Let ``change`` alter every new ``service`` client meshctl makes in ``in_account``."""
    original = aws.Accounts.client

    def client(self, account, domain, name):
        made = original(self, account, domain, name)
        if name == service and account == in_account:
            change(made)
        return made

    monkeypatch.setattr(aws.Accounts, "client", client)


def test_access_denied_is_one_line_and_exit_4(deployed, meshctl, monkeypatch):
    def deny(client):
        stubber = Stubber(client)
        stubber.add_client_error("get_databases", "AccessDeniedException", "User is not authorized to GetDatabases")
        stubber.activate()

    _patch_client(monkeypatch, "glue", deny)
    result = meshctl("doctor")
    assert result.exit_code == 4
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: account {GOV} (governance): Glue GetDatabases at https://glue.{REGION}.amazonaws.com: "
        "access denied (AccessDeniedException): User is not authorized to GetDatabases"
    ]
    assert "Traceback" not in result.output
    assert "marketing" in result.stdout  # the other accounts were still checked


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


def test_throttling_is_retried_then_one_line_and_exit_4(deployed, meshctl, monkeypatch):
    calls = []

    def throttle(client):
        def respond(request, **_):
            calls.append(request.url)
            return AWSResponse(
                request.url,
                400,
                {"x-amzn-ErrorType": "ThrottlingException"},
                _Raw(b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'),
            )

        client.meta.events.register_first("before-send.glue.GetDatabases", respond)

    _patch_client(monkeypatch, "glue", throttle)
    result = meshctl("doctor", "--max-attempts", "3")
    assert result.exit_code == 4
    assert len(calls) == 3
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: account {GOV} (governance): Glue GetDatabases at https://glue.{REGION}.amazonaws.com: "
        "throttled (ThrottlingException); gave up after 3 attempt(s)"
    )


def _athena_answering(answers: list[tuple[int, dict, bytes]]):
    """Every GetWorkGroup of meshctl's Athena clients gets the last of ``answers`` instead of the local AWS's."""

    def answer(client):
        client.meta.events.register_first(
            "before-send.athena.GetWorkGroup",
            lambda request, **_: AWSResponse(request.url, answers[-1][0], answers[-1][1], _Raw(answers[-1][2])),
        )

    return answer


ATHENA = f"Athena GetWorkGroup at https://athena.{REGION}.amazonaws.com"


def _unread_accounts(result, report):
    """The error lines, after checking the exit code, the absence of a traceback, and that no finding comes from
    an account with an error (so none of its resources is reported missing)."""
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output
    assert not {f["account"] for f in report["findings"]} & {e.split()[1] for e in report["errors"]}
    return report["errors"]


def test_an_html_404_for_one_service_is_cannot_read_and_reports_nothing_missing(deployed, meshctl, monkeypatch):
    """A proxy or an endpoint that does not route Athena answers an HTML 404 page: not Athena's not-found answer."""
    page = b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    _patch_client(
        monkeypatch,
        "athena",
        _athena_answering([(404, {"Content-Type": "text/html; charset=utf-8"}, page)]),
        in_account=MARKETING,
    )
    result, report = _doctor(meshctl)
    assert _unread_accounts(result, report) == [
        f"account {MARKETING} (marketing): {ATHENA}: HTTP 404 with an HTML page, not an answer of the Athena API"
    ]
    assert [f for f in report["findings"] if f["status"] == "missing"] == []
    assert {f["account"] for f in report["findings"]} == {GOV, SALES, FINANCE}


def test_a_server_error_or_an_answer_that_is_not_json_is_cannot_read(deployed, meshctl, monkeypatch):
    answers = [(503, {}, b"Service Unavailable")]
    _patch_client(monkeypatch, "athena", _athena_answering(answers), in_account=MARKETING)
    for answer, reason in [
        ((503, {}, b"Service Unavailable"), "HTTP 503 without an AWS error code: Service Unavailable"),
        ((200, {}, b"<WorkGroup/>"), "HTTP 200 with a body that is not JSON"),
        ((200, {}, b'{"WorkGroup": null}'), "HTTP 200 without WorkGroup"),
    ]:
        answers.append(answer)
        result, report = _doctor(meshctl, "--max-attempts", "1")
        assert _unread_accounts(result, report) == [f"account {MARKETING} (marketing): {ATHENA}: {reason}"]


def test_an_endpoint_that_answers_html_404_everywhere_exits_4_with_no_finding(mesh_dir, html_endpoint, meshctl):
    result, report = _doctor(meshctl, "--endpoint-url", html_endpoint, "--max-attempts", "1")
    assert _unread_accounts(result, report) == sorted(
        f"account {account} ({name}): STS GetCallerIdentity at {html_endpoint}: HTTP 404 with an HTML page, "
        "not an answer of the STS API"
        for account, name in [(GOV, "governance"), (SALES, "sales"), (FINANCE, "finance"), (MARKETING, "marketing")]
    )
    assert report["findings"] == []


def test_throttling_that_passes_within_the_attempts_changes_no_finding(deployed, meshctl, monkeypatch):
    """AWS throttles (moto never does): a handler answers the first calls with ThrottlingException,
    botocore's retries try again, and doctor reports what it reports unthrottled."""
    _, unthrottled = _doctor(meshctl)
    throttled = []

    def throttle_twice(client):
        def respond(request, **_):
            if len(throttled) < 2:
                throttled.append(request.url)
                return AWSResponse(
                    request.url,
                    400,
                    {"x-amzn-ErrorType": "ThrottlingException"},
                    _Raw(b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'),
                )
            return None  # the call goes through

        client.meta.events.register_first("before-send.lakeformation.ListPermissions", respond)

    _patch_client(monkeypatch, "lakeformation", throttle_twice)
    result, report = _doctor(meshctl, "--max-attempts", "3")
    assert result.exit_code == 0, result.output
    assert len(throttled) == 2
    assert report == unthrottled


def test_an_unreachable_endpoint_is_one_line_per_account(mesh_dir, credentials, meshctl):
    result = meshctl("doctor", "--endpoint-url", "http://localhost:9", "--max-attempts", "1", "--json")
    assert result.exit_code == 4
    report = json.loads(result.stdout)
    assert len(report["errors"]) == 4
    assert all(
        e.endswith(
            "STS GetCallerIdentity at http://localhost:9: no answer (EndpointConnectionError); is the endpoint up?"
        )
        for e in report["errors"]
    )
    assert "Traceback" not in result.output


def test_with_no_account_reached_the_table_view_is_the_error_lines_only(mesh_dir, credentials, meshctl):
    result = meshctl("doctor", "--endpoint-url", "http://localhost:9", "--max-attempts", "1")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert sorted(result.stderr.splitlines()) == [
        f"error: account {account} ({name}): STS GetCallerIdentity at http://localhost:9: no answer "
        "(EndpointConnectionError); is the endpoint up?"
        for account, name in [(GOV, "governance"), (SALES, "sales"), (FINANCE, "finance"), (MARKETING, "marketing")]
    ]


def test_a_missing_profile_is_one_line(mesh_dir, credentials, meshctl):
    result = meshctl("doctor", "--profile-template", "acme-{domain}", "--json")
    assert result.exit_code == 4
    assert sorted(json.loads(result.stdout)["errors"])[0] == (
        f"account {GOV} (governance): The config profile (acme-governance) could not be found"
    )


def _returns_database(retain: bool) -> dict:
    resource = {
        "Type": "AWS::Glue::Database",
        "Properties": {
            "CatalogId": GOV,
            "DatabaseInput": {
                "Name": "sales_returns",
                "Parameters": {"datamesh:domain": "sales", "datamesh:product": "returns"},
            },
        },
    }
    return {**resource, "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if retain else resource


def _deploy_then_drop(retain: bool) -> None:
    """A stack creates the database, then an update removes it from the template (the local
    AWS's CloudFormation: DeletionPolicy as the engine applies it)."""
    from localaws import support

    support.install()
    cloudformation = session(GOV).client("cloudformation")
    keep = {"Marker": {"Type": "AWS::CDK::Metadata", "Properties": {"Analytics": "v2"}}}
    cloudformation.create_stack(
        StackName="acme-Sales-Catalog-old",
        TemplateBody=json.dumps({"Resources": {**keep, "ReturnsDatabase": _returns_database(retain)}}),
    )
    cloudformation.update_stack(StackName="acme-Sales-Catalog-old", TemplateBody=json.dumps({"Resources": keep}))


def test_a_database_cloudformation_retained_is_retained_not_drift(deployed, meshctl):
    """A product removed from the files leaves its database (DeletionPolicy Retain): the stack
    that created it no longer manages it and its events say DELETE_SKIPPED, so doctor reports
    it as retained and not as drift."""
    _deploy_then_drop(retain=True)
    result, report = _doctor(meshctl)
    assert result.exit_code == 0, result.output
    assert _drift(report) == [("database", "sales_returns", "retained")]
    assert report["summary"]["retained"] == 1
    result = meshctl("doctor", "--drift-only")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines() == [
        f"no drift: all {len(report['findings'])} checks of mesh acme match the files (1 retained after removal)"
    ]


def test_a_mesh_database_no_stack_ever_had_is_extra(deployed, meshctl):
    session(GOV).client("glue").create_database(
        CatalogId=GOV,
        DatabaseInput={
            "Name": "sales_returns",
            "Parameters": {"datamesh:domain": "sales", "datamesh:product": "returns"},
        },
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("database", "sales_returns", "extra")]


def test_drift_only_without_drift_is_one_line(deployed, meshctl):
    result, report = _doctor(meshctl)
    result = meshctl("doctor", "--drift-only")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"no drift: all {len(report['findings'])} checks of mesh acme match the files"
    ]


def test_today_judges_expiry_as_on_that_day(deployed, meshctl):
    """`--today` (the app's `-c today=`): on the day a share expires its deployed grants and link become extra."""
    text = (deployed / "domains" / "finance.yaml").read_text()
    (deployed / "domains" / "finance.yaml").write_text(
        text.replace("  - product: sales.orders\n", "  - product: sales.orders\n    expires: 2099-06-30\n")
    )
    result, report = _doctor(meshctl, "--drift-only", "--today", "2099-06-29")
    assert result.exit_code == 0, result.output
    assert _drift(report) == []
    result, report = _doctor(meshctl, "--drift-only", "--today", "2099-06-30")
    assert result.exit_code == 1
    assert _drift(report) == FINANCE_ORDERS_SHARE_EXTRA


# The resources the test mesh's stacks make, named literally from tests/support/fixture_mesh.py and datamesh/names/naming.py's
# patterns; each test changes one behind the mesh's back and doctor reports that, and only that.
REGISTRATION = f"arn:aws:iam::{GOV}:role/acme-lakeformation-data-access"
SALES_DATA = f"acme-sales-data-{SALES}-{REGION}"
MARKETING_RESULTS = f"acme-marketing-athena-{MARKETING}-{REGION}"
MARKETING_ANALYST = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"


def test_a_lake_formation_admin_removed_is_different(deployed, meshctl):
    lakeformation = session(MARKETING).client("lakeformation")
    settings = lakeformation.get_data_lake_settings(CatalogId=MARKETING)["DataLakeSettings"]
    lakeformation.put_data_lake_settings(CatalogId=MARKETING, DataLakeSettings={**settings, "DataLakeAdmins": []})
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("lf-admins", MARKETING, "different")]
    assert _finding(report, "lf-admins", MARKETING)["detail"] == (
        f"not admins: arn:aws:iam::{MARKETING}:role/cdk-hnb659fds-cfn-exec-role-{MARKETING}-{REGION}"
    )


def test_an_lf_tag_value_removed_is_different(deployed, meshctl):
    session(GOV).client("lakeformation").update_lf_tag(
        CatalogId=GOV, TagKey="confidentiality", TagValuesToDelete=["restricted"]
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("lf-tag-values", "confidentiality", "different")]
    assert _finding(report, "lf-tag-values", "confidentiality")["detail"] == (
        "expected confidential, internal, public, restricted, found confidential, internal, public"
    )


def test_catalog_encryption_turned_off_is_different(deployed, meshctl):
    session(GOV).client("glue").put_data_catalog_encryption_settings(
        CatalogId=GOV, DataCatalogEncryptionSettings={"EncryptionAtRest": {"CatalogEncryptionMode": "DISABLED"}}
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("catalog-encryption", "alias/acme/catalog", "different")]
    assert _finding(report, "catalog-encryption", "alias/acme/catalog")["detail"].startswith(
        "mode DISABLED, expected SSE-KMS"
    )


def test_a_deleted_role_is_missing(deployed, meshctl):
    session(SALES).client("iam").delete_role(RoleName="acme-sales-producer")
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("role", "acme-sales-producer", "missing")]


def test_bucket_versioning_logging_and_public_access_block_are_checked(deployed, meshctl):
    sales, marketing = session(SALES).client("s3"), session(MARKETING).client("s3")
    sales.put_bucket_versioning(Bucket=SALES_DATA, VersioningConfiguration={"Status": "Suspended"})
    sales.put_bucket_logging(Bucket=SALES_DATA, BucketLoggingStatus={})
    marketing.delete_public_access_block(Bucket=MARKETING_RESULTS)
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("bucket", MARKETING_RESULTS, "different"), ("bucket", SALES_DATA, "different")]
    assert _finding(report, "bucket", SALES_DATA)["detail"] == (
        f"versioning Suspended; access logs to nowhere, expected acme-sales-logs-{SALES}-{REGION}"
    )
    assert _finding(report, "bucket", MARKETING_RESULTS)["detail"] == (
        "public access not blocked: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets"
    )


def test_a_bucket_encrypted_with_another_key_is_different(deployed, meshctl):
    sales = session(SALES).client("s3")
    sales.put_bucket_encryption(
        Bucket=SALES_DATA,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("bucket", SALES_DATA, "different")]
    assert _finding(report, "bucket", SALES_DATA)["detail"] == "default encryption AES256, expected aws:kms"


def test_a_bucket_policy_without_the_registration_role_is_different_and_none_is_missing(deployed, meshctl):
    session(SALES).client("s3").put_bucket_policy(
        Bucket=SALES_DATA,
        Policy=json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{SALES}:root"},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{SALES_DATA}/*",
                    }
                ]
            }
        ),
    )
    finance_data = f"acme-finance-data-{FINANCE}-{REGION}"
    session(FINANCE).client("s3").delete_bucket_policy(Bucket=finance_data)
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [
        ("bucket-policy", f"{finance_data} allows {REGISTRATION}", "missing"),
        ("bucket-policy", f"{SALES_DATA} allows {REGISTRATION}", "different"),
    ]


def test_a_key_policy_or_iam_policy_that_no_longer_allows_the_key_is_different(deployed, meshctl):
    kms = session(SALES).client("kms")
    key = kms.describe_key(KeyId="alias/acme/sales/data")["KeyMetadata"]["KeyId"]
    kms.put_key_policy(
        KeyId=key,
        PolicyName="default",
        Policy=json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{SALES}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ]
            }
        ),
    )
    session(MARKETING).client("iam").delete_role_policy(RoleName="acme-marketing-analyst", PolicyName="Policy")
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    registration = f"{REGISTRATION} may kms:Decrypt with alias/acme/sales/data via s3.{REGION}.amazonaws.com"
    analyst = (
        f"{MARKETING_ANALYST} may kms:Decrypt, kms:Encrypt, kms:GenerateDataKey with alias/acme/catalog "
        f"via glue.{REGION}.amazonaws.com"
    )
    assert _drift(report) == [("key-access", registration, "different"), ("key-access", analyst, "different")]
    assert _finding(report, "key-access", registration)["detail"] == (
        f"the key policy allows no kms:Decrypt for {REGISTRATION} through s3.{REGION}.amazonaws.com"
    )
    assert _finding(report, "key-access", analyst)["detail"].startswith(
        f"the IAM policies of {MARKETING_ANALYST} allow no kms:Decrypt on arn:aws:kms:{REGION}:{GOV}:key/"
    )


def test_a_workgroup_writing_elsewhere_unencrypted_is_different_and_a_deleted_one_missing(deployed, meshctl):
    """The local AWS answers GetWorkGroup for a deleted workgroup as Athena does (InvalidRequestException)."""
    from localaws import support

    support.install()
    athena = session(MARKETING).client("athena")
    athena.delete_work_group(WorkGroup="acme-marketing")
    athena.create_work_group(
        Name="acme-marketing",
        Configuration={
            "ResultConfiguration": {
                "OutputLocation": "s3://elsewhere/",
                "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"},
            }
        },
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("workgroup", "acme-marketing", "different")]
    assert _finding(report, "workgroup", "acme-marketing")["detail"] == (
        f"results to s3://elsewhere/, expected s3://{MARKETING_RESULTS}/; results encryption SSE_S3, expected SSE_KMS"
    )
    athena.delete_work_group(WorkGroup="acme-marketing")
    result, report = _doctor(meshctl, "--drift-only")
    assert _drift(report) == [("workgroup", "acme-marketing", "missing")]


def test_table_parameters_changed_are_different(deployed, meshctl):
    glue = session(GOV).client("glue")
    table = glue.get_table(CatalogId=GOV, DatabaseName="sales_orders", Name="orders")["Table"]
    parameters = {**table["Parameters"], "projection.enabled": "false"}
    del parameters["projection.order_date.type"]
    glue.update_table(
        CatalogId=GOV,
        DatabaseName="sales_orders",
        TableInput={
            "Name": "orders",
            "TableType": table["TableType"],
            "Parameters": parameters,
            "PartitionKeys": table["PartitionKeys"],
            "StorageDescriptor": table["StorageDescriptor"],
        },
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("table-parameters", "sales_orders.orders", "different")]
    assert _finding(report, "table-parameters", "sales_orders.orders")["detail"] == (
        "projection.enabled='false', expected 'true'; no projection.order_date.type (expected 'injected')"
    )


def test_a_producer_grant_revoked_is_different(deployed, meshctl):
    session(GOV).client("lakeformation").revoke_permissions(
        CatalogId=GOV,
        Principal={"DataLakePrincipalIdentifier": SALES},
        Resource={"Table": {"CatalogId": GOV, "DatabaseName": "sales_orders", "TableWildcard": {}}},
        Permissions=["SELECT"],
        PermissionsWithGrantOption=["SELECT"],
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("producer-grant", f"sales ({SALES}) on every table of sales_orders", "different")]
    revoked = _finding(report, "producer-grant", f"sales ({SALES}) on every table of sales_orders")
    assert (revoked["domain"], revoked["product"], revoked["detail"]) == (
        "sales",
        "orders",
        "missing with grant option: SELECT",
    )


def test_a_database_its_stack_deleted_then_made_again_by_hand_is_extra(deployed, meshctl):
    """Only a ``DELETE_SKIPPED`` event says CloudFormation kept a database: one its stack deleted (no
    DeletionPolicy Retain, so CloudFormation's default, Delete) and someone made again is extra."""
    _deploy_then_drop(retain=False)
    session(GOV).client("glue").create_database(
        CatalogId=GOV, DatabaseInput=_returns_database(retain=False)["Properties"]["DatabaseInput"]
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("database", "sales_returns", "extra")]


def test_grants_outside_the_domain_accounts_or_on_data_locations_are_not_judged(deployed, meshctl):
    """The catalog's grants to its own roles (Lake Formation's data-access role, an administrator's) and
    grants on data locations are not the subscriptions' to explain: doctor leaves them alone."""
    lakeformation = session(GOV).client("lakeformation")
    grant(lakeformation, GOV, REGISTRATION, {"Database": {"CatalogId": GOV, "Name": "sales_orders"}}, ["DESCRIBE"])
    grant(
        lakeformation,
        GOV,
        FINANCE,
        {"DataLocation": {"CatalogId": GOV, "ResourceArn": f"arn:aws:s3:::{SALES_DATA}"}},
        ["DATA_LOCATION_ACCESS"],
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 0, result.output
    assert _drift(report) == []


def test_a_consumer_grant_without_its_grant_option_is_different(deployed, meshctl):
    """A consumer account gets its grants with grant option (to pass them on to its analysts)."""
    lakeformation = session(GOV).client("lakeformation")
    database = {"Database": {"CatalogId": GOV, "Name": "sales_orders"}}
    lakeformation.revoke_permissions(
        CatalogId=GOV,
        Principal={"DataLakePrincipalIdentifier": FINANCE},
        Resource=database,
        Permissions=[],
        PermissionsWithGrantOption=["DESCRIBE"],
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    subject = f"finance ({FINANCE}) on database sales_orders"
    assert _drift(report) == [("grant", subject, "different")]
    assert _finding(report, "grant", subject)["detail"] == (
        "expected DESCRIBE with grant option, found DESCRIBE (grant option: none)"
    )


def test_the_analyst_grants_judged_are_those_on_the_mesh_databases_in_any_order(deployed, meshctl, monkeypatch):
    """In the consumer's catalog, grants to other principals, on the account's own databases and on data
    locations are not the analyst role's share grants; ListPermissions' order is not documented, so
    listing those first changes nothing."""
    lakeformation, finance_analyst = (
        session(FINANCE).client("lakeformation"),
        f"arn:aws:iam::{FINANCE}:role/acme-finance-analyst",
    )
    session(FINANCE).client("glue").create_database(CatalogId=FINANCE, DatabaseInput={"Name": "finance_scratch"})
    lakeformation.register_resource(
        ResourceArn=f"arn:aws:s3:::acme-finance-data-{FINANCE}-{REGION}", UseServiceLinkedRole=True
    )  # a grant on a location needs it registered
    grant(
        lakeformation,
        FINANCE,
        finance_analyst,
        {"Database": {"CatalogId": FINANCE, "Name": "finance_scratch"}},
        ["DESCRIBE"],
        False,
    )
    grant(
        lakeformation,
        FINANCE,
        finance_analyst,
        {"DataLocation": {"CatalogId": FINANCE, "ResourceArn": f"arn:aws:s3:::acme-finance-data-{FINANCE}-{REGION}"}},
        ["DATA_LOCATION_ACCESS"],
        False,
    )
    session(FINANCE).client("iam").create_role(RoleName="engineer", AssumeRolePolicyDocument="{}")  # a principal exists
    grant(
        lakeformation,
        FINANCE,
        f"arn:aws:iam::{FINANCE}:role/engineer",
        {"Database": {"CatalogId": FINANCE, "Name": "sales_orders"}},
        ["DESCRIBE"],
        False,
    )

    def others_first(client):
        def reorder(parsed, **_):
            parsed.get("PrincipalResourcePermissions", []).sort(
                key=lambda entry: (
                    entry["Principal"]["DataLakePrincipalIdentifier"] == finance_analyst,
                    "finance_scratch" not in json.dumps(entry["Resource"]) and "DataLocation" not in entry["Resource"],
                )
            )

        client.meta.events.register("after-call.lakeformation.ListPermissions", reorder)

    _patch_client(monkeypatch, "lakeformation", others_first, in_account=FINANCE)
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 0, result.output
    assert _drift(report) == []


def test_a_database_a_live_stack_manages_is_never_retained(deployed, meshctl):
    """A database an old stack kept (``DELETE_SKIPPED``), deleted by hand and made again by another stack
    that is still there: that stack manages it, so it is not a kept leftover but extra."""
    from localaws import support

    _deploy_then_drop(retain=True)
    session(GOV).client("glue").delete_database(CatalogId=GOV, Name="sales_returns")
    support.install()
    session(GOV).client("cloudformation").create_stack(
        StackName="acme-Returns",
        TemplateBody=json.dumps({"Resources": {"ReturnsDatabase": _returns_database(retain=False)}}),
    )
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    assert _drift(report) == [("database", "sales_returns", "extra")]


# doctor's quality-ruleset check against the Glue API's shapes (botocore's Stubber validates them against
# the service model): GetDataQualityRuleset returns the ruleset's Ruleset (DQDL) and TargetTable, and a
# name Glue does not know is an EntityNotFoundException (AWS Glue API reference).
RULESET, RULES = "sales_orders.orders", 'Rules = [ IsComplete "order_id" ]'


def _glue_answering(response=None, error=None):
    glue = boto3.client("glue", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(glue)
    if error:
        stubber.add_client_error("get_data_quality_ruleset", error, "not this one", expected_params={"Name": RULESET})
    else:
        stubber.add_response("get_data_quality_ruleset", response, expected_params={"Name": RULESET})
    stubber.activate()
    return watch(glue)


def _ruleset_finding(glue):
    return check_ruleset(glue, "sales", "orders", RULESET, "sales_orders", "orders", RULES)


def test_a_ruleset_glue_does_not_have_is_missing_and_other_errors_are_raised():
    """GetDataQualityRuleset's documented not-found error is EntityNotFoundException (botocore's Glue model); another
    operation's not-found code (KMS's NotFoundException) is not this one's."""
    assert _ruleset_finding(_glue_answering(error="EntityNotFoundException")) == Finding(
        "sales", "orders", "quality-ruleset", RULESET, Status.MISSING, "expected on sales_orders.orders"
    )
    for code in ("AccessDeniedException", "InvalidInputException", "NotFoundException", "404"):
        with pytest.raises(CannotRead, match=f"^Glue GetDataQualityRuleset at https://glue.{REGION}.amazonaws.com: "):
            _ruleset_finding(_glue_answering(error=code))


def test_a_ruleset_on_another_table_or_with_other_rules_is_different():
    same = {"Name": RULESET, "Ruleset": RULES, "TargetTable": {"DatabaseName": "sales_orders", "TableName": "orders"}}
    assert _ruleset_finding(_glue_answering(same)).status is Status.OK
    moved = {
        **same,
        "Ruleset": "Rules = [ RowCount > 0 ]",
        "TargetTable": {"DatabaseName": "sales_orders", "TableName": "old"},
    }
    assert _ruleset_finding(_glue_answering(moved)).detail == (
        "targets sales_orders.old, expected sales_orders.orders; its rules differ from the contract's"
    )
    edited = {**same, "Ruleset": "Rules = [ RowCount > 0 ]"}
    assert _ruleset_finding(_glue_answering(edited)).detail == "its rules differ from the contract's"


def _athena_failing(code, message="WorkGroup acme-marketing is not found."):
    athena = boto3.client("athena", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(athena)
    stubber.add_client_error("get_work_group", code, message, expected_params={"WorkGroup": "acme-marketing"})
    stubber.activate()
    return watch(athena)


def test_a_workgroup_athena_does_not_know_is_missing_and_other_errors_are_raised():
    """GetWorkGroup answers a name it does not know with InvalidRequestException and "WorkGroup <name> is not
    found." (docs/meshctl.md, "What missing means"); the same code with another message is another error."""
    finding = check_workgroup(
        _athena_failing("InvalidRequestException"), "marketing", "acme-marketing", MARKETING_RESULTS
    )
    assert (finding.status, finding.resource) == (Status.MISSING, "acme-marketing")
    for code, message in [
        ("AccessDeniedException", "WorkGroup acme-marketing is not found."),
        ("InvalidRequestException", "Workgroup name acme-marketing is not valid."),
        ("404", "WorkGroup acme-marketing is not found."),
    ]:
        with pytest.raises(CannotRead, match=f"^Athena GetWorkGroup at https://athena.{REGION}.amazonaws.com: "):
            check_workgroup(_athena_failing(code, message), "marketing", "acme-marketing", MARKETING_RESULTS)


def test_a_key_allowed_by_an_attached_managed_policy_only_is_ok(deployed, meshctl):
    """A role's permissions are its inline and its attached managed policies (IAM User Guide, "Managed
    policies and inline policies"): the analyst's key use moved into a managed policy is still allowed."""
    iam = session(MARKETING).client("iam")
    document = iam.get_role_policy(RoleName="acme-marketing-analyst", PolicyName="Policy")["PolicyDocument"]
    iam.delete_role_policy(RoleName="acme-marketing-analyst", PolicyName="Policy")
    managed = iam.create_policy(PolicyName="analyst-access", PolicyDocument=json.dumps(document))["Policy"]["Arn"]
    iam.attach_role_policy(RoleName="acme-marketing-analyst", PolicyArn=managed)
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 0, result.output
    assert _drift(report) == []


def test_key_access_without_the_key_or_the_role_is_missing(deployed, meshctl):
    session(SALES).client("kms").delete_alias(AliasName="alias/acme/sales/data")
    iam = session(MARKETING).client("iam")
    iam.delete_role_policy(RoleName="acme-marketing-analyst", PolicyName="Policy")
    iam.delete_role(RoleName="acme-marketing-analyst")
    result, report = _doctor(meshctl, "--drift-only")
    assert result.exit_code == 1
    registration = f"{REGISTRATION} may kms:Decrypt with alias/acme/sales/data via s3.{REGION}.amazonaws.com"
    analyst = (
        f"{MARKETING_ANALYST} may kms:Decrypt, kms:Encrypt, kms:GenerateDataKey with alias/acme/catalog "
        f"via glue.{REGION}.amazonaws.com"
    )
    assert _finding(report, "key-access", registration)["detail"] == (
        f"expected the KMS key alias/acme/sales/data in account {SALES}"
    )
    assert _finding(report, "key-access", analyst)["detail"] == f"expected the role {MARKETING_ANALYST}"
    assert ("role", "acme-marketing-analyst", "missing") in _drift(report)


def _calls_of_every_client(monkeypatch) -> list[tuple[str, str, dict]]:
    """(account, operation, parameters) of every AWS call meshctl's clients make, in order."""
    calls: list[tuple[str, str, dict]] = []
    original = aws.Accounts.client

    def client(self, account, domain, name):
        made = original(self, account, domain, name)
        if not getattr(made, "_counted", False):
            made._counted = True
            made.meta.events.register(
                "before-parameter-build",
                lambda model, params, account=account, **_: calls.append((account, model.name, dict(params))),
            )
        return made

    monkeypatch.setattr(aws.Accounts, "client", client)
    return calls


def test_what_several_checks_judge_is_read_once_per_run(deployed, meshctl, monkeypatch):
    """Both producers' key-access checks judge the registration role, both consumers' the catalog key: each is read
    once per run (calls per account, not per domain), and every key-access check still answers. The admins and the
    settings checks judge one read of each account's Lake Formation settings."""
    calls = _calls_of_every_client(monkeypatch)
    result, report = _doctor(meshctl)
    assert result.exit_code == 0, result.output
    key_policies = [(account, params["KeyId"]) for account, name, params in calls if name == "GetKeyPolicy"]
    role_reads = [(account, params["RoleName"]) for account, name, params in calls if name == "ListRolePolicies"]
    assert len(key_policies) == len(set(key_policies)) and len(role_reads) == len(set(role_reads))
    assert sorted(account for account, name, _ in calls if name == "GetDataLakeSettings") == [
        GOV,
        SALES,
        FINANCE,
        MARKETING,
    ]
    assert (GOV, "acme-lakeformation-data-access") in role_reads
    assert any(account == GOV and "catalog" not in key for account, key in key_policies)  # the catalog key's ARN
    checks = sorted(f["resource"].split(" may ")[0] for f in report["findings"] if f["check"] == "key-access")
    assert checks == sorted(
        [REGISTRATION, REGISTRATION, MARKETING_ANALYST, f"arn:aws:iam::{FINANCE}:role/acme-finance-analyst"]
    )


def test_throttling_that_never_ends_on_a_read_shared_by_several_checks_is_cannot_read_for_each(
    deployed, meshctl, monkeypatch
):
    """The catalog key, throttled past the attempts: the governance account (catalog encryption) and each consumer
    whose analyst uses the key (key access) cannot be read; nothing is reported missing."""

    def throttle(client):
        client.meta.events.register_first(
            "before-send.kms.DescribeKey",
            lambda request, **_: (
                None
                if "catalog" not in str(request.body)
                else AWSResponse(
                    request.url,
                    400,
                    {"x-amzn-ErrorType": "ThrottlingException"},
                    _Raw(b'{"__type": "ThrottlingException", "message": "Rate exceeded"}'),
                )
            ),
        )

    _patch_client(monkeypatch, "kms", throttle)
    result, report = _doctor(meshctl, "--max-attempts", "2")
    kms = f"KMS DescribeKey at https://kms.{REGION}.amazonaws.com: throttled (ThrottlingException); gave up after 2 attempt(s)"
    assert _unread_accounts(result, report) == [
        f"account {GOV} (governance): {kms}",
        f"account {FINANCE} (finance): {kms}",
        f"account {MARKETING} (marketing): {kms}",
    ]
    assert [f for f in report["findings"] if f["status"] == "missing"] == []
    assert {f["account"] for f in report["findings"]} == {SALES}
