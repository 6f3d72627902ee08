"""Glue Data Quality rulesets in the local AWS: lifecycle, read-back, rejections."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from datamesh.aws.answers import watch
from datamesh.doctor.tables import check_ruleset
from tests.localaws.conftest import LocalAws
from tests.support.templates import GOV, database, table


def ruleset(rules: str, table_name: str = "orders") -> dict:
    return {
        "Type": "AWS::Glue::DataQualityRuleset",
        "Properties": {
            "Name": "sales_orders",
            "Ruleset": rules,
            "TargetTable": {"DatabaseName": {"Ref": "Db"}, "TableName": table_name},
        },
        "DependsOn": ["Table"],
    }


def catalog(rules: str, table_name: str = "orders") -> dict:
    return {
        "Db": database("sales_orders"),
        "Table": table({"Ref": "Db"}, "orders", ["order_id"]),
        "Rules": ruleset(rules, table_name),
    }


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


def test_doctor_reports_a_ruleset_missing_or_with_other_rules(aws: LocalAws) -> None:
    glue = watch(aws.client("glue", GOV))  # as meshctl's clients: the documented not-found answer is NotFound
    expected = ("sales", "orders", "sales_orders", "sales_orders", "orders")
    assert check_ruleset(glue, *expected, 'Rules = [ IsComplete "order_id" ]').status.value == "missing"
    aws.deploy(GOV, "dq", catalog('Rules = [ IsComplete "order_id" ]'))
    assert check_ruleset(glue, *expected, 'Rules = [ IsComplete "order_id" ]').status.value == "ok"
    changed = check_ruleset(glue, *expected, "Rules = [ RowCount > 0 ]")
    assert (changed.status.value, changed.detail) == ("different", "its rules differ from the contract's")


def test_ruleset_on_a_missing_table_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "dq", catalog("Rules = [ RowCount > 0 ]", table_name="missing"))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "Table sales_orders.missing not found in catalog 111111111111" in deployed.reason


def test_ruleset_that_is_not_dqdl_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "dq", catalog("IsComplete order_id"))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "Ruleset of sales_orders is not DQDL" in deployed.reason


def _publish(glue, ruleset_name: str, score: float, started: float) -> str:
    return glue.publish_data_quality_result_v2(
        RulesetName=ruleset_name,
        Score=score,
        EvaluationContext="default",
        Dimensions={"runner": "test"},
        ExecutionStartedOn=started,
        ExecutionCompletedOn=started + 60,
        RuleResults=[
            {"Name": "Rule_1", "Result": "PASS", "EvaluatedRule": 'IsComplete "order_id"'},
            {"Name": "Rule_2", "Result": "FAIL", "EvaluatedRule": "RowCount > 0"},
        ],
    )["ResultId"]


def test_published_results_are_read_back_by_table(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    aws.deploy(GOV, "dq", catalog('Rules = [ IsComplete "order_id", RowCount > 0 ]'))
    older = _publish(glue, "sales_orders", 0.5, 1_700_000_000)
    newer = _publish(glue, "sales_orders", 1.0, 1_700_086_400)

    table = {"GlueTable": {"DatabaseName": "sales_orders", "TableName": "orders"}}
    listed = glue.list_data_quality_results(Filter={"DataSource": table})["Results"]
    assert [r["ResultId"] for r in listed] == [newer, older]
    assert listed[0]["DataSource"]["GlueTable"] == {
        "DatabaseName": "sales_orders",
        "TableName": "orders",
        "CatalogId": GOV,
    }
    after = glue.list_data_quality_results(Filter={"DataSource": table, "StartedAfter": 1_700_000_001})["Results"]
    assert [r["ResultId"] for r in after] == [newer]
    other = {"GlueTable": {"DatabaseName": "sales_orders", "TableName": "other"}}
    assert glue.list_data_quality_results(Filter={"DataSource": other})["Results"] == []

    found = glue.get_data_quality_result(ResultId=older)
    assert (found["Score"], found["RulesetName"], found["EvaluationContext"]) == (0.5, "sales_orders", "default")
    assert [r["Result"] for r in found["RuleResults"]] == ["PASS", "FAIL"]
    assert found["StartedOn"].timestamp() == 1_700_000_000 and found["CompletedOn"].timestamp() == 1_700_000_060
    batch = glue.batch_get_data_quality_result(ResultIds=[newer, "dqresult-missing"])
    assert [r["Score"] for r in batch["Results"]] == [1.0] and batch["ResultsNotFound"] == ["dqresult-missing"]


def test_a_result_of_an_unknown_ruleset_or_out_of_range_score_is_rejected(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    with pytest.raises(ClientError) as unknown:
        _publish(glue, "no_such_ruleset", 1.0, 1_700_000_000)
    assert unknown.value.response["Error"]["Code"] == "EntityNotFoundException"
    aws.deploy(GOV, "dq", catalog("Rules = [ RowCount > 0 ]"))
    with pytest.raises(ClientError) as score:
        _publish(glue, "sales_orders", 1.5, 1_700_000_000)
    assert score.value.response["Error"]["Code"] == "InvalidInputException"
    with pytest.raises(ClientError) as missing:
        glue.get_data_quality_result(ResultId="dqresult-missing")
    assert missing.value.response["Error"]["Code"] == "EntityNotFoundException"
