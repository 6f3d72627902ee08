"""A contract's service levels as durations: how often data arrives, and how old it may be.

ODCS lists ``frequency`` and ``latency`` among its slaProperties (Open Data Contract Standard,
"Service-Level Agreement"). The mesh reads ``frequency`` as how often the producer publishes,
so it sets how often the quality rules run; ``latency`` (or a ``freshness`` property) as how
old the newest data may be, so it sets the staleness threshold. A contract that states only
one of them uses it for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# ODCS slaProperties units ("d, day, days for days; y, yr, years for years"); "m" (month or minute?) and
# other units not listed here are reported as unknown, not guessed.
UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 604800,
    "week": 604800,
    "weeks": 604800,
    "y": 31536000,
    "yr": 31536000,
    "year": 31536000,
    "years": 31536000,
}
# CloudWatch: "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds" (PutMetricAlarm):
# the longest staleness threshold one alarm period watches.
MAX_STALENESS = timedelta(days=7)
STALENESS_PROPERTIES = ("latency", "freshness")
SCHEDULE_PROPERTIES = ("frequency",)


@dataclass(frozen=True)
class Sla:
    """One slaProperty: as written (``latency=1d``) and as a duration (None: unit unknown, or not a number)."""

    text: str
    duration: timedelta | None


def sla(prop: str, value: object, unit: str | None) -> Sla:
    seconds = UNITS.get((unit or "").strip().lower())
    try:
        amount = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        amount = None
    duration = timedelta(seconds=amount * seconds) if seconds and amount is not None else None
    return Sla(f"{prop}={value}{unit or ''}", duration)


def pick(found: dict[str, Sla], first: tuple[str, ...], then: tuple[str, ...]) -> Sla | None:
    """The first of ``first`` the contract states, else the first of ``then``."""
    return next((found[p] for p in (*first, *then) if p in found), None)
