"""meshctl validate: one line per problem with file and field, warnings about expiry, JSON."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta

from tests.support.fixture_mesh import domain_text


def _write(mesh_dir, name, text):
    (mesh_dir / "domains" / f"{name}.yaml").write_text(text)


def test_valid_mesh_exits_0_with_a_summary(mesh_dir, meshctl):
    result = meshctl("validate")
    assert result.exit_code == 0, result.output
    assert "mesh acme is valid" in result.stdout
    assert result.stderr == ""


def test_every_problem_is_one_line_naming_file_and_field(mesh_dir, meshctl):
    _write(mesh_dir, "marketing", domain_text(mesh_dir, "marketing").replace("444444444444", "4444"))
    _write(mesh_dir, "finance", domain_text(mesh_dir, "finance").replace("sales.orders", "sales.returns"))
    result = meshctl("validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "error: domains/marketing.yaml: account: '4444' must be a 12-digit AWS account id" in lines
    assert "error: domains/finance.yaml: consumes[0].product: domain 'sales' has no product 'returns'" in lines
    assert "Traceback" not in result.output


def test_unparsable_yaml_is_one_line(mesh_dir, meshctl):
    _write(mesh_dir, "marketing", "name: [marketing\n")
    result = meshctl("validate")
    assert result.exit_code == 1
    assert any(
        line.startswith("error: domains/marketing.yaml: (file): invalid YAML") for line in result.stderr.splitlines()
    )


def test_expiring_and_expired_subscriptions_are_warnings_on_their_own_lines(mesh_dir, meshctl):
    soon, past = date.today() + timedelta(days=5), date.today() - timedelta(days=1)
    text = domain_text(mesh_dir, "marketing")
    text = text.replace(
        "    permissions: [SELECT, DESCRIBE]\n", f"    permissions: [SELECT, DESCRIBE]\n    expires: {soon}\n"
    )
    text = text.replace("    permissions: [DESCRIBE]\n", f"    permissions: [DESCRIBE]\n    expires: {past}\n")
    _write(mesh_dir, "marketing", text)
    result = meshctl("validate")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: domains/marketing.yaml: consumes[0].expires: sales.customers expires on {soon} (in 5 days)",
        f"warning: domains/marketing.yaml: consumes[1].expires: sales.orders expired on {past}; it grants nothing",
    ]


def test_a_far_expiry_is_not_a_warning(mesh_dir, meshctl):
    text = domain_text(mesh_dir, "marketing").replace(
        "    permissions: [DESCRIBE]\n",
        f"    permissions: [DESCRIBE]\n    expires: {date.today() + timedelta(days=15)}\n",
    )
    _write(mesh_dir, "marketing", text)
    result = meshctl("validate")
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_json_reports_problems_for_scripts(mesh_dir, meshctl):
    _write(mesh_dir, "marketing", domain_text(mesh_dir, "marketing").replace("sales.orders", "sales.nothing"))
    result = meshctl("validate", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["problems"] == [
        {
            "file": "domains/marketing.yaml",
            "field": "consumes[1].product",
            "reason": "domain 'sales' has no product 'nothing'",
        }
    ]


def test_json_counts_shares_by_state(mesh_dir, meshctl):
    report = json.loads(meshctl("validate", "--json").stdout)
    assert report["valid"] is True
    assert report["shares"] == {"granted": 3, "pending": 0, "denied": 0, "expired": 0}


def test_mesh_option_reads_another_folder(mesh_dir, meshctl, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = meshctl("validate", "--mesh", str(elsewhere / "mesh.yaml"))
    assert result.exit_code == 1
    assert "mesh file not found" in result.stderr


def test_meshctl_mesh_names_the_mesh_when_mesh_is_not_given(mesh_dir, meshctl, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.setenv("MESHCTL_MESH", str(elsewhere / "mesh.yaml"))
    result = meshctl("validate")
    assert result.exit_code == 1
    assert f"{elsewhere / 'mesh.yaml'}" in result.stderr and "mesh file not found" in result.stderr
    monkeypatch.delenv("MESHCTL_MESH")
    assert meshctl("validate").exit_code == 0  # the mesh of the working directory


def test_mesh_policies_are_checked_too(mesh_dir, meshctl):
    text = domain_text(mesh_dir, "sales").replace(
        "    description: Customer master data.\n    confidentiality: confidential\n",
        "    description: Customer master data.\n    confidentiality: public\n",
    )
    _write(mesh_dir, "sales", text)
    result = meshctl("validate")
    assert result.exit_code == 1
    assert any(
        line.startswith("error: domains/sales.yaml: products[1].confidentiality: 'public' is below")
        for line in result.stderr.splitlines()
    )


def _commit(folder, message):
    for args in (["add", "."], ["commit", "-qm", message]):
        subprocess.run(
            ["git", "-C", str(folder), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
            check=True,
            capture_output=True,
        )


def test_since_an_unknown_ref_is_a_git_error(mesh_dir, meshctl):
    subprocess.run(["git", "-C", str(mesh_dir), "init", "-q", "-b", "main"], check=True)
    _commit(mesh_dir, "base")
    result = meshctl("validate", "--since", "no-such-branch")
    assert result.exit_code == 5
    assert result.stderr.strip() == "error: git: unknown revision 'no-such-branch'"


def test_problems_of_the_files_at_since_are_named_with_the_ref(mesh_dir, meshctl):
    subprocess.run(["git", "-C", str(mesh_dir), "init", "-q", "-b", "main"], check=True)
    valid = domain_text(mesh_dir, "finance")
    _write(mesh_dir, "finance", valid.replace("333333333333", "3"))
    _commit(mesh_dir, "broken")
    _write(mesh_dir, "finance", valid)
    result = meshctl("validate", "--since", "HEAD", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"] == [
        {"file": "HEAD:domains/finance.yaml", "field": "account", "reason": "'3' must be a 12-digit AWS account id"}
    ]
    lines = meshctl("validate", "--since", "HEAD").stderr.splitlines()
    assert lines == [
        "error: HEAD:domains/finance.yaml: account: '3' must be a 12-digit AWS account id",
        "1 problem(s) found; the files do not validate",
    ]
