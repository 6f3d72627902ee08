"""doctor's check of the governance catalog's data cells filters against Lake Formation's ListDataCellsFilter answers
(botocore's Stubber validates them against the service model). The mesh is the example with sales' approval of
marketing's request for customers narrowed to some rows and columns (tests/support/filtered_mesh.py)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from datamesh.aws.answers import CannotRead, watch
from datamesh.blueprint import Blueprint, blueprint
from datamesh.config import load_mesh
from datamesh.doctor import data_filters
from datamesh.doctor.findings import Finding, Status
from tests.support.filtered_mesh import ROWS, WITHHOLD, copy_filtered_mesh

GOV, REGION = "111111111111", "eu-west-1"
DATABASE, TABLE = "sales_customers", "customers"
FILTER = "acme-marketing"  # <mesh>-<consumer> (docs/mesh.md, physical names)
RESOURCE = f"{FILTER} on {DATABASE}.{TABLE}"
TABLES = {DATABASE: {TABLE}, "sales_orders": {"orders"}}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Blueprint:
    return blueprint(load_mesh(copy_filtered_mesh(tmp_path_factory.mktemp("filtered"))))


@pytest.fixture(scope="module")
def readable(planned: Blueprint) -> list[str]:
    """The columns of customers the approval leaves marketing: neither pii nor withheld (the files)."""
    return [c.name for c in planned.mesh.product("sales", "customers").columns if not c.pii and c.name not in WITHHOLD]


def listed(name: str = FILTER, table: str = TABLE, **shape: Any) -> dict[str, Any]:
    return {"TableCatalogId": GOV, "DatabaseName": DATABASE, "TableName": table, "Name": name, **shape}


def _answering(*pages: tuple[str, list[dict[str, Any]] | str]) -> Any:
    """A Lake Formation client answering ListDataCellsFilter for each (table, filters or an error code)."""
    lakeformation = boto3.client("lakeformation", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(lakeformation)
    for where, answer in pages:
        database, table = where.split(".")
        expected = {"Table": {"CatalogId": GOV, "DatabaseName": database, "Name": table}}
        if isinstance(answer, str):
            stubber.add_client_error("list_data_cells_filter", answer, "not this one", expected_params=expected)
        else:
            stubber.add_response("list_data_cells_filter", {"DataCellsFilters": answer}, expected_params=expected)
    stubber.activate()
    return watch(lakeformation)


def test_the_approval_s_filter_as_the_files_say_is_ok(planned: Blueprint, readable: list[str]) -> None:
    found = listed(RowFilter={"FilterExpression": ROWS}, ColumnNames=readable, VersionId="1")
    client = _answering((f"{DATABASE}.{TABLE}", [found]), ("sales_orders.orders", []))
    assert data_filters.check(planned, client, TABLES) == [
        Finding("sales", "customers", "data-filter", RESOURCE, Status.OK)
    ]


def test_a_filter_not_listed_is_missing_and_on_a_table_not_held_too(planned: Blueprint, readable: list[str]) -> None:
    expected = Finding(
        "sales",
        "customers",
        "data-filter",
        RESOURCE,
        Status.MISSING,
        f"expected for marketing: rows {ROWS}; columns {', '.join(sorted(readable))}",
    )
    client = _answering((f"{DATABASE}.{TABLE}", []), ("sales_orders.orders", []))
    assert data_filters.check(planned, client, TABLES) == [expected]
    assert data_filters.check(planned, _answering(("sales_orders.orders", [])), {"sales_orders": {"orders"}}) == [
        expected
    ]  # the table's own check reports the table; nothing is read on a table the catalog does not hold


def test_a_filter_with_other_rows_or_columns_is_different_naming_which(planned: Blueprint, readable: list[str]) -> None:
    every_row = listed(RowFilter={"AllRowsWildcard": {}}, ColumnNames=list(reversed(readable)))
    client = _answering((f"{DATABASE}.{TABLE}", [every_row]))
    (found,) = data_filters.check(planned, client, {DATABASE: {TABLE}})
    assert (found.status, found.detail) == (Status.DIFFERENT, f"rows: expected rows {ROWS}, found every row")

    excluding = listed(RowFilter={"FilterExpression": ROWS}, ColumnWildcard={"ExcludedColumnNames": ["email"]})
    client = _answering((f"{DATABASE}.{TABLE}", [excluding]))
    (found,) = data_filters.check(planned, client, {DATABASE: {TABLE}})
    assert (found.status, found.detail) == (
        Status.DIFFERENT,
        f"columns: expected columns {', '.join(sorted(readable))}, found every column but email",
    )


def test_a_filter_named_as_the_mesh_s_that_no_share_asks_for_is_extra_and_others_are_not_judged(
    planned: Blueprint, readable: list[str]
) -> None:
    ours = listed(RowFilter={"FilterExpression": ROWS}, ColumnNames=readable)
    stale = listed("acme-analytics", RowFilter={"AllRowsWildcard": {}}, ColumnWildcard={})
    someone_elses = listed("finance-team", RowFilter={"AllRowsWildcard": {}}, ColumnWildcard={})
    client = _answering((f"{DATABASE}.{TABLE}", [ours, stale, someone_elses]))
    assert [(f.resource, f.status, f.detail) for f in data_filters.check(planned, client, {DATABASE: {TABLE}})] == [
        (RESOURCE, Status.OK, ""),
        (
            f"acme-analytics on {DATABASE}.{TABLE}",
            Status.EXTRA,
            "every row; every column: a filter named as the mesh's that no granted share asks for",
        ),
    ]


@pytest.mark.parametrize("code", ["AccessDeniedException", "EntityNotFoundException", "InternalServiceException"])
def test_a_listing_that_fails_cannot_be_read_never_missing(planned: Blueprint, code: str) -> None:
    """ListDataCellsFilter documents no not-found error (Lake Formation API reference; botocore's model lists
    InvalidInputException, OperationTimeoutException, InternalServiceException, AccessDeniedException)."""
    with pytest.raises(CannotRead, match=f"^LakeFormation ListDataCellsFilter at https://lakeformation.{REGION}"):
        data_filters.check(planned, _answering((f"{DATABASE}.{TABLE}", code)), {DATABASE: {TABLE}})
