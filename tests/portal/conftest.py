"""A portal built from the test mesh (with a description that tries script injection), and headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from datamesh.config import load_mesh
from datamesh.portal import site
from datamesh.report import summary
from tests.meshctl.conftest import mesh_dir, meshctl  # noqa: F401  (fixtures of the command tests)
from tests.support.fixture_mesh import write_mesh

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules/axe-core/axe.min.js"
CHROMIUM = "chromium"
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>" onmouseover="window.__xss=3'


def portal_mesh(folder: Path) -> Path:
    """The meshctl test mesh; finance.invoices' description and a column's try to inject script."""
    mesh_file = write_mesh(folder)
    finance = folder / "domains/finance.yaml"
    text = finance.read_text()
    text = text.replace(
        "description: Issued invoices and their payment status.", f"description: 'Issued invoices {XSS}'"
    )
    text = text.replace("{name: paid, type: boolean}", f"{{name: paid, type: boolean, description: '{XSS}'}}")
    finance.write_text(text)
    return mesh_file


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(site folder, mesh file)."""
    folder = tmp_path_factory.mktemp("mesh")
    mesh_file = portal_mesh(folder)
    mesh = load_mesh(mesh_file)
    now = datetime.now(UTC)
    out = folder / "site"
    site.build(mesh, out, summary.build(mesh, mesh_file, now, since=None), now.date())
    return out, mesh_file


NO_BROWSER = (
    "no Chromium for the portal's browser tests: `make browser-deps` installs Debian's "
    "(apt-get install chromium), or set CHROMIUM=/path/to/chromium"
)


def chromium() -> str | None:
    return shutil.which(os.environ.get("CHROMIUM", CHROMIUM))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without a browser, skip the tests that need one under one reason (with CI=true they fail)."""
    if chromium() is None and os.environ.get("CI") != "true":
        skip = pytest.mark.skip(reason=NO_BROWSER)
        for item in items:
            if "browser" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium ($CHROMIUM, or Debian's `chromium`) driven by Playwright; no browser download.

    Without one the browser tests are skipped with one line, except with CI=true, where they fail."""
    executable = chromium()
    if executable is None:
        pytest.fail(NO_BROWSER)
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci installs axe-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA rules and best practices)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]
