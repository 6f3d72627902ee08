"""The pipeline stack passes the mesh policies, cdk-nag and cfn-lint; every acknowledgement matches one finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aws_cdk import App, Validations
from cfnlint.api import ManualArgs, lint_file

from datamesh.mesh_app import build_mesh
from tests.delivery.conftest import ROOT

DOCS = ROOT / "docs" / "delivery.md"


@pytest.fixture
def synthesized(tmp_path, delivered_mesh):
    app = App(outdir=str(tmp_path))
    stacks = build_mesh(app, delivered_mesh())
    app.synth()
    return tmp_path, stacks, json.loads((tmp_path / "validation-report.json").read_text())


def test_no_finding_of_any_plugin(synthesized):
    _, _, report = synthesized
    assert [v["ruleName"] for r in report["pluginReports"] for v in r["violations"]] == []


def test_every_pipeline_acknowledgement_is_one_finding_and_documented(synthesized):
    _, stacks, report = synthesized
    made = {(c.node.path, rule) for c in stacks.pipeline.node.find_all() for entry in c.node.metadata
            if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY for rule in entry.data}
    used = {(s["acknowledgedAt"], s["acknowledgedId"]) for r in report["pluginReports"]
            for s in r.get("suppressedViolations", []) if s["acknowledgedAt"].startswith("Pipeline/")}
    assert made and made == used
    docs = DOCS.read_text(encoding="utf-8")
    rules = {rule.split("::", 1)[1].split("[", 1)[0] for _, rule in made}
    assert [r for r in rules if f"`{r}`" not in docs] == []


def test_pipeline_stack_carries_the_mesh_tags_at_the_top_confidentiality(synthesized):
    out, _, _ = synthesized
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["artifacts"]["Pipeline"]["properties"]["tags"] == {
        "datamesh:mesh": "acme", "datamesh:domain": "delivery", "datamesh:owner": "platform",
        "datamesh:cost-centre": "platform", "datamesh:confidentiality": "restricted",  # mesh.yaml's top level
    }


def test_pipeline_waits_for_its_role_policy_only(synthesized):
    """Its RoleArn already orders it after the role; a DependsOn on the role too is cfn-lint's W3005."""
    out, _, _ = synthesized
    resources = json.loads((out / "Pipeline.template.json").read_text())["Resources"]
    pipeline = next(r for r in resources.values() if r["Type"] == "AWS::CodePipeline::Pipeline")
    role = pipeline["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    policies = [name for name, r in resources.items()
                if r["Type"] == "AWS::IAM::Policy" and r["Properties"]["Roles"] == [{"Ref": role}]]
    assert len(policies) == 1 and pipeline["DependsOn"] == policies


def test_cfn_lint_finds_no_error_or_warning_in_the_pipeline(synthesized):
    out, _, _ = synthesized
    matches = [str(m) for m in lint_file(Path(out / "Pipeline.template.json"), ManualArgs(regions=["eu-west-1"]))
               if m.rule.severity in ("error", "warning")]
    assert matches == []
