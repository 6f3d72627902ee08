"""Athena partition projection of each partition key, as the table in docs/real-aws.md (finding 3) gives it.

Athena user guide, "Supported types for partition projection": ``enum`` takes ``values``,
``date`` a ``format``, a ``range``, an ``interval`` and its ``interval.unit`` (a
ChronoUnit), ``integer`` a ``range``, ``injected`` nothing. Each case loads a small mesh
whose product has one partitioned table from an inline contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from datamesh.contracts.projection import projection_parameters
from tests.support.small_mesh import contract, load, mesh_config, problems, producer

LOCATION = "s3://bucket/orders/"


def sales_with_keys(*keys: dict[str, Any]) -> dict[str, Any]:
    doc = contract(
        {"name": "id", "logicalType": "string"},
        *({"partitioned": True, "partitionKeyPosition": i, **k} for i, k in enumerate(keys, 1)),
    )
    product = {"name": "orders", "confidentiality": "internal", "contract": doc}
    return {**producer("sales", "222222222222"), "products": [product]}


def projection(tmp_path: Path, *keys: dict[str, Any]) -> dict[str, str]:
    table = load(tmp_path, mesh_config(), sales_with_keys(*keys)).domains[0].products[0].tables[0]
    return projection_parameters(table, LOCATION)


def valid_values(*values: str, **rule: Any) -> list[dict[str, Any]]:
    return [{"metric": "invalidValues", "arguments": {"validValues": list(values)}, **(rule or {"mustBe": 0})}]


class TestEnum:
    def test_allowed_values_are_the_enum(self, tmp_path: Path) -> None:
        key = {
            "name": "segment",
            "logicalType": "string",
            "quality": [{"metric": "nullValues", "mustBe": 0}, *valid_values("retail", "b2b")],
        }
        assert projection(tmp_path, key) == {
            "projection.enabled": "true",
            "projection.segment.type": "enum",
            "projection.segment.values": "retail,b2b",
            "storage.location.template": f"{LOCATION}segment=${{segment}}/",
        }

    @pytest.mark.parametrize(
        "rule",
        [{"mustBe": 1}, {"mustBe": 0, "unit": "percent"}, {"mustBeLessThan": 5}],
        ids=["some-allowed", "percent", "less-than"],
    )
    def test_values_a_rule_only_limits_are_not_all_there_is(self, tmp_path: Path, rule: dict[str, Any]) -> None:
        key = {"name": "segment", "logicalType": "string", "quality": valid_values("retail", **rule)}
        assert projection(tmp_path, key)["projection.segment.type"] == "injected"

    def test_a_boolean_key_is_true_and_false_unless_the_contract_narrows_it(self, tmp_path: Path) -> None:
        assert (
            projection(tmp_path, {"name": "flag", "logicalType": "boolean"})["projection.flag.values"] == "true,false"
        )
        narrowed = {"name": "flag", "logicalType": "boolean", "quality": valid_values("true")}
        assert projection(tmp_path / "narrowed", narrowed)["projection.flag.values"] == "true"


class TestDate:
    def test_a_date_key_from_its_minimum_to_now_by_day(self, tmp_path: Path) -> None:
        key = {"name": "day", "logicalType": "date", "logicalTypeOptions": {"minimum": "2024-01-01"}}
        assert projection(tmp_path, key) == {
            "projection.enabled": "true",
            "projection.day.type": "date",
            "projection.day.format": "yyyy-MM-dd",
            "projection.day.range": "2024-01-01,NOW",
            "projection.day.interval": "1",
            "projection.day.interval.unit": "DAYS",
            "storage.location.template": f"{LOCATION}day=${{day}}/",
        }

    def test_a_maximum_ends_the_range(self, tmp_path: Path) -> None:
        key = {
            "name": "day",
            "logicalType": "date",
            "logicalTypeOptions": {"minimum": "2024-01-01", "maximum": "2025-12-31"},
        }
        assert projection(tmp_path, key)["projection.day.range"] == "2024-01-01,2025-12-31"

    def test_a_date_key_without_minimum_is_injected(self, tmp_path: Path) -> None:
        assert projection(tmp_path, {"name": "day", "logicalType": "date"})["projection.day.type"] == "injected"

    @pytest.mark.parametrize(
        ("logical", "pattern", "first", "unit"),
        [
            ("date", "yyyy-MM", "2024-01", "MONTHS"),
            ("timestamp", "yyyy-MM-dd-HH", "2024-01-01-00", "HOURS"),
            ("timestamp", "yyyy-MM-dd HH:mm", "2024-01-01 00:00", "MINUTES"),
            ("date", "yyyy-'W'ww", "2024-W01", "WEEKS"),
            ("date", "yyyy-MM'm'", "2024-01m", "MONTHS"),  # the quoted m is a literal, not minutes
        ],
    )
    def test_a_string_key_with_a_date_format_steps_by_its_finest_unit(
        self, tmp_path: Path, logical: str, pattern: str, first: str, unit: str
    ) -> None:
        key = {
            "name": "period",
            "physicalType": "string",
            "logicalType": logical,
            "logicalTypeOptions": {"format": pattern, "minimum": first},
        }
        found = projection(tmp_path, key)
        assert (
            found["projection.period.type"],
            found["projection.period.format"],
            found["projection.period.range"],
            found["projection.period.interval.unit"],
        ) == ("date", pattern, f"{first},NOW", unit)

    @pytest.mark.parametrize(
        "options", [{"format": "yyyy-MM"}, {"minimum": "2024-01"}], ids=["no-minimum", "no-format"]
    )
    def test_a_string_key_lacking_format_or_minimum_is_injected(self, tmp_path: Path, options: dict[str, str]) -> None:
        key = {"name": "period", "physicalType": "string", "logicalType": "date", "logicalTypeOptions": options}
        assert projection(tmp_path, key)["projection.period.type"] == "injected"


class TestInteger:
    def test_an_integer_key_with_minimum_and_maximum_is_a_range(self, tmp_path: Path) -> None:
        key = {"name": "month", "logicalType": "integer", "logicalTypeOptions": {"minimum": 1, "maximum": 12}}
        assert projection(tmp_path, key) == {
            "projection.enabled": "true",
            "projection.month.type": "integer",
            "projection.month.range": "1,12",
            "storage.location.template": f"{LOCATION}month=${{month}}/",
        }

    @pytest.mark.parametrize(
        "options", [{"minimum": 1}, {"maximum": 12}, {}], ids=["no-maximum", "no-minimum", "neither"]
    )
    def test_an_integer_key_without_both_bounds_is_injected(self, tmp_path: Path, options: dict[str, int]) -> None:
        key = {"name": "month", "logicalType": "integer", "logicalTypeOptions": options}
        assert projection(tmp_path, key)["projection.month.type"] == "injected"


class TestSeveralKeys:
    def test_the_location_template_names_every_key_in_order(self, tmp_path: Path) -> None:
        found = projection(
            tmp_path, {"name": "region", "logicalType": "string"}, {"name": "day", "logicalType": "date"}
        )
        assert found["storage.location.template"] == f"{LOCATION}region=${{region}}/day=${{day}}/"
        assert (found["projection.region.type"], found["projection.day.type"]) == ("injected", "injected")

    def test_a_table_without_partition_keys_has_no_projection(self, tmp_path: Path) -> None:
        table = load(tmp_path, mesh_config(), sales_with_keys()).domains[0].products[0].tables[0]
        assert projection_parameters(table, LOCATION) == {}


class TestRefused:
    """Refused by the ``partition_projection`` rule, one line naming the file and field."""

    @pytest.mark.parametrize(
        ("key", "reason"),
        [
            (
                {"name": "score", "logicalType": "number"},
                "partition key 'score' cannot be projected: Athena cannot project a double key (enum, date, integer and "
                "injected only)",
            ),
            (
                {
                    "name": "day",
                    "logicalType": "date",
                    "logicalTypeOptions": {"format": "yyyy/MM/dd", "minimum": "2024/01/01"},
                },
                "partition key 'day' cannot be projected: a date key's values are yyyy-MM-dd; for format 'yyyy/MM/dd' "
                "declare physicalType: string",
            ),
            (
                {
                    "name": "period",
                    "physicalType": "string",
                    "logicalType": "date",
                    "logicalTypeOptions": {"format": "yyyy-MM", "minimum": "2024-13"},
                },
                "partition key 'period' cannot be projected: logicalTypeOptions.minimum '2024-13' is not in the key's "
                "format 'yyyy-MM'",
            ),
            (
                {
                    "name": "period",
                    "physicalType": "string",
                    "logicalType": "date",
                    "logicalTypeOptions": {"format": "yyyy-MM", "minimum": "2024-01", "maximum": "2024"},
                },
                "partition key 'period' cannot be projected: logicalTypeOptions.maximum '2024' is not in the key's "
                "format 'yyyy-MM'",
            ),
            (
                {
                    "name": "period",
                    "physicalType": "string",
                    "logicalType": "date",
                    "logicalTypeOptions": {"format": "'always'", "minimum": "always"},
                },
                "partition key 'period' cannot be projected: date format \"'always'\" shows no date or time field",
            ),
        ],
        ids=["double", "date-in-another-format", "minimum-not-in-format", "maximum-not-in-format", "no-date-field"],
    )
    def test_a_key_athena_cannot_project_is_one_line(self, tmp_path: Path, key: dict[str, Any], reason: str) -> None:
        found = problems(tmp_path, mesh_config(), sales_with_keys(key))
        assert [line.split(": ", 2)[2] for line in found] == [reason]
        assert found[0].startswith("domains/sales.yaml: products[0]")
