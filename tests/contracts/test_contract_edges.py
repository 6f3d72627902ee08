"""Contract fields that are optional in ODCS v3, read as the standard and docs/contracts.md say.

Expected values come from the standard's JSON Schema (bundled with
open-data-contract-standard), docs/contracts.md ("What the mesh reads") and, for the
quality rules, DQDL's lexer (awslabs/dqdl ``CommonLexerRules.g4``: a quoted string is ``"``,
then backslash escapes or any character, then ``"``).
"""

from __future__ import annotations

from typing import Any

import pytest
from open_data_contract_standard.model import SchemaProperty

from datamesh.contracts import Contract, dqdl, load_contract
from datamesh.contracts.glue_types import UnmappableType, glue_type


def document(*objects: dict[str, Any], **top: Any) -> dict[str, Any]:
    """An ODCS v3 contract with these schema objects (one ``orders`` table when none is given)."""
    schema = list(objects) or [{"name": "orders", "properties": [{"name": "id", "logicalType": "string"}]}]
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "c-1",
        "version": "1.0.0",
        "status": "active",
        "schema": schema,
        **top,
    }


def table(name: str, *properties: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": name, "properties": list(properties) or [{"name": "id", "logicalType": "string"}], **fields}


def loaded(doc: dict[str, Any]) -> Contract:
    contract, problems = load_contract(doc)
    assert problems == []
    assert contract is not None
    return contract


class TestFreshness:
    """``slaProperties`` ``freshness``, ``latency`` or ``frequency`` becomes ``<property>=<value><unit>``."""

    def test_an_sla_property_without_value_is_skipped_for_the_next(self) -> None:
        # The standard's schema requires ``value`` but allows null.
        doc = document(
            slaProperties=[
                {"property": "latency", "value": None, "unit": "d"},
                {"property": "frequency", "value": 1, "unit": "d"},
            ]
        )
        assert loaded(doc).freshness == "frequency=1d"

    def test_a_value_without_unit_is_written_alone(self) -> None:
        assert (
            loaded(document(slaProperties=[{"property": "Freshness", "value": "PT1H"}])).freshness == "Freshness=PT1H"
        )

    def test_no_freshness_property_with_a_value_means_none(self) -> None:
        doc = document(
            slaProperties=[
                {"property": "latency", "value": None, "unit": "d"},
                {"property": "retention", "value": 3, "unit": "y"},
            ]
        )
        assert loaded(doc).freshness is None


class TestDescriptions:
    """Column comments from ``description`` (or ``businessName``); the table's from its object's."""

    def test_a_column_comment_is_the_description_before_the_business_name(self) -> None:
        doc = document(
            table(
                "orders",
                {"name": "a", "logicalType": "string", "description": "Meant", "businessName": "A"},
                {"name": "b", "logicalType": "string", "description": "Only meant"},
                {"name": "c", "logicalType": "string", "businessName": "Only named"},
                {"name": "d", "logicalType": "string"},
            )
        )
        assert [c.description for c in loaded(doc).tables[0].columns] == ["Meant", "Only meant", "Only named", ""]

    def test_a_table_description_is_the_object_s_description_before_its_business_name(self) -> None:
        doc = document(
            table("orders", description="Meant", businessName="Orders"),
            table("lines", description="Only meant"),
            table("returns", businessName="Only named"),
            table("notes"),
        )
        assert [t.description for t in loaded(doc).tables] == ["Meant", "Only meant", "Only named", ""]

    def test_the_contract_description_is_its_purpose(self) -> None:
        doc = document(table("orders", description="First"), description={"purpose": "Purpose"})
        assert loaded(doc).description == "Purpose"

    def test_without_purpose_the_first_object_s_description_is_the_contract_s(self) -> None:
        doc = document(table("orders", description="First"), table("lines", description="Second"))
        assert loaded(doc).description == "First"


class TestPartitionKeyOrder:
    def test_keys_follow_partition_key_position_and_a_key_without_one_comes_first(self) -> None:
        # ODCS: partitionKeyPosition starts from 1; its default is -1, before every given position.
        doc = document(
            table(
                "orders",
                {"name": "id", "logicalType": "string"},
                {"name": "region", "logicalType": "string", "partitioned": True, "partitionKeyPosition": 1},
                {"name": "source", "logicalType": "string", "partitioned": True},
                {"name": "day", "logicalType": "date", "partitioned": True, "partitionKeyPosition": 2},
            )
        )
        assert [k.name for k in loaded(doc).tables[0].partition_keys] == ["source", "region", "day"]


class TestMaps:
    """A map needs both ``map.key`` and ``map.value`` (ODCS: ``required: [key, value]``)."""

    def test_a_map_without_value_is_refused_in_a_contract(self) -> None:
        doc = document(
            table("orders", {"name": "attributes", "logicalType": "map", "map": {"key": {"logicalType": "string"}}})
        )
        contract, problems = load_contract(doc)
        assert contract is None and [field for field, _ in problems] == ["schema[0].properties[0].map"]

    @pytest.mark.parametrize(
        "entries",
        [{"key": {"logicalType": "string"}}, {"value": {"logicalType": "string"}}, {}],
        ids=["no-value", "no-key", "neither"],
    )
    def test_a_map_missing_a_part_has_no_glue_type(self, entries: dict[str, Any]) -> None:
        prop = SchemaProperty.model_validate({"name": "attributes", "logicalType": "map", "map": entries})
        with pytest.raises(UnmappableType, match="map needs map.key and map.value"):
            glue_type(prop)


class TestPatternQuoting:
    """A ``pattern`` reaches DQDL inside a double-quoted string, which a ``"`` would end."""

    @staticmethod
    def rules(pattern: str) -> list[str]:
        doc = document(
            table(
                "orders",
                {
                    "name": "code",
                    "logicalType": "string",
                    "quality": [{"metric": "invalidValues", "mustBe": 0, "arguments": {"pattern": pattern}}],
                },
            )
        )
        return dqdl.rules(loaded(doc).tables[0])

    def test_an_anchored_pattern_with_a_single_quote_is_a_matches_rule(self) -> None:
        assert self.rules("^it's$") == ['ColumnValues "code" matches "^it\'s$"']

    def test_a_pattern_with_a_double_quote_is_counted_in_sql_with_the_quote_as_char_34(self) -> None:
        assert self.rules('^a"b$') == [
            'CustomSql "select count(*) from primary where `code` is null or not '
            "(`code` rlike ('^a' || char(34) || 'b$'))\" = 0"
        ]

    def test_a_pattern_ending_in_an_escaped_dollar_is_not_anchored(self) -> None:
        assert self.rules("^price\\$") == [
            'CustomSql "select count(*) from primary where `code` is null or not '
            "(`code` rlike ('^price' || char(92) || '$'))\" = 0"
        ]


def column_type(prop: dict[str, Any]) -> tuple[str | None, list[tuple[str, str]]]:
    """The Glue type of a contract's only column ``c``, or the problems."""
    contract, problems = load_contract(document(table("orders", {"name": "c", **prop})))
    return (contract.tables[0].columns[0].type if contract else None), problems


def wrapped(levels: int, leaf: dict[str, Any], wrap: Any) -> dict[str, Any]:
    for _ in range(levels):
        leaf = wrap(leaf)
    return leaf


class TestNesting:
    """docs/contracts.md: properties nested more than 32 levels are refused (the column is the first level)."""

    WRAPS = {
        "array": lambda inner: {"logicalType": "array", "items": inner},
        "object": lambda inner: {"logicalType": "object", "properties": [{"name": "f", **inner}]},
        "map-value": lambda inner: {"logicalType": "map", "map": {"key": {"logicalType": "string"}, "value": inner}},
    }

    @pytest.mark.parametrize("kind", WRAPS)
    def test_32_levels_load_and_33_are_refused(self, kind: str) -> None:
        string = {"logicalType": "string"}
        deepest, problems = column_type(wrapped(31, string, self.WRAPS[kind]))
        assert problems == [] and deepest is not None and deepest.count("<") == 31
        deepest, problems = column_type(wrapped(32, string, self.WRAPS[kind]))
        assert deepest is None and {reason for _, reason in problems} == {"properties nested more than 32 levels deep"}

    @pytest.mark.parametrize("kind", WRAPS)
    def test_glue_type_itself_takes_32_levels_below_the_column_and_refuses_33(self, kind: str) -> None:
        # The ODCS schema check refuses deep properties first; glue_type keeps its own bound for other callers.
        def prop(levels: int) -> SchemaProperty:
            return SchemaProperty.model_validate(
                {"name": "c", **wrapped(levels, {"logicalType": "string"}, self.WRAPS[kind])}
            )

        assert glue_type(prop(32)).count("<") == 32
        with pytest.raises(UnmappableType, match="nested more than 32 levels deep"):
            glue_type(prop(33))


class TestExactDecimals:
    """``NUMBER(p,s)``/``numeric(p,s)`` become ``decimal(p,s)`` when Athena has one: p 1 to 38, s 0 to p
    (Athena DDL data types); otherwise the logical type decides (``number``: double)."""

    @pytest.mark.parametrize(
        ("physical", "expected"),
        [
            ("NUMBER(10)", "decimal(10,0)"),
            ("numeric(1)", "decimal(1,0)"),
            ("NUMBER(38,0)", "decimal(38,0)"),
            ("NUMBER(10,0)", "decimal(10,0)"),
            ("NUMBER(10,10)", "decimal(10,10)"),
            ("NUMBER(39)", "double"),
            ("NUMBER(0)", "double"),
            ("NUMBER(10,11)", "double"),
            ("NUMBER(10,-1)", "double"),
        ],
    )
    def test_precision_and_scale_within_athena_s_limits(self, physical: str, expected: str) -> None:
        assert column_type({"physicalType": physical, "logicalType": "number"}) == (expected, [])


class TestCommentLength:
    """Glue API reference, ``Column``: a comment holds at most 255 characters."""

    def test_a_comment_of_255_characters_loads_and_256_are_refused(self) -> None:
        assert column_type({"logicalType": "string", "description": "x" * 255})[1] == []
        assert column_type({"logicalType": "string", "description": "x" * 256})[1] == [
            ("schema[0].properties[0].description", "256 characters: a Glue column comment holds at most 255")
        ]


class TestProblemFields:
    def test_a_long_description_without_purpose_is_reported_on_the_first_object(self) -> None:
        doc = document(table("orders", description="x" * 2049), description={"usage": "Daily reports"})
        contract, problems = load_contract(doc)
        assert contract is None
        assert problems == [("schema[0].description", "2049 characters: a Glue table description holds at most 2048")]

    @pytest.mark.parametrize(
        ("names", "field"),
        [({"physicalName": "Bad Name"}, "schema[1].physicalName"), ({"name": "Bad Name"}, "schema[1].name")],
    )
    def test_an_invalid_table_name_names_the_key_it_came_from(self, names: dict[str, str], field: str) -> None:
        second = {"properties": [{"name": "id", "logicalType": "string"}], "name": "lines", **names}
        assert load_contract(document(table("orders"), second))[1] == [
            (field, "'Bad Name' is not a valid Glue table name: letters, digits and _, at most 255")
        ]


class TestRuleEdges:
    @staticmethod
    def rules(column_rule: dict[str, Any] | None = None, table_rule: dict[str, Any] | None = None) -> list[str]:
        doc = document(
            table(
                "orders",
                {"name": "flag", "logicalType": "boolean", "quality": [column_rule] if column_rule else []},
                quality=[table_rule] if table_rule else [],
            )
        )
        return dqdl.rules(loaded(doc).tables[0])

    def test_boolean_valid_values_are_sql_true_and_false(self) -> None:
        rule = {"metric": "invalidValues", "mustBeLessThan": 1, "arguments": {"validValues": [True]}}
        assert self.rules(rule) == [
            'CustomSql "select count(*) from primary where `flag` is null or not (`flag` in (true))" < 1'
        ]

    def test_table_duplicate_values_need_a_list_of_properties(self) -> None:
        doc = document(
            table("orders", quality=[{"metric": "duplicateValues", "mustBe": 0, "arguments": {"properties": "id"}}])
        )
        assert dqdl.problems(loaded(doc)) == [
            ("schema[0].quality[0]", "duplicateValues on a table needs arguments.properties")
        ]

    @pytest.mark.parametrize(
        "rule",
        [
            '(RowCount > 0) and (ColumnValues "flag" in ["true", "a,b"])',
            'ColumnValues "flag" in ["", "true"]',
            'ColumnValues "flag" in ["#1", "a)b,"]',
        ],
    )
    def test_a_custom_rule_with_brackets_and_strings_is_one_rule(self, rule: str) -> None:
        assert self.rules(table_rule={"type": "custom", "engine": "glue", "implementation": rule}) == [rule]


class TestTables:
    def test_an_added_table_is_a_compatible_change(self) -> None:
        from datamesh.contracts.compatibility import diff

        before, after = (
            loaded(document(table("orders"), table("lines"))),
            loaded(document(table("orders"), table("lines"), table("returns"))),
        )
        assert [(c.what, c.breaking, c.table) for c in diff(before, after)] == [("added", False, "returns")]

    def test_a_removed_table_is_a_breaking_change(self) -> None:
        from datamesh.contracts.compatibility import diff

        before, after = (
            loaded(document(table("orders"), table("lines"), table("returns"))),
            loaded(document(table("orders"), table("lines"))),
        )
        assert [(c.what, c.breaking, c.table) for c in diff(before, after)] == [
            ("removed (or renamed)", True, "returns")
        ]

    def test_a_table_description_of_2048_characters_loads(self) -> None:
        # Glue API reference, TableInput: Description at most 2048 characters.
        assert [
            t.description for t in loaded(document(table("orders"), table("lines", description="x" * 2048))).tables
        ] == ["", "x" * 2048]

    def test_a_2048_character_purpose_and_a_255_character_table_name_load(self) -> None:
        # Glue API reference: DatabaseInput/TableInput Description at most 2048, a table Name at most 255.
        contract = loaded(document(table("orders"), table("t" * 255), description={"purpose": "x" * 2048}))
        assert (contract.description, [t.name for t in contract.tables]) == ("x" * 2048, ["orders", "t" * 255])

    def test_a_second_table_beside_the_only_one_is_an_added_table(self) -> None:
        from datamesh.contracts.compatibility import diff

        before, after = loaded(document(table("orders"))), loaded(document(table("orders"), table("lines")))
        assert [(c.what, c.breaking, c.table) for c in diff(before, after)] == [("added", False, "lines")]

    def test_an_object_that_is_not_a_table_is_named_by_its_name(self) -> None:
        doc = document(table("orders"), table("Events", physicalName="events_v1", physicalType="topic"))
        assert load_contract(doc)[1] == [
            (
                "schema[1].physicalType",
                "object 'Events' is a topic, not a table: the mesh publishes tables only "
                "(remove it or describe it in another contract)",
            )
        ]

    def test_a_column_name_of_255_characters_loads_and_256_are_refused(self) -> None:
        assert column_type({"name": "c" * 255, "logicalType": "string"})[1] == []
        assert column_type({"name": "c" * 256, "logicalType": "string"})[1] == [
            (
                "schema[0].properties[0].name",
                f"{'c' * 256!r} is not a valid Glue column name: letters, digits and _, "
                "at most 255 (set physicalName to the column's name in the table)",
            )
        ]


class TestQuoting:
    """Values reach DQDL and Spark SQL only through the quoting functions (dqdl.py's docstring, DQDL's lexer)."""

    @pytest.mark.parametrize("value", ['say "hi"', "ends in \\"])
    def test_a_dqdl_string_never_needs_an_escape(self, value: str) -> None:
        with pytest.raises(dqdl.UnsupportedRule):
            dqdl.dqdl_string(value)

    def test_control_characters_and_delete_are_char_codes_in_sql(self) -> None:
        assert dqdl.sql_string("a\tb ~\x7f\x1f") == "('a' || char(9) || 'b ~' || char(127) || char(31))"

    @pytest.mark.parametrize(("bound", "shown"), [(True, "True"), ("5", "'5'"), (float("inf"), "inf")])
    def test_an_operator_takes_finite_numbers_only(self, bound: Any, shown: str) -> None:
        doc = document(table("orders", quality=[{"metric": "rowCount", "mustBe": bound}]))
        contract, problems = load_contract(doc)
        assert problems == [] and contract is not None
        assert dqdl.problems(contract) == [("schema[0].quality[0]", f"{shown} is not a number")]

    @pytest.mark.parametrize("implementation", ["(RowCount > 0", "   "])
    def test_a_custom_rule_must_be_one_complete_rule(self, implementation: str) -> None:
        doc = document(
            table("orders", quality=[{"type": "custom", "engine": "glue", "implementation": implementation}])
        )
        assert dqdl.problems(loaded(doc)) == [("schema[0].quality[0]", "implementation must be one complete DQDL rule")]


class TestStandardSchema:
    """The ODCS JSON Schema, checked per property: unknown keys, keys for another logicalType, map parts, order."""

    def test_unknown_keys_of_a_property_or_a_rule_are_refused_in_field_order(self) -> None:
        doc = document(
            table(
                "orders",
                {"name": "a", "logicalType": "string", "colour": "red"},
                {"name": "b", "logicalType": "text"},
                quality=[{"metric": "rowCount", "mustBe": 1, "colour": "red"}],
            )
        )
        contract, problems = load_contract(doc)
        assert contract is None
        assert [field for field, _ in problems] == [
            "schema[0].properties[0]",
            "schema[0].properties[1].logicalType",
            "schema[0].quality[0]",
        ]
        assert (
            problems[0][1]
            == problems[2][1]
            == "not valid ODCS: Additional properties are not allowed ('colour' was unexpected)"
        )
        assert problems[1][1].startswith("not valid ODCS: 'text' is not one of")

    def test_a_key_of_another_logical_type_names_the_key(self) -> None:
        doc = document(table("orders", {"name": "a", "logicalType": "string", "items": {"logicalType": "string"}}))
        assert load_contract(doc)[1] == [
            ("schema[0].properties[0].items", "not valid ODCS: 'items' needs logicalType array")
        ]

    def test_a_map_s_key_is_checked_as_a_property(self) -> None:
        doc = document(
            table(
                "orders",
                {
                    "name": "a",
                    "logicalType": "map",
                    "map": {"key": {"logicalType": "text"}, "value": {"logicalType": "string"}},
                },
            )
        )
        problems = load_contract(doc)[1]
        assert [field for field, _ in problems] == ["schema[0].properties[0].map.key.logicalType"]
        assert problems[0][1].startswith("not valid ODCS: 'text' is not one of")

    def test_more_than_5000_properties_are_refused_at_once(self) -> None:
        properties = [{"name": f"c{i}", "logicalType": "string"} for i in range(5001)]
        assert load_contract(document(table("orders", *properties)))[1] == [
            (
                "schema",
                "more than 5000 properties (columns and nested fields): the mesh reads at most that many per contract",
            )
        ]
