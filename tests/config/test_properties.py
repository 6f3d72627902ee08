"""Property-based tests (hypothesis): whatever the input, the loader answers with a model or with
problems, and the generated DQDL parses and means what the contract says.

Five properties: random YAML text as a domain file, random YAML text as a contract, any
text as a contract's path, random contract documents, and random quality rules evaluated on random rows against an
oracle written from the ODCS rule definitions.
"""

from __future__ import annotations

import copy
import json
import operator as op
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datamesh.config import ConfigError, Mesh, load_mesh
from datamesh.contracts import dqdl, load_contract
from datamesh.policies.parameter_rules import parameter_problems
from tests.contracts.conftest import BASE
from tests.support.dqdl_evaluator import Dataset

MESH = """name: fuzz
region: eu-west-1
governance_account: "111111111111"
taxonomy:
  confidentiality: [public, internal]
"""
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Pieces of YAML syntax, so that random text is often nearly valid YAML.
YAML_PIECES = [
    "name: sales\n",
    "account: '222222222222'\n",
    "products:\n",
    "  - ",
    "name: x\n",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "\n",
    "  ",
    "'",
    '"',
    "!!python/object:os.system",
    "<<: *a\n",
    "? ",
    "2022-10-03",
    "~",
    "\t",
    "\xff",
    "é",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "#",
    "|\n  x\n",
    ">-\n",
    "&b [*a, *a]",
]
yaml_text = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=5), max_size=40).map("".join)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _load_or_problems(mesh_file: Path) -> Mesh | ConfigError:
    try:
        return load_mesh(mesh_file, rules=parameter_problems)
    except ConfigError as exc:
        assert exc.problems and all("\n" not in str(p) for p in exc.problems)
        return exc


@SETTINGS
@given(text=yaml_text)
def test_random_text_as_a_domain_file_is_a_mesh_or_problems(tmp_path, text):
    (tmp_path / "domains").mkdir(exist_ok=True)
    (tmp_path / "mesh.yaml").write_text(MESH)
    (tmp_path / "domains" / "sales.yaml").write_text(text, encoding="utf-8", errors="surrogateescape")
    _load_or_problems(tmp_path / "mesh.yaml")


@SETTINGS
@given(text=yaml_text)
def test_random_text_as_a_contract_is_a_mesh_or_problems(tmp_path, text):
    (tmp_path / "domains" / "sales").mkdir(parents=True, exist_ok=True)
    (tmp_path / "mesh.yaml").write_text(MESH)
    (tmp_path / "domains" / "sales.yaml").write_text(
        "name: sales\naccount: '222222222222'\nowner: {team: S, email: s@example.com}\n"
        "products:\n  - {name: orders, confidentiality: internal, contract: sales/orders.yaml}\n"
    )
    (tmp_path / "domains" / "sales" / "orders.yaml").write_text(text, encoding="utf-8", errors="surrogateescape")
    _load_or_problems(tmp_path / "mesh.yaml")


@SETTINGS
@given(reference=st.text(max_size=30) | st.sampled_from(["/etc/passwd", "..", "../..", "sales", ".", "~", "a\x00b"]))
def test_any_contract_reference_is_a_mesh_or_problems(tmp_path, reference):
    (tmp_path / "domains" / "sales").mkdir(parents=True, exist_ok=True)
    (tmp_path / "mesh.yaml").write_text(MESH)
    domain = {
        "name": "sales",
        "account": "222222222222",
        "owner": {"team": "S", "email": "s@example.com"},
        "products": [{"name": "orders", "confidentiality": "internal", "contract": reference}],
    }
    (tmp_path / "domains" / "sales.yaml").write_text(json.dumps(domain))
    _load_or_problems(tmp_path / "mesh.yaml")


properties = st.recursive(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["a", "B", "c d", "e_1"])},
        optional={
            "logicalType": st.sampled_from(
                ["string", "integer", "number", "object", "array", "map", "vector", "date", "bogus"]
            ),
            "physicalType": st.sampled_from(
                ["long", "TEXT", "varchar", "decimal(40,2)", "struct<a int>", "array<foo>", "timestamp(6)"]
            ),
            "description": st.text(max_size=300),
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {"name": st.just("n"), "logicalType": st.sampled_from(["object", "array"])},
        optional={"properties": st.lists(inner, max_size=3), "items": inner},
    ),
    max_leaves=12,
)


@SETTINGS
@given(
    props=st.lists(properties, max_size=4),
    extra=st.dictionaries(
        st.sampled_from(["id", "version", "status", "kind", "apiVersion", "schema", "team", "description"]),
        json_values,
        max_size=3,
    ),
)
def test_random_contracts_are_a_contract_or_problems(props, extra):
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = props
    doc.update(extra)
    contract, problems = load_contract(doc)
    assert (contract is None) == bool(problems)
    assert all(isinstance(field, str) and isinstance(reason, str) and "\n" not in reason for field, reason in problems)


VALUES = ["a", "b", "", None, "it's", 'q"', "a\\b", "x]", "DE", "D1", "`"]
PATTERNS = ["^[A-Z]{2}$", "[0-9]", "^a", "b$", '^q"', "\\\\", "^x|y$", "^$"]
OPERATORS = [
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
]
COMPARISONS = {
    "mustBe": op.eq,
    "mustNotBe": op.ne,
    "mustBeGreaterThan": op.gt,
    "mustBeGreaterOrEqualTo": op.ge,
    "mustBeLessThan": op.lt,
    "mustBeLessOrEqualTo": op.le,
}


@st.composite
def quality_rules(draw):
    metric = draw(st.sampled_from(["nullValues", "duplicateValues", "invalidValues", "missingValues"]))
    rule = {"metric": metric}
    operator = draw(st.sampled_from(OPERATORS))
    number = st.integers(0, 4) | st.sampled_from([0.5, 1e-07, 2.5, 3.0])
    if operator.endswith("Between"):
        low = draw(number)
        rule[operator] = [low, low + draw(st.integers(1, 3))]
    else:
        rule[operator] = draw(number)
    if draw(st.booleans()):
        rule["unit"] = "percent"
        rule[operator] = [v * 20 for v in rule[operator]] if isinstance(rule[operator], list) else rule[operator] * 20
    if metric == "invalidValues":
        if draw(st.booleans()):
            rule["arguments"] = {"validValues": draw(st.lists(st.sampled_from(VALUES), unique=True, max_size=5))}
        else:
            rule["arguments"] = {"pattern": draw(st.sampled_from(PATTERNS))}
    if metric == "missingValues" and draw(st.booleans()):
        rule["arguments"] = {
            "missingValues": draw(st.lists(st.sampled_from(VALUES), unique=True, min_size=1, max_size=3))
        }
    return rule


def oracle(rule: dict, values: list) -> bool:
    """What the rule says about the column's values, from the ODCS definitions."""
    metric, args = rule["metric"], rule.get("arguments", {})
    if metric == "nullValues":
        bad = [v is None for v in values]
    elif metric == "duplicateValues":
        bad = [v is not None and values.count(v) > 1 for v in values]
    elif metric == "invalidValues" and "validValues" in args:
        bad = [v not in args["validValues"] for v in values]
    elif metric == "invalidValues":
        bad = [v is None or re.search(args["pattern"], v) is None for v in values]
    else:
        bad = [v in args.get("missingValues", [None, ""]) for v in values]
    measured = 100.0 * sum(bad) / len(values) if rule.get("unit") == "percent" else sum(bad)
    for operator in OPERATORS:
        if operator in rule:
            limit = rule[operator]
            if operator in ("mustBeBetween", "mustNotBeBetween"):
                return (limit[0] <= measured <= limit[1]) == (operator == "mustBeBetween")
            return COMPARISONS[operator](measured, limit)
    raise AssertionError(rule)


@settings(max_examples=300, deadline=None)
@given(rule=quality_rules(), values=st.lists(st.sampled_from(VALUES), min_size=1, max_size=6))
def test_generated_dqdl_parses_and_means_what_the_rule_says(rule, values):
    if rule["metric"] == "duplicateValues":
        values = [v for v in values if v is not None] or ["a"]  # DQDL leaves how IsUnique counts nulls open
    doc = copy.deepcopy(BASE)
    doc["schema"][0]["properties"] = [{"name": "code", "logicalType": "string", "quality": [rule]}]
    contract, problems = load_contract(doc)
    assert problems == [] and dqdl.problems(contract) == []
    rows = [(v,) for v in values]
    assert Dataset(["code"], rows).ruleset_passes(dqdl.ruleset(contract.tables[0])) is oracle(rule, values)


def test_yaml_python_tags_are_not_constructed(tmp_path):
    (tmp_path / "domains").mkdir()
    (tmp_path / "mesh.yaml").write_text(MESH)
    (tmp_path / "domains" / "sales.yaml").write_text("name: !!python/object/apply:os.system ['true']\n")
    found = _load_or_problems(tmp_path / "mesh.yaml")
    assert any("could not determine a constructor" in str(p) for p in found.problems)
