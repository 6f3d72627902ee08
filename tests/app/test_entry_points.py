"""app.py, the CDK CLI, meshctl and its alias `python -m datamesh` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"


def clean_env(home: Path) -> dict[str, str]:
    """No AWS credentials or config anywhere; the project's Node and Python first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_"))}
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        CDK_DISABLE_CLI_TELEMETRY="true",
        PATH=os.pathsep.join([str(Path(sys.executable).parent), str(CDK.parent), env.get("PATH", "")]),
    )
    return env


def broken_mesh(mesh_copy) -> Path:
    def break_finance(doc):
        doc["products"][0]["confidentiality"] = "secret"
        return doc

    return mesh_copy(
        ("domains/sales.yaml", lambda doc: {**doc, "account": "2222"}), ("domains/finance.yaml", break_finance)
    )


@pytest.mark.slow
def test_cdk_synth_works_offline_without_credentials(tmp_path):
    out = tmp_path / "cdk.out"
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(out)],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    stacks = {
        name for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"
    }
    assert stacks == {
        "Governance",
        "Sales-Storage",
        "Finance-Storage",
        "Sales-Catalog",
        "Finance-Catalog",
        "Analytics-Access",
        "Finance-Access",
        "Marketing-Access",
    }
    assert manifest["artifacts"]["Sales-Storage"]["environment"] == "aws://222222222222/eu-west-1"
    assert stateful_policies(out) == {("Retain", "Retain")}  # no -c allow-destroy: data survives


def stateful_policies(out: Path) -> set[tuple[str, str]]:
    """(DeletionPolicy, UpdateReplacePolicy) of Sales-Storage's buckets and key, as synthesized into ``out``."""
    resources = json.loads((out / "Sales-Storage.template.json").read_text())["Resources"].values()
    stateful = [r for r in resources if r["Type"] in ("AWS::S3::Bucket", "AWS::KMS::Key")]
    assert len(stateful) == 3  # data bucket, access-log bucket, data key
    return {(r["DeletionPolicy"], r["UpdateReplacePolicy"]) for r in stateful}


@pytest.mark.slow
def test_cdk_synth_with_allow_destroy_true_deletes_data_with_its_stack(tmp_path):
    out = tmp_path / "cdk.out"
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(out), "-c", "allow-destroy=true"],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert stateful_policies(out) == {("Delete", "Delete")}


def run_app(tmp_path: Path, context: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python app.py` as the CDK CLI runs it: context in CDK_CONTEXT_JSON, output folder in CDK_OUTDIR."""
    env = clean_env(tmp_path) | {"CDK_CONTEXT_JSON": json.dumps(context), "CDK_OUTDIR": str(tmp_path / "out")}
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
@pytest.mark.parametrize("value, policy", [("false", "Retain"), ("True", "Delete")])
def test_app_py_reads_allow_destroy_true_or_false(tmp_path, value, policy):
    result = run_app(tmp_path, {"allow-destroy": value})
    assert result.returncode == 0, result.stderr
    assert stateful_policies(tmp_path / "out") == {(policy, policy)}


@pytest.mark.slow
def test_app_py_refuses_an_allow_destroy_that_is_neither_true_nor_false(tmp_path):
    result = run_app(tmp_path, {"allow-destroy": "yes"})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: cdk context: allow-destroy: 'yes' must be true or false",
        "1 problem(s) found; nothing was synthesized.",
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_cdk_synth_of_a_broken_mesh_fails_with_one_line_per_problem(tmp_path, mesh_copy):
    mesh_file = broken_mesh(mesh_copy)
    out = tmp_path / "cdk.out"
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(out), "-c", f"mesh={mesh_file}"],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert (
        f"error: {mesh_file.parent}/domains/sales.yaml: account: '2222' must be a 12-digit AWS account id"
        in result.stderr
    )
    assert (
        f"error: {mesh_file.parent}/domains/finance.yaml: products[0].confidentiality: unknown level 'secret'"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.template.json"))


@pytest.mark.slow
def test_app_py_exits_1_without_traceback_and_writes_nothing(tmp_path, mesh_copy):
    mesh_file = broken_mesh(mesh_copy)
    out = tmp_path / "out"
    env = clean_env(tmp_path) | {"CDK_CONTEXT_JSON": json.dumps({"mesh": str(mesh_file)}), "CDK_OUTDIR": str(out)}
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert "2 problem(s) found; nothing was synthesized." in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


MESHCTL = Path(sys.executable).parent / "meshctl"


def test_python_m_datamesh_is_an_alias_of_meshctl(mesh_copy):
    """Same commands, same output, same exit codes: validate (valid and not) and schema --check."""
    broken = mesh_copy(("domains/analytics.yaml", lambda d: {**d, "colour": "blue"}))
    for args in (["validate"], ["validate", "--mesh", str(broken)], ["schema", "--check"]):
        alias = subprocess.run([sys.executable, "-m", "datamesh", *args], cwd=ROOT, capture_output=True, text=True)
        script = subprocess.run([str(MESHCTL), *args], cwd=ROOT, capture_output=True, text=True)
        assert (alias.returncode, alias.stdout, alias.stderr) == (script.returncode, script.stdout, script.stderr)
        assert alias.returncode == (1 if str(broken) in args else 0), alias.stderr


def test_validate_of_a_broken_mesh(mesh_copy):
    mesh_file = mesh_copy(("domains/analytics.yaml", lambda d: {**d, "colour": "blue"}))
    result = subprocess.run(
        [str(MESHCTL), "validate", "--mesh", str(mesh_file)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {mesh_file.parent}/domains/analytics.yaml: colour: unknown key (not in the schema; check the spelling)",
        "1 problem(s) found; the files do not validate",
    ]
    assert yaml.safe_load((mesh_file.parent / "domains" / "analytics.yaml").read_text())["colour"] == "blue"


def test_help_describes_every_command():
    result = subprocess.run([sys.executable, "-m", "datamesh", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "validate" in result.stdout and "schema" in result.stdout


@pytest.mark.slow
def test_cdk_synth_as_of_a_day_builds_expired_shares_without_grants(tmp_path, mesh_copy):
    """`-c today=` is the date the shares' states are judged on: on the expiry date the
    marketing share of sales.customers grants nothing, the day before it does."""

    def expire(doc):
        doc["consumes"][0]["expires"] = "2027-06-30"
        return doc

    mesh_file = mesh_copy(("domains/marketing.yaml", expire))
    principals = {}
    for today in ("2027-06-29", "2027-06-30"):
        out = tmp_path / today
        result = subprocess.run(
            [str(CDK), "synth", "--quiet", "--output", str(out), "-c", f"mesh={mesh_file}", "-c", f"today={today}"],
            cwd=ROOT,
            env=clean_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        resources = json.loads((out / "Sales-Catalog.template.json").read_text())["Resources"]
        customers = next(
            lid
            for lid, r in resources.items()
            if r["Type"] == "AWS::Glue::Database" and r["Properties"]["DatabaseInput"]["Name"] == "sales_customers"
        )
        principals[today] = {
            r["Properties"]["Principal"]["DataLakePrincipalIdentifier"]
            for r in resources.values()
            if r["Type"] == "AWS::LakeFormation::PrincipalPermissions"
            and customers in json.dumps(r["Properties"]["Resource"])
        }
    assert "444444444444" in principals["2027-06-29"]
    assert "444444444444" not in principals["2027-06-30"]


@pytest.mark.slow
def test_cdk_synth_with_a_malformed_date_is_one_line(tmp_path):
    out = tmp_path / "cdk.out"
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(out), "-c", "today=tomorrow"],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "error: cdk context: today: 'tomorrow' is not a date (YYYY-MM-DD)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*.template.json"))
