"""The mesh drawn: domains, their products, and who consumes what, as Mermaid, Graphviz dot or an HTML page."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh, Product, Share

# ShareState's value -> (Mermaid arrow, colour)
EDGES = {
    "granted": ("-->", "#2e7d32"),
    "pending": ("-.->", "#ef6c00"),
    "denied": ("--x", "#c62828"),
    "expired": ("-.->", "#9e9e9e"),
}


def _id(*parts: str) -> str:
    return "_".join(re.sub(r"[^a-z0-9]", "_", p) for p in parts)


def _product_label(product: Product) -> str:
    """The product's name, with its tables when it has several."""
    names = product.table_names
    return f"{product.name}: {', '.join(names)}" if len(names) > 1 else product.name


def _share_label(share: Share) -> str:
    """The share's state, with the tables it names when it names some."""
    return f"{share.state.value}: {', '.join(share.tables)}" if share.tables else share.state.value


def mermaid(mesh: Mesh, today: date | None = None) -> str:
    lines = ["flowchart LR"]
    for domain in mesh.domains:
        lines.append(f'  subgraph {_id("d", domain.name)}["{domain.name}"]')
        lines.append(f'    {_id("c", domain.name)}(["{domain.name}"])')
        lines += [f'    {_id("p", domain.name, p.name)}[("{_product_label(p)}")]' for p in domain.products]
        lines.append("  end")
    styles = []
    for i, share in enumerate(mesh.shares(today)):
        arrow, colour = EDGES[share.state.value]
        lines.append(
            f"  {_id('p', share.producer, share.product)} {arrow}|{_share_label(share)}| {_id('c', share.consumer)}"
        )
        styles.append(f"  linkStyle {i} stroke:{colour}")
    return "\n".join(lines + styles) + "\n"


def dot(mesh: Mesh, today: date | None = None) -> str:
    from datamesh.config import ShareState

    lines = ["digraph mesh {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for domain in mesh.domains:
        lines.append(f"  subgraph cluster_{_id(domain.name)} {{")
        lines.append(f'    label="{domain.name}";')
        lines.append(f'    "{domain.name}" [shape=ellipse];')
        lines += [f'    "{domain.name}.{p.name}" [shape=box, label="{_product_label(p)}"];' for p in domain.products]
        lines.append("  }")
    for share in mesh.shares(today):
        style = "solid" if share.state is ShareState.GRANTED else "dashed"
        lines.append(
            f'  "{share.producer}.{share.product}" -> "{share.consumer}" '
            f'[label="{_share_label(share)}", color="{EDGES[share.state.value][1]}", style={style}];'
        )
    return "\n".join(lines + ["}"]) + "\n"


def drawing(mesh: Mesh, today: date | None = None) -> str:
    """An SVG: products on the left, consumers on the right, one curve per share coloured by its state."""
    from datamesh.config import ShareState

    products = [(d.name, p.name) for d in mesh.domains for p in d.products]
    consumers = [d.name for d in mesh.consumers]
    row, width, box_w, box_h = 48, 760, 220, 32
    height = row * max(len(products), len(consumers), 1) + 40
    left = {ref: 20 + i * row for i, ref in enumerate(products)}
    right = {name: 20 + i * row for i, name in enumerate(consumers)}
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="13">'
    ]
    for share in mesh.shares(today):
        y1 = left[(share.producer, share.product)] + box_h / 2
        y2 = right[share.consumer] + box_h / 2
        x1, x2 = 20 + box_w, width - 20 - box_w
        dash = "" if share.state is ShareState.GRANTED else ' stroke-dasharray="6 4"'
        svg.append(
            f'<path d="M{x1},{y1} C{(x1 + x2) / 2},{y1} {(x1 + x2) / 2},{y2} {x2},{y2}" fill="none" '
            f'stroke="{EDGES[share.state.value][1]}" stroke-width="2"{dash}><title>'
            f"{html.escape(str(share))}</title></path>"
        )
    for (domain, product), y in left.items():
        svg.append(
            f'<rect x="20" y="{y}" width="{box_w}" height="{box_h}" rx="4" fill="#e3f2fd" stroke="#1565c0"/>'
            f'<text x="30" y="{y + 21}">{html.escape(f"{domain}.{product}")}</text>'
        )
    for name, y in right.items():
        x = width - 20 - box_w
        svg.append(
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="16" fill="#f3e5f5" stroke="#6a1b9a"/>'
            f'<text x="{x + 12}" y="{y + 21}">{html.escape(name)}</text>'
        )
    svg.append("</svg>")
    return "".join(svg)


def page(mesh: Mesh, today: date | None = None) -> str:
    """A self-contained HTML page: the drawing and a table of the shares."""
    legend = " ".join(f'<span style="color:{colour}">&#9632; {state}</span>' for state, (_, colour) in EDGES.items())
    rows = "".join(
        f"<tr><td>{html.escape(s.consumer)}</td><td>{html.escape(f'{s.producer}.{s.product}')}"
        f"{html.escape(' (' + ', '.join(s.tables) + ')' if s.tables else '')}</td>"
        f"<td>{', '.join(p.value for p in s.permissions)}</td>"
        f'<td style="color:{EDGES[s.state.value][1]}">{s.state.value}</td>'
        f"<td>{html.escape(s.decision.by if s.decision else '')}</td>"
        f"<td>{html.escape(s.decision.reason if s.decision else '')}</td></tr>"
        for s in mesh.shares(today)
    )
    title = html.escape(f"data mesh {mesh.config.name}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>\n"
        f"<body><h1>{title}</h1><p>Products (left) and the domains that consume them (right). {legend}</p>\n"
        f"{drawing(mesh, today)}\n<h2>Shares</h2><table><tr><th>consumer</th><th>product</th><th>permissions</th>"
        f"<th>state</th><th>decided by</th><th>why</th></tr>{rows}</table></body></html>\n"
    )
