"""The generated DQDL means what the contract says: run by an independent evaluator on rows that
should pass and rows that should fail (tests/support/dqdl_evaluator.py, written from the DQDL docs).

25 rule cases (each with passing and failing rows) and 5 injection cases.
"""

from __future__ import annotations

import copy

import pytest

from datamesh.contracts import dqdl, load_contract
from tests.contracts.conftest import BASE
from tests.support.dqdl_evaluator import Dataset, parse

A, B = "a", "b"


def contract_with(column_rules=(), table_rules=()):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = [
        {"name": "code", "logicalType": "string", "quality": list(column_rules)},
        {"name": "n", "logicalType": "integer"},
    ]
    doc["schema"][0]["quality"] = list(table_rules)
    contract, problems = load_contract(doc)
    assert problems == []
    return contract


def verdict(contract, rows):
    ruleset = dqdl.ruleset(contract.tables[0])
    assert dqdl.problems(contract) == [] and ruleset is not None
    return Dataset(["code", "n"], [(code, n) for code, n in rows]).ruleset_passes(ruleset)


def codes(*values):
    return [(v, i) for i, v in enumerate(values)]


ODD = ["it's", 'say "hi"', "a\\b", "x]", "tab\there", "`tick`", "], Rules = ["]

COLUMN_CASES = [
    ({"metric": "nullValues", "mustBe": 0}, codes(A, B), codes(A, None)),
    ({"metric": "nullValues", "mustBeLessThan": 2}, codes(None, A), codes(None, None)),
    ({"metric": "nullValues", "mustBeLessOrEqualTo": 50, "unit": "percent"}, codes(None, A), codes(None, None, A)),
    ({"metric": "duplicateValues", "mustBe": 0}, codes(A, B), codes(A, A)),
    ({"metric": "duplicateValues", "mustBeLessThan": 3}, codes(A, A, B), codes(A, A, A)),
    (
        {"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": ["", None, "n/a"]}},
        codes("", None, "n/a"),
        codes("", "x"),
    ),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": [A]}}, codes(A, A), codes(A, None)),
    (
        {"metric": "invalidValues", "mustBeLessThan": 1, "arguments": {"validValues": ["", None, "n/a"]}},
        codes("", None),
        codes("x"),
    ),
    ({"metric": "invalidValues", "mustBeLessThan": 1, "arguments": {"validValues": [A]}}, codes(A), codes(None)),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": ODD}}, codes(*ODD), codes(*ODD, "other")),
    ({"metric": "invalidValues", "mustBeLessThan": 1, "arguments": {"validValues": ODD}}, codes(*ODD), codes("it")),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": []}}, [], codes(A)),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "^[A-Z]{2}$"}}, codes("DE"), codes("DEU")),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "^[A-Z]{2}$"}}, codes("DE"), codes(None)),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": "[0-9]"}}, codes("a1b"), codes("ab")),
    ({"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": '^"q\\\\"$'}}, codes('"q\\"'), codes("q")),
    (
        {"metric": "invalidValues", "mustBeLessThan": 2, "arguments": {"pattern": "^x|y$"}},
        codes("xa", "ay", "b"),
        codes("b", "c"),
    ),
    ({"metric": "missingValues", "mustBe": 0}, codes(A), codes("")),
    ({"metric": "missingValues", "mustBe": 0}, codes(A), codes(None)),
    (
        {"metric": "missingValues", "mustBeLessThan": 1, "arguments": {"missingValues": ["N/A"]}},
        codes(None, A),
        codes("N/A"),
    ),
]

TABLE_CASES = [
    ({"metric": "rowCount", "mustBeBetween": [2, 3]}, codes(A, B, A), codes(A)),
    ({"metric": "rowCount", "mustBeBetween": [2, 3]}, codes(A, B), codes(A, B, A, B)),
    ({"metric": "rowCount", "mustNotBeBetween": [2, 3]}, codes(A), codes(A, B)),
    (
        {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["code", "n"]}},
        [(A, 1), (A, 2)],
        [(A, 1), (A, 1)],
    ),
    ({"type": "sql", "query": "select count(*) from {object} where n < 0", "mustBe": 0}, [(A, 1)], [(A, -1)]),
]


@pytest.mark.parametrize(("rule", "passing", "failing"), COLUMN_CASES)
def test_column_rules_mean_what_the_contract_says(rule, passing, failing):
    contract = contract_with(column_rules=[rule])
    assert verdict(contract, passing) is True
    assert verdict(contract, failing) is False


@pytest.mark.parametrize(("rule", "passing", "failing"), TABLE_CASES)
def test_table_rules_mean_what_the_contract_says(rule, passing, failing):
    contract = contract_with(table_rules=[rule])
    assert verdict(contract, passing) is True
    assert verdict(contract, failing) is False


def test_the_example_ruleset_of_several_rules_parses_as_one_list():
    contract = contract_with(column_rules=[r for r, _, _ in COLUMN_CASES], table_rules=[r for r, _, _ in TABLE_CASES])
    assert len(parse(dqdl.ruleset(contract.tables[0]))) == len(COLUMN_CASES) + len(TABLE_CASES)


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (
            {"type": "custom", "engine": "glue", "implementation": 'IsComplete "code" ], Rules = [ RowCount > 0'},
            "implementation closes a ']' it did not open: give one DQDL rule",
        ),
        (
            {"type": "custom", "engine": "glue", "implementation": 'IsComplete "code", RowCount > 0'},
            "implementation must be one DQDL rule (no ',' between rules, no comments)",
        ),
        (
            {"type": "custom", "engine": "glue", "implementation": 'IsComplete "code" # ]'},
            "implementation must be one DQDL rule (no ',' between rules, no comments)",
        ),
        (
            {"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": ["code`) from x --"]}},
            "arguments.properties: 'code`) from x --' is not a column of the table",
        ),
        (
            {"type": "sql", "query": 'select count(*) from {object}" > 0, IsComplete "x', "mustBe": 0},
            "query: a CustomSql statement cannot hold a double quote or a backslash",
        ),
    ],
)
def test_contract_text_cannot_break_out_of_its_rule(rule, reason):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["quality"] = [rule]
    contract, problems = load_contract(doc)
    assert problems == []
    assert [(field, text[: len(reason)]) for field, text in dqdl.problems(contract)] == [
        ("schema[0].quality[0]", reason)
    ]
