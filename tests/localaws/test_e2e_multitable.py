"""End to end, several tables: the real CDK CLI deploys the example mesh to a local AWS, then
the same mesh with sales.customers grown to three tables (tests/support/multitable_mesh.py). The table
the product had is updated in place, marketing reads the two tables it names with pii withheld
and nothing of the third, meshctl doctor finds no drift, and dropping a table is breaking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from datamesh.config import Mesh, load_mesh
from datamesh.deploy import local_aws
from datamesh.meshctl.contract import unannounced_problems
from datamesh.names import naming
from localaws import control
from localaws.accounts import Accounts
from localaws.control import Server
from tests.support.doctor_cli import doctor_json
from tests.support.multitable_mesh import (
    ADDRESSES,
    CONTRACT,
    READ_BY_MARKETING,
    SEGMENTS,
    add_tables,
    copy_example_mesh,
)

pytestmark = pytest.mark.e2e

DATABASE = naming.database("sales", "customers")


@dataclass(frozen=True)
class Grown:
    mesh: Mesh
    server: Server
    aws: Accounts
    first: int
    second: int
    logs: str
    table_before: dict
    table_after: dict
    table_events: list[dict]


def _table_resource(aws: Accounts, mesh: Mesh) -> str:
    cloudformation = aws.client("cloudformation", mesh.config.governance_account)
    resources = cloudformation.describe_stack_resources(StackName=f"{mesh.config.name}-Sales-Catalog")["StackResources"]
    # The table named after the product keeps the single-table construct path: Customers/Table.
    return next(
        r["LogicalResourceId"]
        for r in resources
        if r["ResourceType"] == "AWS::Glue::Table"
        and re.fullmatch(r"CustomersTable[0-9A-F]{8}", r["LogicalResourceId"])
    )


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grown]:
    files = tmp_path_factory.mktemp("multitable-mesh")
    mesh_file = copy_example_mesh(files)
    before = load_mesh(mesh_file)
    state_dir = tmp_path_factory.mktemp("e2e-multitable")
    server, _ = control.start(state_dir)
    try:
        local_aws.bootstrap(before, server)
        aws = Accounts(server.endpoint, before.config.region)
        first = local_aws.deploy_mesh(before, server, state_dir, log=state_dir / "first.log")
        glue = aws.client("glue", before.config.governance_account)
        table_before = glue.get_table(DatabaseName=DATABASE, Name="customers")["Table"] if first == 0 else {}
        add_tables(mesh_file)
        after = load_mesh(mesh_file)
        second = local_aws.deploy_mesh(after, server, state_dir, log=state_dir / "second.log")
        table_after = glue.get_table(DatabaseName=DATABASE, Name="customers")["Table"] if second == 0 else {}
        logical_id = _table_resource(aws, after) if second == 0 else ""
        events = aws.client("cloudformation", after.config.governance_account).describe_stack_events(
            StackName=f"{after.config.name}-Sales-Catalog"
        )["StackEvents"]
        logs = "".join(p.read_text()[-3000:] for p in sorted(state_dir.glob("*.log")))
        yield Grown(
            after,
            server,
            aws,
            first,
            second,
            logs,
            table_before,
            table_after,
            [e for e in events if e["LogicalResourceId"] == logical_id],
        )
    finally:
        control.stop(state_dir)


def test_both_deploys_succeed(grown: Grown) -> None:
    assert (grown.first, grown.second) == (0, 0), grown.logs


def test_the_existing_table_is_updated_in_place_not_replaced(grown: Grown) -> None:
    statuses = [e["ResourceStatus"] for e in grown.table_events]
    assert statuses.count("CREATE_COMPLETE") == 1 and "DELETE_COMPLETE" not in statuses, statuses
    assert "UPDATE_COMPLETE" in statuses, statuses
    assert grown.table_after["CreateTime"] == grown.table_before["CreateTime"]
    # One folder per table below the product's prefix: Athena reads every file under a table's location.
    assert grown.table_before["StorageDescriptor"]["Location"].endswith("/customers/")
    assert grown.table_after["StorageDescriptor"]["Location"].endswith("/customers/customers/")


def test_every_table_is_in_the_catalog_with_its_columns(grown: Grown) -> None:
    glue = grown.aws.client("glue", grown.mesh.config.governance_account)
    tables = {
        t["Name"]: [c["Name"] for c in t["StorageDescriptor"]["Columns"]]
        for t in glue.get_tables(DatabaseName=DATABASE)["TableList"]
    }
    assert tables == {
        "customers": ["customer_id", "segment", "email", "country"],
        "addresses": [p["name"] for p in ADDRESSES["properties"]],
        "segments": [p["name"] for p in SEGMENTS["properties"]],
    }
    ruleset = glue.get_data_quality_ruleset(Name=f"{DATABASE}.addresses")
    assert ruleset["TargetTable"]["TableName"] == "addresses"


def test_every_expectation_holds(grown: Grown) -> None:
    findings, errors = local_aws.check(grown.mesh, grown.server)
    assert (errors, [(f.check, f.resource, f.status.value, f.detail) for f in findings if f.drift]) == ([], [])


def test_marketing_selects_the_two_tables_it_named_without_pii(grown: Grown) -> None:
    gov, marketing = grown.mesh.config.governance_account, grown.mesh.domain("marketing").account
    grants = [
        g
        for g in grown.aws.client("lakeformation", gov).list_permissions(CatalogId=gov)["PrincipalResourcePermissions"]
        if g["Principal"]["DataLakePrincipalIdentifier"] == marketing
    ]  # the API filters by principal only with a resource
    selects = {
        g["Resource"]["TableWithColumns"]["Name"]: g["Resource"]["TableWithColumns"]["ColumnNames"]
        for g in grants
        if "SELECT" in g["Permissions"] and g["Resource"].get("TableWithColumns", {}).get("DatabaseName") == DATABASE
    }
    # the two contracts' objects but their pii columns (email, street), as include lists
    readable = {"customers": ["customer_id", "segment", "country"], "addresses": ["customer_id", "city"]}
    assert selects == {table: readable[table] for table in READ_BY_MARKETING}
    on_segments = [g for g in grants if "segments" in str(g["Resource"])]
    assert on_segments == []


def test_meshctl_doctor_finds_no_drift(grown: Grown) -> None:
    run = doctor_json(grown.mesh, grown.aws)
    report = run.report
    assert (run.exit_code, report["errors"], run.drift) == (0, [], [])
    tables = {f["resource"] for f in report["findings"] if f["check"] == "table"}
    assert {f"{DATABASE}.{t}" for t in ("customers", "addresses", "segments")} <= tables


def test_dropping_a_table_without_a_major_version_fails_naming_its_consumers(grown: Grown, tmp_path: Path) -> None:
    dropped = copy_example_mesh(tmp_path)
    add_tables(dropped, tables=(SEGMENTS,), read_by_marketing=None)  # marketing now reads every table
    problems = unannounced_problems(grown.mesh, load_mesh(dropped))
    assert [p.reason for p in problems] == [
        "breaking change without a major version bump (2.1.0 -> 2.1.0): table addresses removed (or renamed); "
        "consumers affected: marketing"
    ]
    assert problems[0].file.endswith(CONTRACT.removeprefix("domains/"))
