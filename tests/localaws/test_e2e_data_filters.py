"""End to end, a row-filtered share: the real CDK CLI deploys the example mesh with sales' approval of marketing's
request for customers narrowed to some rows and columns (tests/support/filtered_mesh.py); doctor finds no drift,
then finds each change made by hand through boto3: the filter deleted (missing), its rows and columns changed
(different, naming both), the analyst role's or the account's grant on it revoked (missing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from datamesh.config import Mesh, load_mesh
from datamesh.deploy import local_aws
from datamesh.names import naming
from localaws import control
from localaws.accounts import ACCESS_ROLE, Accounts
from localaws.control import Server
from tests.support.doctor_cli import doctor_json
from tests.support.filtered_mesh import ROWS, WITHHOLD, copy_filtered_mesh

pytestmark = pytest.mark.e2e

DATABASE, TABLE = naming.database("sales", "customers"), "customers"


@dataclass(frozen=True)
class Filtered:
    mesh: Mesh
    server: Server
    aws: Accounts
    exit_code: int
    logs: str

    @property
    def governance(self) -> str:
        return self.mesh.config.governance_account

    @property
    def marketing(self) -> str:
        return self.mesh.domain("marketing").account

    @property
    def filter_name(self) -> str:
        return naming.data_filter(self.mesh.config.name, "marketing")

    @property
    def on_filter(self) -> dict[str, Any]:
        return {
            "DataCellsFilter": {
                "TableCatalogId": self.governance,
                "DatabaseName": DATABASE,
                "TableName": TABLE,
                "Name": self.filter_name,
            }
        }

    def drift(self) -> list[tuple[str, str, str, str]]:
        findings, errors = local_aws.check(self.mesh, self.server)
        assert errors == []
        return [(f.check, f.resource, f.status.value, f.detail) for f in findings if f.drift]


@pytest.fixture(scope="module")
def filtered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filtered]:
    mesh = load_mesh(copy_filtered_mesh(tmp_path_factory.mktemp("filtered-mesh")))
    state_dir = tmp_path_factory.mktemp("e2e-data-filters")
    server, _ = control.start(state_dir)
    try:
        local_aws.bootstrap(mesh, server)
        code = local_aws.deploy_mesh(mesh, server, state_dir, log=state_dir / "deploy.log")
        logs = "".join(p.read_text()[-3000:] for p in sorted(state_dir.glob("*.log")))
        yield Filtered(mesh, server, Accounts(server.endpoint, mesh.config.region), code, logs)
    finally:
        control.stop(state_dir)


@contextmanager
def data_lake_admin(filtered: Filtered, account: str) -> Iterator[Any]:
    """The account's Lake Formation client, its caller a data lake admin beside the stacks' own (only an admin
    deletes or changes a filter, or revokes a grant it holds no grant option on), the settings restored after."""
    lakeformation = filtered.aws.client("lakeformation", account)
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    caller = {"DataLakePrincipalIdentifier": f"arn:aws:iam::{account}:role/{ACCESS_ROLE}"}
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**settings, "DataLakeAdmins": [*settings["DataLakeAdmins"], caller]}
    )
    try:
        yield lakeformation
    finally:
        lakeformation.put_data_lake_settings(DataLakeSettings=settings)


def _readable(mesh: Mesh) -> list[str]:
    """The columns of sales.customers the approval leaves marketing: neither pii nor withheld (the files)."""
    return [c.name for c in mesh.product("sales", "customers").columns if not c.pii and c.name not in WITHHOLD]


def test_the_filtered_share_deploys_with_its_filter_and_doctor_finds_no_drift(filtered: Filtered) -> None:
    assert filtered.exit_code == 0, filtered.logs
    where = {"CatalogId": filtered.governance, "DatabaseName": DATABASE, "Name": TABLE}
    (found,) = filtered.aws.client("lakeformation", filtered.governance).list_data_cells_filter(Table=where)[
        "DataCellsFilters"
    ]
    assert (found["Name"], found["RowFilter"], found["ColumnNames"]) == (
        filtered.filter_name,
        {"FilterExpression": ROWS},
        _readable(filtered.mesh),
    )
    assert filtered.drift() == []


def test_a_filter_deleted_by_hand_is_missing_and_the_json_says_it_is_drift(filtered: Filtered) -> None:
    key = filtered.on_filter["DataCellsFilter"]
    with data_lake_admin(filtered, filtered.governance) as lakeformation:
        saved = lakeformation.get_data_cells_filter(**key)["DataCellsFilter"]
        lakeformation.delete_data_cells_filter(**key)
        try:
            # What Lake Formation does with the grants on a deleted filter is not documented: only the filter's
            # own finding is judged here.
            assert [d[:3] for d in filtered.drift() if d[0] == "data-filter"] == [
                ("data-filter", f"{filtered.filter_name} on {DATABASE}.{TABLE}", "missing")
            ]
            run = doctor_json(filtered.mesh, filtered.aws)
            flagged = [(f["status"], f["drift"]) for f in run.report["findings"] if f["check"] == "data-filter"]
            assert (run.exit_code, flagged) == (1, [("missing", True)])
            assert {f["drift"] for f in run.report["findings"] if f["status"] in ("ok", "pending confirmation")} == {
                False
            }
        finally:
            lakeformation.create_data_cells_filter(TableData=saved)
    assert filtered.drift() == []


def test_a_filter_changed_by_hand_is_different_naming_its_rows_and_columns(filtered: Filtered) -> None:
    key = filtered.on_filter["DataCellsFilter"]
    with data_lake_admin(filtered, filtered.governance) as lakeformation:
        saved = lakeformation.get_data_cells_filter(**key)["DataCellsFilter"]
        changed = {k: v for k, v in saved.items() if k not in ("ColumnNames", "VersionId")}
        lakeformation.update_data_cells_filter(
            TableData={**changed, "RowFilter": {"FilterExpression": "country = 'DE'"}, "ColumnWildcard": {}}
        )
        try:
            readable = ", ".join(sorted(_readable(filtered.mesh)))
            assert filtered.drift() == [
                (
                    "data-filter",
                    f"{filtered.filter_name} on {DATABASE}.{TABLE}",
                    "different",
                    f"rows: expected rows {ROWS}, found rows country = 'DE'; "
                    f"columns: expected columns {readable}, found every column",
                )
            ]
        finally:
            lakeformation.update_data_cells_filter(TableData=saved)
    assert filtered.drift() == []


def test_the_analyst_role_s_grant_on_the_filter_revoked_is_missing(filtered: Filtered) -> None:
    analyst = naming.analyst_role(filtered.mesh.config.name, "marketing")
    grant = {
        "Principal": {"DataLakePrincipalIdentifier": naming.role_arn(filtered.marketing, analyst)},
        "Resource": filtered.on_filter,
        "Permissions": ["SELECT"],
    }
    with data_lake_admin(filtered, filtered.marketing) as lakeformation:
        lakeformation.revoke_permissions(**grant)
        try:
            assert [d[:3] for d in filtered.drift()] == [
                (
                    "analyst-grant",
                    f"{analyst} on data filter {filtered.filter_name} on table {DATABASE}.{TABLE}",
                    "missing",
                )
            ]
        finally:
            lakeformation.grant_permissions(**grant)
    assert filtered.drift() == []


def test_the_consumer_account_s_grant_on_the_filter_revoked_is_missing(filtered: Filtered) -> None:
    grant = {
        "Principal": {"DataLakePrincipalIdentifier": filtered.marketing},
        "Resource": filtered.on_filter,
        "Permissions": ["SELECT"],
        "PermissionsWithGrantOption": ["SELECT"],
    }
    with data_lake_admin(filtered, filtered.governance) as lakeformation:
        lakeformation.revoke_permissions(**grant)
        try:
            resource = (
                f"marketing ({filtered.marketing}) on data filter {filtered.filter_name} on table {DATABASE}.{TABLE}"
            )
            assert ("grant", resource, "missing") in [d[:3] for d in filtered.drift()]
        finally:
            lakeformation.grant_permissions(**grant)
    assert filtered.drift() == []
