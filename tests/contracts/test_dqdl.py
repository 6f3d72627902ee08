"""Contract quality rules become a Glue Data Quality (DQDL) ruleset."""

from __future__ import annotations

import dataclasses

import pytest
from open_data_contract_standard.model import DataQuality

from datamesh.contracts import dqdl, load_contract


def ruleset_of(contract_doc, column_quality=None, table_quality=None):
    props = [
        {"name": "order_id", "logicalType": "string", "quality": column_quality or []},
        {"name": "amount", "logicalType": "number"},
    ]
    contract, problems = load_contract(contract_doc(properties=props, quality=table_quality or []))
    assert problems == []
    return contract


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"metric": "nullValues", "mustBe": 0}, 'IsComplete "order_id"'),
        (
            {"metric": "nullValues", "mustBeLessThan": 5},
            'CustomSql "select count(*) from primary where `order_id` is null" < 5',
        ),
        (
            {"metric": "nullValues", "mustBeLessOrEqualTo": 1, "unit": "percent"},
            'CustomSql "select 100.0 * sum(case when `order_id` is null then 1 else 0 end) / count(*) from primary" <= 1',
        ),
        ({"metric": "duplicateValues", "mustBe": 0}, 'IsUnique "order_id"'),
        (
            {"metric": "duplicateValues", "mustBeLessThan": 10},
            'CustomSql "select count(*) from primary where `order_id` in (select `order_id` from primary '
            'group by `order_id` having count(*) > 1)" < 10',
        ),
        (
            {"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": ["a", "b"]}},
            'ColumnValues "order_id" in ["a", "b"]',
        ),
        (
            {"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "^O-[0-9]+$"}},
            'ColumnValues "order_id" matches "^O-[0-9]+$"',
        ),
        (
            {"metric": "invalidValues", "mustBeLessThan": 3, "arguments": {"validValues": ["it's"]}},
            'CustomSql "select count(*) from primary where `order_id` is null or not (`order_id` in '
            "(('it' || char(39) || 's')))\" < 3",
        ),
        (
            {"metric": "missingValues", "mustBeBetween": [0, 2], "arguments": {"missingValues": [None, "", "N/A"]}},
            "(CustomSql \"select count(*) from primary where `order_id` is null or `order_id` in ('', 'N/A')\" >= 0) and "
            "(CustomSql \"select count(*) from primary where `order_id` is null or `order_id` in ('', 'N/A')\" <= 2)",
        ),
        (
            {"type": "custom", "engine": "glue", "implementation": 'ColumnLength "order_id" <= 20'},
            'ColumnLength "order_id" <= 20',
        ),
    ],
)
def test_column_rules(contract_doc, rule, expected):
    assert dqdl.rules(ruleset_of(contract_doc, column_quality=[rule]).tables[0]) == [expected]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ({"metric": "rowCount", "mustBeGreaterThan": 0}, "RowCount > 0"),
        ({"metric": "rowCount", "mustNotBeBetween": [1, 9]}, "(RowCount < 1) or (RowCount > 9)"),
        (
            {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["order_id", "amount"]}},
            'CustomSql "select count(*) from (select `order_id`, `amount` from primary group by `order_id`, `amount` '
            'having count(*) > 1)" = 0',
        ),
        (
            {"type": "sql", "query": "select count(*) from {object} where amount < 0", "mustBe": 0},
            'CustomSql "select count(*) from primary where amount < 0" = 0',
        ),
    ],
)
def test_table_rules(contract_doc, rule, expected):
    assert dqdl.rules(ruleset_of(contract_doc, table_quality=[rule]).tables[0]) == [expected]


def test_text_and_other_engines_produce_no_rule(contract_doc):
    contract = ruleset_of(
        contract_doc,
        table_quality=[
            {"type": "text", "description": "Orders are immutable."},
            {"type": "custom", "engine": "soda", "implementation": "row_count > 0"},
        ],
    )
    assert dqdl.rules(contract.tables[0]) == [] and dqdl.ruleset(contract.tables[0]) is None


def test_ruleset_document(contract_doc):
    contract = ruleset_of(
        contract_doc,
        column_quality=[{"metric": "nullValues", "mustBe": 0}],
        table_quality=[{"metric": "rowCount", "mustBeGreaterThan": 0}],
    )
    assert dqdl.ruleset(contract.tables[0]) == 'Rules = [\n    RowCount > 0,\n    IsComplete "order_id"\n]'


def test_unsupported_rules_are_problems_with_their_field(contract_doc):
    contract = ruleset_of(
        contract_doc,
        column_quality=[{"metric": "rowCount", "mustBe": 1}, {"metric": "invalidValues", "mustBe": 0}],
        table_quality=[{"metric": "nullValues", "mustBe": 0}],
    )
    assert dqdl.problems(contract) == [
        ("schema[0].quality[0]", "metric 'nullValues' is not supported on a table"),
        ("schema[0].properties[0].quality[0]", "metric 'rowCount' is not supported on a column"),
        ("schema[0].properties[0].quality[1]", "invalidValues needs arguments.validValues or arguments.pattern"),
    ]


def test_a_rule_built_without_an_operator_is_a_problem(contract_doc):
    contract = ruleset_of(contract_doc)
    table = dataclasses.replace(contract.tables[0], quality=(DataQuality(metric="rowCount"),))
    contract = dataclasses.replace(contract, tables=(table,))
    assert dqdl.problems(contract) == [("schema[0].quality[0]", "needs an operator such as mustBe or mustBeLessThan")]
