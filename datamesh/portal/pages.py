"""The portal's HTML pages. Every text from the files goes through :func:`html.escape`: contracts are
written by producers and are not trusted."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from datamesh.config import DomainConfig, Mesh, Product, Share, ShareState
from datamesh.config.models import ProductTable
from datamesh.contracts import dqdl
from datamesh.report import graph, render
from datamesh.report.readers import Reader

STATE_TEXT = {
    ShareState.GRANTED: "granted",
    ShareState.PENDING: "pending approval",
    ShareState.DENIED: "denied",
    ShareState.EXPIRED: "expired",
}


def product_path(domain: str, product: str) -> str:
    return f"products/{domain}.{product}.html"


def domain_path(domain: str) -> str:
    return f"domains/{domain}.html"


def layout(mesh: Mesh, title: str, body: str, *, root: str, scripts: tuple[str, ...] = ()) -> str:
    """A page: skip link, header with the navigation, main content; ``root`` is the way back to the site's top."""
    nav = "".join(
        f'<li><a href="{root}{href}">{label}</a></li>'
        for href, label in (
            ("index.html", "Search"),
            ("domains.html", "Domains"),
            ("graph.html", "Mesh graph"),
            ("kpis.html", "KPIs"),
        )
    )
    tags = "".join(f'<script src="{root}assets/{name}"></script>' for name in scripts)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · data mesh {escape(mesh.config.name)}</title>"
        f'<link rel="stylesheet" href="{root}assets/portal.css"></head>\n<body>'
        '<a class="skip" href="#main">Skip to content</a>'
        f'<header><p class="brand">data mesh {escape(mesh.config.name)}</p>'
        f'<nav aria-label="Portal"><ul>{nav}</ul></nav></header>\n'
        f'<main id="main"><h1>{escape(title)}</h1>\n{body}\n</main>{tags}</body></html>\n'
    )


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    """A table whose cells are already HTML (escaped by the caller)."""
    if not rows:
        return f"<p>{escape(caption)}: none.</p>"
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, str]]) -> str:
    return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def _state(share: Share) -> str:
    return f'<span class="state state-{share.state.value}">{escape(STATE_TEXT[share.state])}</span>'


def search_page(mesh: Mesh) -> str:
    body = (
        '<form role="search" action="index.html" method="get">'
        '<label for="q">Search products by name, column, tag, owner or description</label>'
        '<input id="q" name="q" type="search" autocomplete="off" spellcheck="false">'
        "</form>"
        '<p id="status" role="status" aria-live="polite">Type words to search; every word must match.</p>'
        '<ol id="results" class="results"></ol>'
        '<noscript><p>Search needs JavaScript; <a href="domains.html">browse the domains</a> instead.</p></noscript>'
        f"<p>{sum(len(d.products) for d in mesh.domains)} products in {len(mesh.domains)} domains. "
        "Ranked as <code>meshctl catalog search</code> ranks them.</p>"
    )
    return layout(mesh, "Find data", body, root="", scripts=("search-index.js", "search.js", "portal.js"))


def domains_page(mesh: Mesh) -> str:
    rows = [
        [
            f'<a href="{domain_path(d.name)}">{escape(d.name)}</a>',
            escape(d.owner.team),
            str(len(d.products)),
            str(len(d.consumes)),
        ]
        for d in mesh.domains
    ]
    return layout(
        mesh, "Domains", _table("Every domain of the mesh", ["domain", "owner", "products", "consumes"], rows), root=""
    )


def domain_page(mesh: Mesh, domain: DomainConfig, shares: list[Share]) -> str:
    owner = domain.owner
    facts = _facts(
        [
            ("owner", escape(owner.team)),
            ("contact", f'<a href="mailto:{escape(owner.email)}">{escape(owner.email)}</a>'),
            ("account", escape(domain.account)),
            ("cost centre", escape(owner.cost_centre)),
        ]
    )
    products = [
        [
            f'<a href="../{product_path(domain.name, p.name)}">{escape(p.name)}</a>',
            escape(p.description),
            escape(p.confidentiality),
        ]
        for p in domain.products
    ]
    consumed = [
        [
            f'<a href="../{product_path(s.producer, s.product)}">{escape(f"{s.producer}.{s.product}")}</a>',
            escape(", ".join(p.value for p in s.permissions)),
            _state(s),
            escape(s.expires.isoformat() if s.expires else ""),
        ]
        for s in shares
        if s.consumer == domain.name
    ]
    body = (
        facts
        + "<h2>Products</h2>"
        + _table(f"Products of {domain.name}", ["product", "description", "confidentiality"], products)
        + "<h2>Consumes</h2>"
        + _table(f"Products {domain.name} subscribed to", ["product", "permissions", "state", "expires"], consumed)
    )
    return layout(mesh, f"Domain {domain.name}", body, root="../")


def _columns(product: Product, table: ProductTable) -> str:
    required = {c.name for c in table.source.all_columns if c.required} if table.source else set()
    rows = []
    for column, partition in [*((c, False) for c in table.columns), *((c, True) for c in table.partition_keys)]:
        marks = []
        if column.pii:
            marks.append('<strong class="pii">pii</strong>')
        if partition:
            marks.append("partition key")
        if column.name in required:
            marks.append("required")
        rows.append(
            [
                f"<code>{escape(column.name)}</code>",
                f"<code>{escape(column.type)}</code>",
                escape(column.description),
                escape(column.confidentiality or product.confidentiality),
                ", ".join(marks),
            ]
        )
    return _table(
        f"Columns{'' if table.name == product.name else ' of ' + table.name}; pii columns are withheld "
        "from consumers' SELECT",
        ["column", "type", "description", "confidentiality", "marks"],
        rows,
    )


def _readers(readers: list[Reader]) -> str:
    rows = [
        [
            f'<a href="../{domain_path(r.consumer)}">{escape(r.consumer)}</a>',
            escape(r.principal),
            f"<code>{escape(r.role)}</code>",
            escape(r.engine),
            escape(", ".join(r.permissions)),
            escape(", ".join(r.tables)),
            f"<code>{escape(r.rows)}</code>" if r.rows else "every row",
            escape(", ".join(r.withheld)) or "none",
        ]
        for r in readers
    ]
    return _table(
        "Principals of the consumer domains that the granted shares reach",
        ["domain", "principal", "role", "engine", "permissions", "tables", "rows", "columns withheld"],
        rows,
    )


def _live(live: dict[str, Any] | None, checked_at: str) -> str:
    """The product's freshness and data quality as the accounts said at ``checked_at``."""
    if live is None:
        return (
            "<p>Not read from the accounts: <code>meshctl portal --live</code> adds the age of the newest data "
            "against the freshness SLA and the last Glue Data Quality evaluations.</p>"
        )
    fresh = live["freshness"]
    age = "" if fresh["age_hours"] is None else f"{fresh['age_hours']:g} h"
    sla = (
        "none"
        if fresh["sla"] is None
        else f"{fresh['sla']}" + ("" if fresh["sla_hours"] is None else f" ({fresh['sla_hours']:g} h)")
    )
    parts = [
        f"<p>As the accounts said at {escape(checked_at)}.</p>",
        _facts(
            [
                ("freshness", f'<strong class="status">{escape(fresh["status"])}</strong>'),
                ("newest object", escape(fresh["newest_object"] or "")),
                ("age", escape(age)),
                ("freshness SLA", escape(sla)),
                *([("why", escape(fresh["error"]))] if "error" in fresh else []),
            ]
        ),
    ]
    if not live["quality"]:
        parts.append("<p>No quality ruleset.</p>")
    for entry in live["quality"]:
        last = entry.get("last")
        parts.append(f"<h3>Ruleset <code>{escape(entry['ruleset'])}</code> on table {escape(entry['table'])}</h3>")
        if last is None:
            why = [("why", escape(entry["error"]))] if "error" in entry else []
            parts.append(_facts([("last evaluation", escape(entry["status"])), *why]))
            continue
        parts.append(
            _facts(
                [
                    ("last evaluation", escape(last["started"])),
                    ("score", escape(f"{last['score']:g}" if last["score"] is not None else "")),
                    ("rules not passed", escape(render.failed_rules(last))),
                ]
            )
            + _table(
                f"The last {len(entry['trend'])} evaluations, oldest first",
                ["started", "score"],
                [
                    [escape(t["started"]), escape(f"{t['score']:g}" if t["score"] is not None else "")]
                    for t in entry["trend"]
                ],
            )
        )
    return "".join(parts)


def product_page(
    mesh: Mesh,
    domain: DomainConfig,
    product: Product,
    shares: list[Share],
    readers: list[Reader],
    live: dict[str, Any] | None = None,
    checked_at: str = "",
) -> str:
    """``live``: the product's record of ``report --live`` (None: built without --live)."""
    ref = f"{domain.name}.{product.name}"
    contract = product.data_contract
    sharing = (
        "every domain (open)"
        if product.is_open
        else (", ".join(product.shared_with) if product.shared_with else "nobody yet")
    )
    facts = _facts(
        [
            ("description", escape(product.description)),
            ("domain", f'<a href="../{domain_path(domain.name)}">{escape(domain.name)}</a>'),
            ("owner", escape(domain.owner.team)),
            ("contact", f'<a href="mailto:{escape(domain.owner.email)}">{escape(domain.owner.email)}</a>'),
            ("confidentiality", escape(product.confidentiality)),
            ("format", escape(product.format.value)),
            ("shared with", escape(sharing)),
            (
                "contract",
                escape(f"{contract.id} version {contract.version} ({contract.status})") if contract else "none",
            ),
            ("contract owner", escape(contract.owner or "") if contract else ""),
            ("freshness SLA", escape(contract.freshness or "none") if contract else "none"),
        ]
    )
    several = len(product.tables) > 1
    rules = [f"{t.name}: {r}" if several else r for t in product.tables if t.source for r in dqdl.rules(t.source)]
    quality = (
        ("<ul>" + "".join(f"<li><code>{escape(r)}</code></li>" for r in rules) + "</ul>")
        if rules
        else "<p>No quality rules.</p>"
    )
    consumers = [
        [
            f'<a href="../{domain_path(s.consumer)}">{escape(s.consumer)}</a>',
            escape(", ".join(p.value for p in s.permissions)),
            _state(s),
            escape(s.decision.by if s.decision else ""),
            escape(s.expires.isoformat() if s.expires else ""),
        ]
        for s in shares
        if (s.producer, s.product) == (domain.name, product.name)
    ]
    after = "the next deploy grants it" if product.is_open else f"{domain.name} approves or denies the request"
    command = f"meshctl subscribe YOUR-DOMAIN {ref} --permissions SELECT,DESCRIBE --reason 'what you need it for'"
    body = (
        facts
        + "".join(
            f"<h2>{'Table ' + escape(t.name) if several else 'Columns'}</h2>" + _columns(product, t)
            for t in product.tables
        )
        + "<h2>Quality rules</h2>"
        + quality
        + "<h2>Freshness and data quality</h2>"
        + _live(live, checked_at)
        + "<h2>Consumers</h2>"
        + _table(
            f"Domains subscribed to {ref}", ["consumer", "permissions", "state", "decided by", "expires"], consumers
        )
        + "<h2>Who can read it</h2>"
        + _readers(readers)
        + "<h2>Request access</h2>"
        + f"<p>Run in the mesh repository, with your domain's name, and open a pull request; {escape(after)}.</p>"
        + f'<pre><code class="subscribe">{escape(command)}</code></pre>'
    )
    return layout(mesh, f"Product {ref}", body, root="../")


def graph_page(mesh: Mesh, today: date) -> str:
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>{escape(state)}</li>'
        for state, (_, colour) in graph.EDGES.items()
    )
    body = (
        f"<p>Products (left) and the domains that consume them (right); one line per share.</p>"
        f'<ul class="legend" aria-label="Line colours">{legend}</ul>'
        f"<figure><figcaption>Who consumes what on {today.isoformat()}; the product and domain pages list the "
        f'same shares as text.</figcaption><div class="graph">{graph.drawing(mesh, today)}</div></figure>'
    )
    return layout(mesh, "Mesh graph", body, root="")


def kpi_page(mesh: Mesh, report: dict[str, Any]) -> str:
    return layout(mesh, "KPIs", render.html_fragment(report), root="")
