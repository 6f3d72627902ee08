"""meshctl report --live reads a contract's freshness SLA in the units docs/report-portal.md lists and guesses no other."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from datamesh.contracts.sla import sla
from datamesh.report.live_kpis import sla_of

DAY, HOUR, YEAR = 86400, 3600, 365 * 86400  # ODCS slaProperties: "d, day, days for days; y, yr, years for years"


def _product(amount: int | None, unit: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        data_contract=SimpleNamespace(staleness=None if amount is None else sla("latency", amount, unit))
    )


@pytest.mark.parametrize(
    ("unit", "seconds"),
    [
        ("d", DAY),
        ("day", DAY),
        ("days", DAY),
        ("y", YEAR),
        ("yr", YEAR),
        ("years", YEAR),
        ("s", 1),
        ("min", 60),
        ("h", HOUR),
        ("hr", HOUR),
        ("week", 7 * DAY),
        ("weeks", 7 * DAY),
    ],
)
def test_documented_units_give_the_duration(unit, seconds):
    assert sla_of(_product(2, unit)) == (f"latency=2{unit}", timedelta(seconds=2 * seconds))


@pytest.mark.parametrize("unit", ["m", "mo", "fortnight", ""])
def test_month_or_minute_and_unknown_units_are_not_guessed(unit):
    assert sla_of(_product(3, unit)) == (f"latency=3{unit}", None)


def test_a_product_without_contract_or_freshness_has_no_sla():
    assert sla_of(SimpleNamespace(data_contract=None)) == (None, None)
    assert sla_of(_product(None)) == (None, None)
