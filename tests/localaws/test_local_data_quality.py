"""Glue Data Quality rulesets in the local AWS: lifecycle, read-back, rejections."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.localaws.templates import GOV, database, table


def ruleset(rules: str, table_name: str = "orders") -> dict:
    return {"Type": "AWS::Glue::DataQualityRuleset", "Properties": {
        "Name": "sales_orders",
        "Ruleset": rules,
        "TargetTable": {"DatabaseName": {"Ref": "Db"}, "TableName": table_name},
    }, "DependsOn": ["Table"]}


def catalog(rules: str, table_name: str = "orders") -> dict:
    return {"Db": database("sales_orders"), "Table": table({"Ref": "Db"}, "orders", ["order_id"]),
            "Rules": ruleset(rules, table_name)}


def test_ruleset_is_created_updated_and_deleted(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    assert aws.deploy(GOV, "dq", catalog('Rules = [ IsComplete "order_id" ]')).status == "CREATE_COMPLETE"
    found = glue.get_data_quality_ruleset(Name="sales_orders")
    assert found["Ruleset"] == 'Rules = [ IsComplete "order_id" ]'
    assert found["TargetTable"] == {"DatabaseName": "sales_orders", "TableName": "orders"}

    assert aws.deploy(GOV, "dq", catalog("Rules = [ RowCount > 0 ]")).status == "UPDATE_COMPLETE"
    assert glue.get_data_quality_ruleset(Name="sales_orders")["Ruleset"] == "Rules = [ RowCount > 0 ]"
    assert [r["Name"] for r in glue.list_data_quality_rulesets()["Rulesets"]] == ["sales_orders"]

    aws.deploy(GOV, "dq", {"Db": database("sales_orders")})
    with pytest.raises(ClientError) as gone:
        glue.get_data_quality_ruleset(Name="sales_orders")
    assert gone.value.response["Error"]["Code"] == "EntityNotFoundException"


def test_ruleset_on_a_missing_table_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "dq", catalog("Rules = [ RowCount > 0 ]", table_name="missing"))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "Table sales_orders.missing not found in catalog 111111111111" in deployed.reason


def test_ruleset_that_is_not_dqdl_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "dq", catalog("IsComplete order_id"))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "Ruleset of sales_orders is not DQDL" in deployed.reason
