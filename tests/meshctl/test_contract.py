"""meshctl contract diff, and validate --since: breaking contract changes need a major version."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ORDERS = "domains/sales/contracts/orders.yaml"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(folder), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's example mesh (with its contracts) committed in a fresh git repository."""
    shutil.copy(ROOT / "mesh.yaml", tmp_path / "mesh.yaml")
    shutil.copytree(ROOT / "domains", tmp_path / "domains")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MESHCTL_MESH", raising=False)
    return tmp_path


def edit_orders(folder: Path, edit) -> None:
    path = folder / ORDERS
    doc = yaml.safe_load(path.read_text())
    edit(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def drop_customer_id(doc, version="1.1.0"):
    doc["version"] = version
    doc["schema"][0]["properties"] = [p for p in doc["schema"][0]["properties"] if p["name"] != "customer_id"]


def test_diff_of_two_files_flags_a_breaking_change(example, meshctl, tmp_path):
    old = tmp_path / "old.yaml"
    shutil.copy(example / ORDERS, old)
    edit_orders(example, drop_customer_id)
    result = meshctl("contract", "diff", str(old), ORDERS)
    assert result.exit_code == 1
    assert "BREAKING" in result.stdout and "customer_id" in result.stdout
    assert result.stderr.strip() == (
        f"error: {ORDERS}: version: breaking change without a major version bump "
        "(1.0.0 -> 1.1.0): column customer_id removed (or renamed); no consumers yet"
    )


def test_diff_of_a_compatible_change_exits_0(example, meshctl, tmp_path):
    old = tmp_path / "old.yaml"
    shutil.copy(example / ORDERS, old)
    edit_orders(example, lambda d: d["schema"][0]["properties"].append({"name": "note", "logicalType": "string"}))
    result = meshctl("contract", "diff", str(old), ORDERS, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["changes"] == [
        {"table": None, "column": "note", "what": "added", "breaking": False}
    ]


def test_diff_of_an_invalid_contract_gives_one_line_per_problem(example, meshctl):
    (example / "bad.yaml").write_text("apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\n")
    result = meshctl("contract", "diff", ORDERS, "bad.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: bad.yaml: status: required field is missing",
        "error: bad.yaml: schema: must describe at least one table",
        "2 problem(s) found; nothing was compared",
    ]


def test_diff_needs_two_files_or_since(example, meshctl):
    result = meshctl("contract", "diff", ORDERS)
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: give OLD and NEW contract files, or --since REF"


def test_per_table_an_added_table_is_compatible_and_a_removed_one_breaking(example, meshctl, tmp_path):
    lines = {
        "name": "order_lines",
        "properties": [{"name": "order_id", "logicalType": "string"}, {"name": "sku", "logicalType": "string"}],
    }
    edit_orders(example, lambda d: d["schema"].append(lines))
    two = tmp_path / "two.yaml"
    shutil.copy(example / ORDERS, two)
    added = meshctl("contract", "diff", "--since", "main", "--json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)[0]["changes"] == [
        {"table": "order_lines", "column": None, "what": "added", "breaking": False}
    ]
    _git(example, "commit", "-qam", "order lines")

    def drop_lines_and_sku(doc):
        doc["schema"] = doc["schema"][:1]
        doc["schema"].append({**lines, "name": "returns"})

    edit_orders(example, drop_lines_and_sku)
    result = meshctl("contract", "diff", str(two), ORDERS, "--json")
    assert result.exit_code == 1
    assert [(c["table"], c["what"], c["breaking"]) for c in json.loads(result.stdout)[0]["changes"]] == [
        ("order_lines", "removed (or renamed)", True),
        ("returns", "added", False),
    ]
    since = meshctl("contract", "diff", "--since", "main")
    assert since.exit_code == 1
    assert since.stderr.strip().endswith(
        "(1.0.0 -> 1.0.0): table order_lines removed (or renamed); consumers affected: analytics, finance, marketing"
    )


def test_since_names_the_affected_consumers(example, meshctl):
    edit_orders(example, drop_customer_id)
    result = meshctl("contract", "diff", "--since", "main")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("consumers affected: analytics, finance, marketing")
    validated = meshctl("validate", "--since", "main")
    assert validated.exit_code == 1
    assert (
        f"error: {ORDERS}: version: breaking change without a major version bump (1.0.0 -> 1.1.0): "
        "column customer_id removed (or renamed); consumers affected: analytics, finance, marketing"
    ) in validated.stderr


def test_since_lets_a_break_through_on_a_product_nobody_consumes(example, meshctl):
    """sales.orders unshared and unsubscribed: the change still shows as breaking, but blocks nothing."""
    edit_orders(example, drop_customer_id)
    sales = example / "domains" / "sales.yaml"
    sales.write_text(sales.read_text().replace("    shared_with: all\n", "    shared_with: []\n"))
    for consumer in ("analytics", "finance", "marketing"):
        path = example / "domains" / f"{consumer}.yaml"
        doc = yaml.safe_load(path.read_text())
        doc["consumes"] = [s for s in doc["consumes"] if s["product"] != "sales.orders"]
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = meshctl("contract", "diff", "--since", "main", "--json")
    assert result.exit_code == 0, result.stderr
    change = json.loads(result.stdout)[0]
    assert (change["product"], change["needs_major_version"], change["consumers"]) == ("sales.orders", True, [])
    assert change["changes"][0] == {
        "table": None,
        "column": "customer_id",
        "what": "removed (or renamed)",
        "breaking": True,
    }
    assert meshctl("validate", "--since", "main").exit_code == 0


def test_a_major_version_announces_the_break(example, meshctl):
    edit_orders(example, lambda d: drop_customer_id(d, version="2.0.0"))
    result = meshctl("contract", "diff", "--since", "main", "--json")
    assert result.exit_code == 0
    change = json.loads(result.stdout)[0]
    assert (change["product"], change["needs_major_version"], change["consumers"]) == (
        "sales.orders",
        False,
        ["analytics", "finance", "marketing"],
    )
    assert meshctl("validate", "--since", "main").exit_code == 0


def test_nothing_changed_since(example, meshctl):
    result = meshctl("contract", "diff", "--since", "main")
    assert result.exit_code == 0 and "no contract changes" in result.stdout
