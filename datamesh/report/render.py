"""The KPI report as rows, Markdown and HTML, with the monthly trend drawn as an inline SVG chart."""

from __future__ import annotations

from html import escape
from typing import Any

# series of the trend chart: (key, label, colour); colours keep 4.5:1 contrast on white
SERIES = (
    ("domains", "domains", "#1565c0"),
    ("products", "products", "#2e7d32"),
    ("granted", "granted shares", "#6a1b9a"),
    ("pending", "pending requests", "#b45309"),
)


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({round(100 * part / whole)}%)" if whole else "0 of 0"


def summary_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(KPI, value) in reading order: what the table, the Markdown and the portal show."""
    d, p, s = report["domains"], report["products"], report["shares"]
    rows = [
        ("domains", f"{d['total']} ({d['producers']} producers, {d['consumers']} consumers)"),
        ("products", f"{p['total']} (" + ", ".join(f"{k} {v}" for k, v in p["by_confidentiality"].items()) + ")"),
        ("with a contract", _share(p["with_contract"], p["total"])),
        ("with quality rules", _share(p["with_quality_rules"], p["total"])),
        ("with a freshness SLA", _share(p["with_freshness_sla"], p["total"])),
        ("with a contract owner", _share(p["with_contract_owner"], p["total"])),
        (
            "principals per consumer",
            ", ".join(f"{domain} {n}" for domain, n in report["principals"].items()) or "none",
        ),
        ("pii columns", f"{report['pii']['columns']} in {report['pii']['products']} product(s)"),
        ("shares", f"{s['total']}: " + ", ".join(f"{k} {v}" for k, v in s["by_state"].items())),
    ]
    lead = report.get("lead_time")
    if lead is None:
        rows.append(("request to decision", "unknown: " + report.get("history_error", "no git history")))
    else:
        rows.append(
            (
                "request to decision",
                f"median {lead['median_days']} days, longest {lead['max_days']} days over {lead['decided']} decision(s)"
                if lead["decided"]
                else "no decision in the history",
            )
        )
        waiting = [w["waiting_days"] for w in lead["pending"] if w["waiting_days"] is not None]
        rows.append(
            (
                "pending requests",
                f"{len(lead['pending'])}" + (f", oldest waiting {max(waiting)} days" if waiting else ""),
            )
        )
    rows.append(
        (
            f"expiring within {report['expiring_within_days']} days",
            ", ".join(f"{e['consumer']} <- {e['product']} on {e['expires']}" for e in s["expiring"]) or "none",
        )
    )
    rows.append(("products without consumers", ", ".join(p["without_consumers"]) or "none"))
    return rows


def _score(value: Any) -> str:
    return "" if value is None else f"{value:g}"


def failed_rules(evaluation: dict[str, Any]) -> str:
    """``1 of 5: Rule_5`` (a rule that could not be evaluated marked ``(ERROR)``), or ``none of 5``."""
    failed = evaluation["failed_rules"]
    if not failed:
        return f"none of {evaluation['rules']}"
    names = ", ".join(f["name"] + ("" if f["result"] == "FAIL" else f" ({f['result']})") for f in failed)
    return f"{len(failed)} of {evaluation['rules']}: {names}"


def trend_text(trend: list[dict[str, Any]]) -> str:
    """The scores of the last evaluations, oldest first."""
    return " → ".join(_score(t["score"]) for t in trend)


def freshness_rows(report: dict[str, Any]) -> list[list[str]]:
    """Per product: newest object, its age against the SLA, the SLA as written, status."""
    rows = []
    for item in report.get("live", {}).get("products", []):
        fresh = item["freshness"]
        age = "" if fresh["age_hours"] is None else f"{fresh['age_hours']:g}"
        sla = "" if fresh["sla_hours"] is None else f"{fresh['sla_hours']:g}"
        rows.append([item["product"], fresh["newest_object"] or "", age, sla, fresh["sla"] or "none", fresh["status"]])
    return rows


def quality_rows(report: dict[str, Any]) -> list[list[str]]:
    """Per product and ruleset: the last evaluation's score, the rules it did not pass, when, and the trend; a
    product without rulesets has one row saying so."""
    rows = []
    for item in report.get("live", {}).get("products", []):
        if not item["quality"]:
            rows.append([item["product"], "none", "", "", "", ""])
        for entry in item["quality"]:
            last = entry.get("last")
            if last is None:
                rows.append([item["product"], entry["ruleset"], "", "", entry["status"], ""])
            else:
                rows.append(
                    [
                        item["product"],
                        entry["ruleset"],
                        _score(last["score"]),
                        failed_rules(last),
                        last["started"],
                        trend_text(entry["trend"]),
                    ]
                )
    return rows


FRESHNESS_HEADER = ["product", "newest object", "age (h)", "SLA (h)", "freshness SLA", "freshness"]
QUALITY_HEADER = ["product", "ruleset", "DQ score", "rules not passed", "last evaluated", "trend (oldest first)"]
LIVE_TABLES = (
    ("freshness", FRESHNESS_HEADER, freshness_rows),
    ("data quality", QUALITY_HEADER, quality_rows),
)
TREND_HEADER = ["month", "domains", "products", "granted", "pending", "decisions", "median lead (days)"]


def trend_rows(report: dict[str, Any]) -> list[list[str]]:
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return [
        [
            r["month"],
            *(text(r[k]) for k in ("domains", "products", "granted", "pending", "decisions", "median_lead_days")),
        ]
        for r in report.get("trend", [])
    ]


def trend_svg(trend: list[dict[str, Any]], width: int = 560, height: int = 200) -> str:
    """A line per series over the months; labelled for screen readers, its numbers also in the table below it."""
    if not trend:
        return ""
    pad_left, pad_bottom, pad_top, pad_right = 40, 30, 10, 130
    peak = max([r[k] or 0 for r in trend for k, _, _ in SERIES] + [1])
    step = (width - pad_left - pad_right) / max(len(trend) - 1, 1)

    def x(i: int) -> float:
        return round(pad_left + i * step, 1)

    def y(value: int) -> float:
        return round(pad_top + (height - pad_top - pad_bottom) * (1 - value / peak), 1)

    def value(row: dict[str, Any], key: str) -> str:
        return "unknown" if row[key] is None else str(row[key])

    title = f"Trend from {trend[0]['month']} to {trend[-1]['month']}: " + "; ".join(
        f"{label} {value(trend[0], key)} to {value(trend[-1], key)}" for key, label, _ in SERIES
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{pad_left}" y1="{y(0)}" x2="{width - pad_right}" y2="{y(0)}" stroke="#555"/>',
        f'<text x="{pad_left - 6}" y="{y(0) + 4}" text-anchor="end" fill="#333">0</text>',
        f'<text x="{pad_left - 6}" y="{y(peak) + 4}" text-anchor="end" fill="#333">{peak}</text>',
    ]
    for i, row in enumerate(trend):
        if i in (0, len(trend) - 1) or len(trend) <= 6:
            parts.append(f'<text x="{x(i)}" y="{height - 10}" text-anchor="middle" fill="#333">{row["month"]}</text>')
    for n, (key, label, colour) in enumerate(SERIES):
        # a month whose files did not validate has no value: the line breaks there instead of dropping to 0
        runs: list[list[str]] = [[]]
        for i, r in enumerate(trend):
            if r[key] is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i)},{y(r[key])}")
        for run in filter(None, runs):
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>')
        parts.append(f'<text x="{width - pad_right + 8}" y="{pad_top + 12 + 16 * n}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _md_cell(value: str) -> str:
    return escape(value, quote=False).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows),
    ]


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Mesh {report['mesh']}: KPIs on {report['as_of']}",
        "",
        *_md_table(["KPI", "value"], [list(r) for r in summary_rows(report)]),
    ]
    if report.get("live"):
        lines += ["", "## What the accounts say"]
        for title, header, rows in LIVE_TABLES:
            lines += ["", f"### {title.capitalize()}", "", *_md_table(header, rows(report))]
    if report.get("trend"):
        lines += [
            "",
            f"## Trend since {report['trend'][0]['month']}",
            "",
            trend_svg(report["trend"]),
            "",
            *_md_table(TREND_HEADER, trend_rows(report)),
        ]
    return "\n".join(lines) + "\n"


def _html_table(header: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_fragment(report: dict[str, Any]) -> str:
    """The report's body for an HTML page (the portal's KPI page and ``--format html``)."""
    summary = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in summary_rows(report))
    parts = [f"<table><caption>KPIs on {escape(report['as_of'])}</caption><tbody>{summary}</tbody></table>"]
    if report.get("live"):
        parts.append(
            "<h2>What the accounts say</h2>"
            + "".join(_html_table(header, rows(report), f"{title} per product") for title, header, rows in LIVE_TABLES)
        )
    if report.get("trend"):
        parts.append(
            f"<h2>Trend since {escape(report['trend'][0]['month'])}</h2><figure>{trend_svg(report['trend'])}"
            "</figure>" + _html_table(TREND_HEADER, trend_rows(report), "per month")
        )
    return "\n".join(parts)


def html_page(report: dict[str, Any]) -> str:
    title = escape(f"Mesh {report['mesh']}: KPIs")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}caption{text-align:left;font-weight:bold}"
        f"</style></head>\n<body><main><h1>{title}</h1>\n{html_fragment(report)}\n</main></body></html>\n"
    )
