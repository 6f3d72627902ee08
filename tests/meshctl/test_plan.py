"""meshctl plan: stacks, accounts and grants from the files, and the change since a git ref."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from aws_cdk import App

from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint import blueprint
from datamesh.config import load_mesh
from tests.support.fixture_mesh import domain_text


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(mesh_dir):
    _git(mesh_dir, "init", "-q", "-b", "main")
    _git(mesh_dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    _git(mesh_dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    return mesh_dir


def _plan(meshctl, *args):
    result = meshctl("plan", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stack_ids_are_those_the_app_builds(mesh_dir):
    mesh = load_mesh(mesh_dir / "mesh.yaml")
    built = build_mesh(App(), mesh)
    assert [(s.id, s.account) for s in blueprint(mesh).stacks] == [(s.node.id, s.account) for s in built.all()]
    assert [s.name for s in blueprint(mesh).stacks] == [s.stack_name for s in built.all()]


def test_plan_lists_stacks_accounts_and_grants(mesh_dir, meshctl):
    plan = _plan(meshctl)
    assert [s["name"] for s in plan["stacks"]] == [
        "acme-Governance",
        "acme-Finance-Storage",
        "acme-Sales-Storage",
        "acme-Finance-Catalog",
        "acme-Sales-Catalog",
        "acme-Finance-Access",
        "acme-Marketing-Access",
    ]
    assert {a["account"]: a["role"] for a in plan["accounts"]} == {
        "111111111111": "governance",
        "222222222222": "sales (producer)",
        "333333333333": "finance (producer, consumer)",
        "444444444444": "marketing (consumer)",
    }
    marketing = [(g["permissions"], g["resource"]) for g in plan["grants"] if g["consumer"] == "marketing"]
    assert marketing == [
        (["DESCRIBE"], "database sales_customers"),
        (["DESCRIBE"], "table sales_customers.customers"),
        (["SELECT"], "table sales_customers.customers (columns customer_id)"),
        (["DESCRIBE"], "database sales_orders"),
        (["DESCRIBE"], "table sales_orders.orders"),
    ]
    assert all(s["change"] == "" for s in plan["stacks"])


def test_plan_since_a_ref_shows_what_an_approval_changes(repo, meshctl):
    meshctl("subscribe", "marketing", "finance.invoices", "--permissions", "SELECT")
    meshctl("approve", "finance.invoices", "marketing")
    plan = _plan(meshctl, "--since", "HEAD")
    changes = {s["name"]: s["change"] for s in plan["stacks"]}
    assert changes == {
        "acme-Governance": "unchanged",
        "acme-Finance-Storage": "unchanged",
        "acme-Finance-Catalog": "changed",
        "acme-Sales-Storage": "unchanged",
        "acme-Sales-Catalog": "unchanged",
        "acme-Finance-Access": "unchanged",
        "acme-Marketing-Access": "changed",
    }
    added = [(g["consumer"], g["permissions"], g["resource"]) for g in plan["grants"] if g["change"] == "added"]
    assert added == [
        ("marketing", ["DESCRIBE"], "database finance_invoices"),
        ("marketing", ["SELECT"], "table finance_invoices.invoices"),
    ]
    moved = [s for s in plan["shares"] if s["state"] != s["previous_state"]]
    assert moved == [
        {"consumer": "marketing", "product": "finance.invoices", "state": "granted", "previous_state": None}
    ]


def test_plan_since_shows_removed_stacks_and_revoked_grants(repo, meshctl):
    (repo / "domains" / "marketing.yaml").unlink()
    sales = domain_text(repo, "sales").replace("shared_with: [marketing]", "shared_with: []")
    (repo / "domains" / "sales.yaml").write_text(sales)
    plan = _plan(meshctl, "--since", "HEAD")
    assert [s["name"] for s in plan["stacks"] if s["change"] == "removed"] == ["acme-Marketing-Access"]
    assert [a["account"] for a in plan["accounts"] if a["change"] == "removed"] == ["444444444444"]
    assert {g["consumer"] for g in plan["grants"] if g["change"] == "removed"} == {"marketing"}
    assert "acme-Governance" in [s["name"] for s in plan["stacks"] if s["change"] == "changed"]


def test_plan_table_summarises_the_change(repo, meshctl):
    meshctl("deny", "sales.customers", "marketing")
    result = meshctl("plan", "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "grants: 0 to add, 0 to change, 3 to remove" in result.stdout
    assert "stacks: 0 to add, 2 to change, 0 to remove" in result.stdout
    assert "stacks (mesh acme, compared with HEAD)" in result.stdout
    assert re.search(r"┃ stack +┃ kind +┃ account +┃ change +┃", result.stdout)
    assert re.search(r"acme-Sales-Catalog +│ catalog +│ 111111111111 +│ changed", result.stdout)
    shares_table = result.stdout[result.stdout.index("shares whose state changes") :]
    row = next(line for line in shares_table.splitlines() if "sales.customers" in line)
    assert re.search(r"marketing .* sales.customers .* granted .* denied", row)
    assert "sales.orders" not in shares_table  # the shares of sales.orders did not move
    assert re.search(r"┃ consumer +┃ product +┃ before +┃ after +┃", shares_table)


def test_plan_table_without_since_has_no_change_column(mesh_dir, meshctl):
    result = meshctl("plan")
    assert result.exit_code == 0, result.output
    assert "stacks (mesh acme)" in result.stdout
    assert re.search(r"┃ stack +┃ kind +┃ account +┃\n", result.stdout)
    assert "to change" not in result.stdout and "shares whose state changes" not in result.stdout


def test_a_mesh_that_did_not_exist_at_the_ref_is_all_new(repo, meshctl):
    (repo / "later").mkdir()
    for path in [repo / "mesh.yaml", *sorted((repo / "domains").iterdir())]:
        target = repo / "later" / path.relative_to(repo)
        target.parent.mkdir(exist_ok=True)
        target.write_text(path.read_text())
    plan = _plan(meshctl, "--since", "HEAD", "--mesh", "later/mesh.yaml")
    assert {s["change"] for s in plan["stacks"]} == {"added"}


def test_an_unknown_ref_is_a_git_error(repo, meshctl):
    result = meshctl("plan", "--since", "no-such-branch")
    assert result.exit_code == 5
    assert result.stderr.strip() == "error: git: unknown revision 'no-such-branch'"


def test_outside_a_repository_is_a_git_error(mesh_dir, meshctl):
    result = meshctl("plan", "--since", "HEAD")
    assert result.exit_code == 5
    assert result.stderr.startswith("error: git: ")


def test_invalid_files_at_the_ref_are_named_with_the_ref(repo, meshctl):
    (repo / "domains" / "finance.yaml").write_text(domain_text(repo, "finance").replace("333333333333", "3"))
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "broken")
    (repo / "domains" / "finance.yaml").write_text(domain_text(repo, "finance").replace('"3"', '"333333333333"'))
    result = meshctl("plan", "--since", "HEAD")
    assert result.exit_code == 1
    assert (
        "error: HEAD:domains/finance.yaml: account: '3' must be a 12-digit AWS account id" in result.stderr.splitlines()
    )
