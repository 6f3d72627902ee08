"""The pipeline stack passes the mesh policies, cdk-nag and cfn-lint with informational checks; every
acknowledgement matches one finding; its reach into other accounts is bounded.

cfn-lint's informational checks run but I1022 ("prefer Fn::Sub over Fn::Join"), a preference
about how the CDK writes strings that changes nothing deployed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from aws_cdk import App, RemovalPolicy, Validations
from cfnlint.api import ManualArgs, lint_file

from bench.generate import write_mesh
from datamesh.app.mesh_app import FEATURE_FLAGS, build_mesh
from datamesh.config import load_mesh
from datamesh.stacks.pipeline import PipelineStack
from tests.delivery.conftest import CONNECTION, ROOT

DOCS = ROOT / "docs" / "delivery.md"
LINT = ManualArgs(regions=["eu-west-1"], include_checks=["I"], ignore_checks=["I1022"])
CODESTAR_CONNECTION = CONNECTION.replace(":codeconnections:", ":codestar-connections:")
ANY_ACCOUNT = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:\*:")  # a resource in every account


def lint(template: Path) -> list[str]:
    return [str(m) for m in lint_file(template, LINT)]


def statements(template: dict) -> list[dict]:
    return [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]


def listed(value: object) -> list:
    return value if isinstance(value, list) else [value]


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
    made = {
        (c.node.path, rule)
        for c in stacks.pipeline.node.find_all()
        for entry in c.node.metadata
        if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule in entry.data
    }
    used = {
        (s["acknowledgedAt"], s["acknowledgedId"])
        for r in report["pluginReports"]
        for s in r.get("suppressedViolations", [])
        if s["acknowledgedAt"].startswith("Pipeline/")
    }
    assert made and made == used
    docs = DOCS.read_text(encoding="utf-8")
    rules = {rule.split("::", 1)[1].split("[", 1)[0] for _, rule in made}
    assert [r for r in rules if f"`{r}`" not in docs] == []


def test_pipeline_stack_carries_the_mesh_tags_at_the_top_confidentiality(synthesized):
    out, _, _ = synthesized
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["artifacts"]["Pipeline"]["properties"]["tags"] == {
        "datamesh:mesh": "acme",
        "datamesh:domain": "delivery",
        "datamesh:owner": "platform",
        "datamesh:cost-centre": "platform",
        "datamesh:confidentiality": "restricted",  # mesh.yaml's top level
    }


def test_pipeline_waits_for_its_role_policy_only(synthesized):
    """Its RoleArn already orders it after the role; a DependsOn on the role too is cfn-lint's W3005."""
    out, _, _ = synthesized
    resources = json.loads((out / "Pipeline.template.json").read_text())["Resources"]
    pipeline = next(r for r in resources.values() if r["Type"] == "AWS::CodePipeline::Pipeline")
    role = pipeline["Properties"]["RoleArn"]["Fn::GetAtt"][0]
    policies = [
        name
        for name, r in resources.items()
        if r["Type"] == "AWS::IAM::Policy" and r["Properties"]["Roles"] == [{"Ref": role}]
    ]
    assert len(policies) == 1 and pipeline["DependsOn"] == policies


def test_cfn_lint_with_informational_checks_finds_nothing_in_the_pipeline(synthesized):
    out, _, _ = synthesized
    assert lint(out / "Pipeline.template.json") == []


@pytest.mark.parametrize("connection", [CONNECTION, CODESTAR_CONNECTION])
def test_the_connection_is_used_with_the_action_of_its_own_service_prefix(tmp_path, delivered_mesh, connection):
    """ "When specifying a resource in the IAM policy, the service prefix needs to match that of the
    resource" (Developer Tools console guide, connections rename); cfn-lint's I3510 checks it."""
    app = App(outdir=str(tmp_path))
    build_mesh(app, delivered_mesh(connection_arn=connection))
    app.synth()
    template = json.loads((tmp_path / "Pipeline.template.json").read_text())
    uses = [s for s in statements(template) if any(a.endswith(":UseConnection") for a in listed(s["Action"]))]
    assert len(uses) == 3  # the pipeline role, and the two builds that receive a git clone
    prefix = connection.split(":")[2]
    assert all(
        listed(s["Action"]) == [f"{prefix}:UseConnection"] and listed(s["Resource"]) == [connection] for s in uses
    )
    assert lint(tmp_path / "Pipeline.template.json") == []


def test_the_pipeline_of_10_domains_passes_cfn_lint_with_informational_checks(tmp_path):
    """The bench mesh (tooling account, organization); 100 and 1000 domains measured in docs/delivery.md."""
    mesh = load_mesh(write_mesh(tmp_path / "mesh", 10))
    app = App(outdir=str(tmp_path / "out"), context=FEATURE_FLAGS)
    PipelineStack(app, "Pipeline", mesh=mesh, removal_policy=RemovalPolicy.RETAIN)
    app.synth()
    assert lint(tmp_path / "out" / "Pipeline.template.json") == []


def test_every_statement_reaching_every_account_is_bounded_to_the_mesh_organization(synthesized):
    out, stacks, _ = synthesized
    template = json.loads((out / "Pipeline.template.json").read_text())
    reaching = [
        s
        for s in statements(template)
        if any(isinstance(r, str) and ANY_ACCOUNT.match(r) for r in listed(s["Resource"]))
    ]
    assert reaching  # the deploy build's reach into the bootstrap roles
    bound = {"StringEquals": {"aws:ResourceOrgID": "o-exampleorg1"}}  # mesh.yaml's organization
    assert all(s.get("Condition") == bound for s in reaching), reaching
