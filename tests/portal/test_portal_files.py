"""meshctl portal writes a self-contained site, rebuilds it in place, and never touches a folder it did not write."""

from __future__ import annotations

import re

from tests.support.fixture_mesh import domain_text


def test_writes_every_page_and_asset(mesh_dir, meshctl):
    result = meshctl("portal", "--out", "site")
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(mesh_dir / "site").as_posix() for p in (mesh_dir / "site").rglob("*") if p.is_file())
    assert files == [
        ".meshctl-portal",
        "assets/portal.css",
        "assets/portal.js",
        "assets/search-index.js",
        "assets/search.js",
        "domains.html",
        "domains/finance.html",
        "domains/marketing.html",
        "domains/sales.html",
        "graph.html",
        "index.html",
        "kpis.html",
        "products/finance.invoices.html",
        "products/sales.customers.html",
        "products/sales.orders.html",
    ]
    assert result.stdout.startswith("wrote 14 files to site")


def test_pages_link_only_to_files_of_the_site(mesh_dir, meshctl):
    """Self-contained: no absolute URL is loaded, and every relative link resolves to a written file."""
    assert meshctl("portal", "--out", "site").exit_code == 0
    for page in (mesh_dir / "site").rglob("*.html"):
        for target in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            if target.startswith(("mailto:", "#")):
                continue
            assert not re.match(r"[a-z]+://", target), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_a_rebuild_replaces_the_previous_site(mesh_dir, meshctl):
    assert meshctl("portal", "--out", "site").exit_code == 0
    (mesh_dir / "domains/marketing.yaml").unlink()
    (mesh_dir / "domains/sales.yaml").write_text(
        domain_text(mesh_dir, "sales").replace("shared_with: [marketing]", "shared_with: []")
    )
    result = meshctl("portal", "--out", "site")
    assert result.exit_code == 0, result.output
    assert not (mesh_dir / "site/domains/marketing.html").exists()
    assert (mesh_dir / "site/domains/sales.html").exists()


def test_refuses_a_folder_it_did_not_write(mesh_dir, meshctl):
    before = sorted(p.name for p in mesh_dir.iterdir())
    result = meshctl("portal", "--out", ".")
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "error: . is not empty and holds no portal written by meshctl; choose an empty "
        "or new folder"
    )
    assert sorted(p.name for p in mesh_dir.iterdir()) == before
    assert (mesh_dir / "domains/sales.yaml").exists()


def test_refuses_a_file(mesh_dir, meshctl):
    result = meshctl("portal", "--out", "mesh.yaml")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: mesh.yaml is a file, not a folder"
