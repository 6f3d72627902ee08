"""Every kind of change between two contract versions, classified."""

from __future__ import annotations

import pytest

from datamesh.contracts import load_contract
from datamesh.contracts.compatibility import diff, unannounced_breaking, widens

OLD_PROPS = [
    {"name": "order_id", "logicalType": "string", "required": True},
    {"name": "qty", "logicalType": "integer"},
    {"name": "amount", "logicalType": "number", "physicalType": "decimal(10,2)"},
    {"name": "email", "logicalType": "string"},
    {"name": "day", "logicalType": "date", "partitioned": True, "partitionKeyPosition": 1},
]


def contract(contract_doc, props, version="1.0.0", **table):
    doc = contract_doc(properties=props, **table)
    doc["version"] = version
    result, problems = load_contract(doc)
    assert problems == []
    return result


def changed(props_edit, contract_doc, **table):
    old = contract(contract_doc, OLD_PROPS)
    props = [dict(p) for p in OLD_PROPS]
    props_edit(props)
    return [str(c) for c in diff(old, contract(contract_doc, props, **table))]


def test_identical_contracts_have_no_changes(contract_doc):
    assert changed(lambda p: None, contract_doc) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda p: p.pop(3), "BREAKING: column email: removed (or renamed)"),
        (lambda p: p[3].update(name="mail"), "BREAKING: column email: removed (or renamed)"),
        (
            lambda p: p[1].update(logicalTypeOptions={"format": "i16"}),
            "BREAKING: column qty: type narrowed from int to smallint",
        ),
        (
            lambda p: p[2].update(physicalType="decimal(8,2)"),
            "BREAKING: column amount: type narrowed from decimal(10,2) to decimal(8,2)",
        ),
        (lambda p: p[2].pop("physicalType"), "BREAKING: column amount: type changed from decimal(10,2) to double"),
        (
            lambda p: p[3].update(required=True),
            "BREAKING: column email: nullable to required (producers writing nulls break)",
        ),
        (
            lambda p: p[0].update(required=False),
            "BREAKING: column order_id: required to nullable (consumers may now read nulls)",
        ),
        (lambda p: p[3].update(tags=["pii"]), "BREAKING: column email: became pii: withheld from consumers' SELECT"),
        (lambda p: p[4].update(partitioned=False), "BREAKING: partition keys changed from ['day'] to []"),
    ],
)
def test_breaking_changes(contract_doc, edit, expected):
    assert expected in changed(edit, contract_doc)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda p: p.append({"name": "note", "logicalType": "string"}), "compatible: column note: added"),
        (
            lambda p: p[1].update(logicalTypeOptions={"format": "i64"}),
            "compatible: column qty: type widened from int to bigint",
        ),
        (
            lambda p: p[2].update(physicalType="decimal(14,4)"),
            "compatible: column amount: type widened from decimal(10,2) to decimal(14,4)",
        ),
        (lambda p: p[3].update(description="Contact"), "compatible: column email: description changed"),
        (
            lambda p: p[3].update(classification="restricted"),
            "compatible: column email: classification None -> restricted",
        ),
        (lambda p: p[0].update(quality=[{"metric": "nullValues", "mustBe": 0}]), "compatible: quality rules changed"),
    ],
)
def test_compatible_changes(contract_doc, edit, expected):
    found = changed(edit, contract_doc)
    assert found == [expected]


def test_a_column_that_is_no_longer_pii_is_compatible(contract_doc):
    with_pii = [dict(p) for p in OLD_PROPS]
    with_pii[3]["tags"] = ["pii"]
    changes = diff(contract(contract_doc, with_pii), contract(contract_doc, OLD_PROPS))
    assert [str(c) for c in changes] == ["compatible: column email: no longer pii"]


def test_reordering_partition_keys_breaks(contract_doc):
    """Partition keys are positional: Hive-style paths nest them (…/day=…/qty=…) in their order."""
    by_day = [dict(p) for p in OLD_PROPS]
    by_day[1].update(partitioned=True, partitionKeyPosition=2)
    by_qty = [dict(p) for p in by_day]
    by_qty[1]["partitionKeyPosition"], by_qty[4]["partitionKeyPosition"] = 1, 2
    changes = diff(contract(contract_doc, by_day), contract(contract_doc, by_qty))
    assert [str(c) for c in changes] == ["BREAKING: partition keys changed from ['day', 'qty'] to ['qty', 'day']"]


def test_breaking_changes_come_first_then_by_column(contract_doc):
    def edit(props):
        props.pop(3)
        props.append({"name": "note", "logicalType": "string"})

    assert changed(edit, contract_doc, name="sales") == [
        "BREAKING: table renamed from orders to sales",
        "BREAKING: column email: removed (or renamed)",
        "compatible: column note: added",
    ]


def test_a_new_owner_or_freshness_is_compatible(contract_doc):
    old = contract(contract_doc, OLD_PROPS)
    doc = contract_doc(properties=OLD_PROPS)
    doc["slaProperties"] = [{"property": "latency", "value": 1, "unit": "d"}]
    new, problems = load_contract(doc)
    assert problems == [] and [str(c) for c in diff(old, new)] == ["compatible: freshness or owner changed"]


def test_renaming_the_table_breaks(contract_doc):
    assert "BREAKING: table renamed from orders to sales" in changed(lambda p: None, contract_doc, name="sales")


def test_breaking_change_needs_a_major_version(contract_doc):
    old = contract(contract_doc, OLD_PROPS)
    props = OLD_PROPS[:3] + OLD_PROPS[4:]
    assert [str(c) for c in unannounced_breaking(old, contract(contract_doc, props, version="1.1.0"))] == [
        "BREAKING: column email: removed (or renamed)"
    ]
    assert unannounced_breaking(old, contract(contract_doc, props, version="2.0.0")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("tinyint", "bigint", True),
        ("bigint", "int", False),
        ("int", "double", True),
        ("bigint", "double", False),
        ("float", "double", True),
        ("varchar(10)", "varchar(20)", True),
        ("varchar(10)", "string", True),
        ("string", "varchar(10)", False),
        ("varchar(10)", "char(10)", False),
        ("date", "timestamp", False),
        ("int", "int", True),
        ("decimal(10,2)", "decimal(11,3)", True),
        ("decimal(10,2)", "decimal(11,4)", False),
        ("char(10)", "varchar(10)", True),
        ("varchar(10)", "varchar(9)", False),
    ],
)
def test_widening(old, new, expected):
    assert widens(old, new) is expected
