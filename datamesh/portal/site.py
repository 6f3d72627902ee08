"""Writes the portal: one HTML file per page, the search index as a script, and the static assets.

Data is shipped as scripts, not JSON files: browsers refuse ``fetch()`` of ``file://``
URLs, and the site must work opened from disk as well as from any static host.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from datamesh.config import Mesh
from datamesh.portal import pages
from datamesh.report import readers, search

ASSETS = ("search.js", "portal.js", "portal.css")
MANIFEST = ".meshctl-portal"  # the files of the last build, so that a rebuild removes only those


class NotAPortal(Exception):
    """The output folder holds files that no portal build wrote; nothing is touched."""


def index_script(mesh: Mesh) -> str:
    """``search-index.js``: the ranking's index, assigned to ``window.MESH_INDEX``."""
    data = json.dumps(search.portal_index(search.entries_from_mesh(mesh)), ensure_ascii=False, separators=(",", ":"))
    return "window.MESH_INDEX = " + data.replace("<", "\\u003c") + ";\n"


def check_folder(out: Path) -> None:
    """Refuse a folder that is neither new, empty nor an earlier build (it could be the mesh itself).

    :raises NotAPortal: with the reason.
    """
    if out.exists() and not out.is_dir():
        raise NotAPortal(f"{out} is a file, not a folder")
    if not (out / MANIFEST).exists() and out.exists() and any(out.iterdir()):
        raise NotAPortal(f"{out} is not empty and holds no portal written by meshctl; choose an empty or new folder")


def _clear(out: Path) -> None:
    """Remove the previous build's files, and only those."""
    check_folder(out)
    manifest = out / MANIFEST
    if manifest.exists():
        top = out.resolve()
        for relative in manifest.read_text(encoding="utf-8").splitlines():
            path = (out / relative).resolve()
            if path.is_relative_to(top) and path != top:  # an edited manifest cannot reach outside the site
                path.unlink(missing_ok=True)
        manifest.unlink()


def build(mesh: Mesh, out: Path, report: dict[str, Any], today: date) -> list[Path]:
    """Write the site into ``out``, replacing a previous build; returns the files written. ``report`` is
    ``meshctl report``'s; with its ``live`` part the product pages show each product's freshness and quality.

    :raises NotAPortal: ``out`` has files a portal build did not write.
    """
    _clear(out)
    for folder in ("products", "domains", "assets"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    shares = mesh.shares(today)
    files: dict[str, str] = {
        "index.html": pages.search_page(mesh),
        "domains.html": pages.domains_page(mesh),
        "graph.html": pages.graph_page(mesh, today),
        "kpis.html": pages.kpi_page(mesh, report),
        "assets/search-index.js": index_script(mesh),
    }
    live = report.get("live")
    live_records = {r["product"]: r for r in live["products"]} if live else {}
    reached = readers.readers(mesh, today)
    for domain in mesh.domains:
        files[pages.domain_path(domain.name)] = pages.domain_page(mesh, domain, shares)
        for product in domain.products:
            ref = f"{domain.name}.{product.name}"
            files[pages.product_path(domain.name, product.name)] = pages.product_page(
                mesh,
                domain,
                product,
                shares,
                [r for r in reached if r.product == ref],
                live_records.get(ref),
                live["checked_at"] if live else "",
            )
    static = resources.files("datamesh.portal").joinpath("static")
    for name in ASSETS:
        files[f"assets/{name}"] = static.joinpath(name).read_text(encoding="utf-8")
    for relative, text in files.items():
        (out / relative).write_text(text, encoding="utf-8")
    (out / MANIFEST).write_text("".join(f"{relative}\n" for relative in files), encoding="utf-8")
    return [out / relative for relative in files]
