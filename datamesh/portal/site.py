"""Writes the portal: one HTML file per page, the search index as a script, and the static assets.

Data is shipped as scripts, not JSON files: browsers refuse ``fetch()`` of ``file://``
URLs, and the site must work opened from disk as well as from any static host.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from datamesh.config import Mesh
from datamesh.meshctl import search
from datamesh.portal import pages

ASSETS = ("search.js", "portal.js", "portal.css")


def index_script(mesh: Mesh) -> str:
    """``search-index.js``: the ranking's index, assigned to ``window.MESH_INDEX``."""
    data = json.dumps(search.portal_index(search.entries_from_mesh(mesh)), ensure_ascii=False,
                      separators=(",", ":"))
    return "window.MESH_INDEX = " + data.replace("<", "\\u003c") + ";\n"


def build(mesh: Mesh, out: Path, report: dict[str, Any], today: date) -> list[Path]:
    """Write the site into ``out`` (its previous pages and assets are replaced); returns the files written."""
    for folder in ("products", "domains", "assets"):
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir(parents=True)
    shares = mesh.shares(today)
    files: dict[str, str] = {
        "index.html": pages.search_page(mesh),
        "domains.html": pages.domains_page(mesh),
        "graph.html": pages.graph_page(mesh, today),
        "kpis.html": pages.kpi_page(mesh, report),
        "assets/search-index.js": index_script(mesh),
    }
    for domain in mesh.domains:
        files[pages.domain_path(domain.name)] = pages.domain_page(mesh, domain, shares)
        for product in domain.products:
            files[pages.product_path(domain.name, product.name)] = pages.product_page(mesh, domain, product, shares)
    static = resources.files("datamesh.portal").joinpath("static")
    for name in ASSETS:
        files[f"assets/{name}"] = static.joinpath(name).read_text(encoding="utf-8")
    written = []
    for relative, text in files.items():
        path = out / relative
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
