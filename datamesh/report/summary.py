"""The report from the files and their git history: KPIs, lead times and the monthly trend."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from datamesh.git import revision

if TYPE_CHECKING:
    from datamesh.config import Mesh

TREND_MONTHS = 6


def default_since(today: date) -> date:
    """The first day of the month ``TREND_MONTHS - 1`` months before today's."""
    index = today.year * 12 + today.month - 1 - (TREND_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1)


def build(
    mesh: Mesh,
    mesh_file: Path,
    now: datetime,
    *,
    since: date | None,
    expiring_within: int = 30,
    strict_history: bool = False,
) -> dict[str, Any]:
    """The report without --live; git problems leave the history parts out, or raise when ``strict_history``."""
    from datamesh.report import history, kpis

    report: dict[str, Any] = {
        "mesh": mesh.config.name,
        "as_of": now.date().isoformat(),
        "expiring_within_days": expiring_within,
        **kpis.from_files(mesh, now.date(), expiring_within),
    }
    try:
        found = history.read(mesh_file)
    except revision.GitError as exc:
        if strict_history:
            raise
        report.update(lead_time=None, trend=[], history_error=str(exc))
        return report
    report["lead_time"] = history.lead_times(found, mesh, now)
    report["trend"] = history.trend(found, since or default_since(now.date()), now)
    return report
