"""Data cells filters in the local AWS: made from a template, read back with ListDataCellsFilter, granted to
another account with grant option and granted on by it; each rule with a failing and a passing case."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, database, grant, table

CATALOG = {
    "Db": database("sales_customers"),
    "Table": table({"Ref": "Db"}, "customers", ["customer_id", "email", "country"]),
}
NAMED = {"TableCatalogId": GOV, "DatabaseName": "sales_customers", "TableName": "customers"}


def data_filter(name: str = "acme-marketing", **changes: Any) -> dict[str, Any]:
    properties = {
        "TableCatalogId": GOV,
        "DatabaseName": {"Ref": "Db"},
        "TableName": {"Ref": "Table"},
        "Name": name,
        "RowFilter": {"FilterExpression": "country = 'FR'"},
        "ColumnNames": ["customer_id", "country"],
    }
    return {
        "Type": "AWS::LakeFormation::DataCellsFilter",
        "Properties": {**properties, **changes},
        "DependsOn": ["Table"],
    }


ON_FILTER = {"DataCellsFilter": {**NAMED, "Name": "acme-marketing"}}


def test_a_filter_from_a_template_is_read_back(aws: LocalAws, admins: None) -> None:
    assert aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter()}).status == "CREATE_COMPLETE"
    (found,) = aws.client("lakeformation", GOV).list_data_cells_filter()["DataCellsFilters"]
    assert found == {
        **NAMED,
        "Name": "acme-marketing",
        "RowFilter": {"FilterExpression": "country = 'FR'"},
        "ColumnNames": ["customer_id", "country"],
    }


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"ColumnNames": ["customer_id", "phone"]},
            "EntityNotFoundException: Table sales_customers.customers in catalog 111111111111 has no column(s) phone",
        ),
        (
            {"ColumnWildcard": {}},
            "InvalidInputException: A data cells filter takes exactly one of ColumnNames and ColumnWildcard",
        ),
        (
            {"RowFilter": {}},
            "InvalidInputException: A data cells filter's RowFilter takes exactly one of FilterExpression "
            "and AllRowsWildcard",
        ),
    ],
)
def test_a_filter_aws_refuses_fails_its_stack(aws: LocalAws, admins: None, changes: dict, reason: str) -> None:
    deployed = aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter(**changes)})
    assert deployed.status == "ROLLBACK_COMPLETE" and deployed.failures[0] == reason


def test_a_second_filter_of_the_same_name_on_the_table_is_refused(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter()})
    again = {
        "Type": "AWS::LakeFormation::DataCellsFilter",
        "Properties": {**data_filter()["Properties"], "DatabaseName": "sales_customers", "TableName": "customers"},
    }
    deployed = aws.deploy(GOV, "c2", {"Again": again})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert any(
        f.startswith("AlreadyExistsException: Data cells filter acme-marketing already exists")
        for f in deployed.failures
    )
    other = {**again, "Properties": {**again["Properties"], "Name": "acme-analytics"}}
    assert aws.deploy(GOV, "c3", {"Other": other}).status == "CREATE_COMPLETE"


def test_select_on_a_filter_goes_to_another_account_and_on_to_its_role(aws: LocalAws, admins: None) -> None:
    role = aws.role(CONSUMER, "acme-marketing-bi")
    missing = aws.deploy(GOV, "g0", {"Share": grant(GOV, CONSUMER, ON_FILTER, ["SELECT"], ["SELECT"])})
    assert missing.failures[0].startswith(
        "EntityNotFoundException: Data cells filter acme-marketing on table sales_customers.customers does not exist"
    )
    aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter()})
    assert (
        aws.deploy(GOV, "g", {"Share": grant(GOV, CONSUMER, ON_FILTER, ["SELECT"], ["SELECT"])}).status
        == "CREATE_COMPLETE"
    )
    aws.accept_invitations(CONSUMER)
    assert (
        aws.deploy(CONSUMER, "a", {"Reader": grant(CONSUMER, role, ON_FILTER, ["SELECT"])}).status == "CREATE_COMPLETE"
    )
    held = aws.client("lakeformation", CONSUMER).list_permissions(CatalogId=CONSUMER)["PrincipalResourcePermissions"]
    assert [
        (g["Resource"], g["Permissions"]) for g in held if g["Principal"]["DataLakePrincipalIdentifier"] == role
    ] == [(ON_FILTER, ["SELECT"])]


def test_an_account_without_the_grant_option_on_the_filter_cannot_pass_it_on(aws: LocalAws, admins: None) -> None:
    role = aws.role(CONSUMER, "acme-marketing-bi")
    aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter()})
    aws.deploy(GOV, "g", {"Share": grant(GOV, CONSUMER, ON_FILTER, ["SELECT"])})
    aws.accept_invitations(CONSUMER)
    with pytest.raises(ClientError) as raised:
        aws.client("lakeformation", CONSUMER).grant_permissions(
            Principal={"DataLakePrincipalIdentifier": role}, Resource=ON_FILTER, Permissions=["SELECT"]
        )
    assert raised.value.response["Error"]["Code"] == "AccessDeniedException"


def _code(call: Any, **arguments: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call(**arguments)
    return raised.value.response["Error"]["Code"]


def test_the_api_makes_reads_changes_and_deletes_a_filter_as_aws_documents(aws: LocalAws, admins: None) -> None:
    """CreateDataCellsFilter, GetDataCellsFilter, ListDataCellsFilter (of one table), UpdateDataCellsFilter,
    DeleteDataCellsFilter; a filter that is not there is EntityNotFoundException (Lake Formation API reference)."""
    aws.deploy(GOV, "c", {**CATALOG, "Other": table({"Ref": "Db"}, "orders", ["order_id"])})
    lakeformation = aws.client("lakeformation", GOV)
    made = {**NAMED, "Name": "acme-marketing", "RowFilter": {"FilterExpression": "country = 'FR'"}}
    lakeformation.create_data_cells_filter(TableData={**made, "ColumnNames": ["customer_id", "country"]})
    lakeformation.create_data_cells_filter(
        TableData={
            **NAMED,
            "TableName": "orders",
            "Name": "acme-marketing",
            "RowFilter": {"AllRowsWildcard": {}},
            "ColumnWildcard": {},
        }
    )
    assert _code(lakeformation.create_data_cells_filter, TableData={**made, "ColumnWildcard": {}}) == (
        "AlreadyExistsException"
    )
    on_customers = {"CatalogId": GOV, "DatabaseName": "sales_customers", "Name": "customers"}
    (listed,) = lakeformation.list_data_cells_filter(Table=on_customers)["DataCellsFilters"]
    assert listed == {**made, "ColumnNames": ["customer_id", "country"]}

    changed = {**made, "RowFilter": {"FilterExpression": "country = 'DE'"}, "ColumnWildcard": {}}
    lakeformation.update_data_cells_filter(TableData=changed)
    assert lakeformation.get_data_cells_filter(**made_key(made))["DataCellsFilter"] == changed
    assert _code(lakeformation.update_data_cells_filter, TableData={**changed, "Name": "acme-analytics"}) == (
        "EntityNotFoundException"
    )

    lakeformation.delete_data_cells_filter(**made_key(made))
    assert lakeformation.list_data_cells_filter(Table=on_customers)["DataCellsFilters"] == []
    assert _code(lakeformation.get_data_cells_filter, **made_key(made)) == "EntityNotFoundException"
    assert _code(lakeformation.delete_data_cells_filter, **made_key(made)) == "EntityNotFoundException"
    assert [f["TableName"] for f in lakeformation.list_data_cells_filter()["DataCellsFilters"]] == ["orders"]


def made_key(table_data: dict[str, Any]) -> dict[str, str]:
    return {k: table_data[k] for k in ("TableCatalogId", "DatabaseName", "TableName", "Name")}


def test_only_a_data_lake_admin_of_the_table_s_account_changes_or_deletes_its_filters(aws: LocalAws) -> None:
    aws.lake_formation_admin(GOV)
    aws.deploy(GOV, "c", {**CATALOG, "Filter": data_filter()})
    key = {**NAMED, "Name": "acme-marketing"}
    assert _code(aws.client("lakeformation", CONSUMER).delete_data_cells_filter, **key) == "AccessDeniedException"
    lakeformation = aws.client("lakeformation", GOV)
    lakeformation.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": []})
    assert _code(lakeformation.delete_data_cells_filter, **key) == "AccessDeniedException"
    aws.lake_formation_admin(GOV)
    lakeformation.delete_data_cells_filter(**key)
    assert lakeformation.list_data_cells_filter()["DataCellsFilters"] == []


def test_list_pages_through_max_results(aws: LocalAws, admins: None) -> None:
    aws.deploy(GOV, "c", CATALOG)
    lakeformation = aws.client("lakeformation", GOV)
    names = [f"acme-{n}" for n in ("a", "b", "c")]
    for name in names:
        lakeformation.create_data_cells_filter(
            TableData={**NAMED, "Name": name, "RowFilter": {"AllRowsWildcard": {}}, "ColumnWildcard": {}}
        )
    first = lakeformation.list_data_cells_filter(MaxResults=2)
    rest = lakeformation.list_data_cells_filter(MaxResults=2, NextToken=first["NextToken"])
    assert [f["Name"] for f in first["DataCellsFilters"] + rest["DataCellsFilters"]] == names
    assert "NextToken" not in rest
