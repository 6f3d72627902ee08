"""``meshctl graph``: domains, their products, and who consumes what, as Mermaid, Graphviz dot or HTML."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from datamesh.meshctl import output
from datamesh.report.graph import dot, mermaid, page


class Format(str, Enum):
    MERMAID = "mermaid"
    DOT = "dot"
    HTML = "html"


RENDERERS = {Format.MERMAID: mermaid, Format.DOT: dot, Format.HTML: page}


def graph(
    format: Annotated[
        Format, typer.Option("--format", help="Mermaid (for Markdown), Graphviz dot, or an HTML page.")
    ] = Format.MERMAID,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of stdout.")] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Draw the mesh: domains, their products, and who consumes what with the share's state."""
    text = RENDERERS[format](output.load(mesh))
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        output.line(f"wrote {out}")
