"""meshctl replaces a domain file at once (temporary file, fsync, rename): an interrupt leaves the old file."""

from __future__ import annotations

import os

from datamesh.config import load_mesh
from tests.support.fixture_mesh import domain_text


def leftovers(mesh_dir):
    return sorted(p.name for p in (mesh_dir / "domains").iterdir() if p.name.endswith(".tmp"))


def test_an_edit_replaces_the_file_by_rename_and_leaves_nothing_behind(mesh_dir, meshctl):
    before = (mesh_dir / "domains" / "marketing.yaml").stat().st_ino
    assert meshctl("subscribe", "marketing", "finance.invoices").exit_code == 0
    assert (mesh_dir / "domains" / "marketing.yaml").stat().st_ino != before
    assert leftovers(mesh_dir) == []


def test_an_interrupt_after_writing_leaves_the_old_file_whole(mesh_dir, meshctl, monkeypatch):
    before = domain_text(mesh_dir, "marketing")

    def interrupted(descriptor):
        raise KeyboardInterrupt  # Ctrl-C once the new text is written, before it replaces the file

    monkeypatch.setattr(os, "fsync", interrupted)
    assert meshctl("subscribe", "marketing", "finance.invoices").exit_code != 0
    assert domain_text(mesh_dir, "marketing") == before
    assert leftovers(mesh_dir) == []
    load_mesh(mesh_dir / "mesh.yaml")
