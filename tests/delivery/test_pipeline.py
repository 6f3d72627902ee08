"""The deployment pipeline: its stages and actions, its reach into the accounts, and CodePipeline's quotas.

Quotas from "Quotas in AWS CodePipeline" (CodePipeline User Guide): at most 50 actions in
a stage, of which at most 50 run in parallel; a pipeline has at most 50 stages (10 in
earlier versions of the page, the bound checked here).
"""

from __future__ import annotations

import json

import pytest
from aws_cdk import App, RemovalPolicy
from aws_cdk.assertions import Match, Template

from bench.generate import write_mesh
from datamesh.app.mesh_app import FEATURE_FLAGS, build_mesh
from datamesh.blueprint import blueprint
from datamesh.config import ConfigError, load_mesh
from datamesh.delivery.checks import CHECKS
from datamesh.delivery.waves import WAVES
from datamesh.stacks.pipeline import PipelineStack
from tests.delivery.conftest import CONNECTION, TOOLING_ACCOUNT

MAX_STAGES = 10
MAX_ACTIONS_PER_STAGE = 50
MAX_PARALLEL_ACTIONS_PER_STAGE = 50
PIPELINE = "AWS::CodePipeline::Pipeline"


def pipeline_of(template: Template) -> dict:
    (pipeline,) = template.find_resources(PIPELINE).values()
    return pipeline["Properties"]


def stages(template: Template) -> dict[str, list[dict]]:
    return {stage["Name"]: stage["Actions"] for stage in pipeline_of(template)["Stages"]}


@pytest.fixture
def template(delivered_mesh):
    stacks = build_mesh(App(), delivered_mesh())
    assert stacks.pipeline is not None
    return Template.from_stack(stacks.pipeline)


def test_pipeline_runs_in_the_tooling_account(delivered_mesh):
    stacks = build_mesh(App(), delivered_mesh())
    assert stacks.pipeline.account == TOOLING_ACCOUNT
    assert stacks.pipeline not in stacks.all()  # not one of the waves it deploys


def test_without_delivery_there_is_no_pipeline(example_stacks):
    assert example_stacks.pipeline is None


def test_stages_follow_the_waves_with_approval_before_governance(template):
    assert list(stages(template)) == ["Source", "Checks", "Approve", "Governance", "Storage", "Catalog", "Access"]
    assert stages(template)["Approve"][0]["ActionTypeId"]["Category"] == "Approval"


def test_approval_can_be_left_out(delivered_mesh):
    stacks = build_mesh(App(), delivered_mesh(approve_governance=False))
    assert "Approve" not in stages(Template.from_stack(stacks.pipeline))


def test_source_is_the_repository_branch_through_the_connection(template):
    (source,) = stages(template)["Source"]
    assert source["ActionTypeId"]["Provider"] == "CodeStarSourceConnection"
    keys = ("ConnectionArn", "FullRepositoryId", "BranchName", "OutputArtifactFormat")
    assert {k: source["Configuration"][k] for k in keys} == {
        "ConnectionArn": CONNECTION,
        "FullRepositoryId": "acme/data-mesh",
        "BranchName": "main",
        "OutputArtifactFormat": "CODEBUILD_CLONE_REF",  # a git clone, with the history the checks compare against
    }


def test_every_wave_stage_deploys_its_shards_in_parallel(template):
    for wave in WAVES:
        actions = stages(template)[wave]
        shards = 1 if wave == "Governance" else 20
        variables = [
            {v["name"]: v["value"] for v in json.loads(a["Configuration"]["EnvironmentVariables"])} for a in actions
        ]
        assert variables == [{"WAVE": wave, "SHARD": str(i), "SHARDS": str(shards)} for i in range(shards)]
        assert {a.get("RunOrder", 1) for a in actions} == {1}  # one run order: all in parallel
        assert all(len(a["InputArtifacts"]) == 2 for a in actions)  # the source and the synthesized assembly


def test_deploy_build_may_assume_only_the_cdk_bootstrap_roles(template):
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "AssumeCdkBootstrapRoles",
                            "Action": "sts:AssumeRole",
                            "Effect": "Allow",
                            "Resource": [
                                f"arn:aws:iam::*:role/cdk-hnb659fds-{role}-role-*-eu-west-1"
                                for role in ("deploy", "file-publishing", "lookup")
                            ],
                            "Condition": {
                                "StringEquals": {"aws:ResourceOrgID": "o-exampleorg1"}
                            },  # mesh.yaml's organization
                        }
                    ]
                )
            }
        },
    )


def test_deploy_build_role_has_the_name_every_bootstrap_trusts(template):
    """docs/delivery.md: the bootstrap roles trust, in the tooling account, only <mesh>-delivery-deploy."""
    (deploy,) = [
        p
        for p in template.find_resources("AWS::CodeBuild::Project").values()
        if "one shard" in p["Properties"]["Description"]
    ]
    role = template.find_resources("AWS::IAM::Role")[deploy["Properties"]["ServiceRole"]["Fn::GetAtt"][0]]
    assert role["Properties"]["RoleName"] == "acme-delivery-deploy"


def test_deploy_build_deploys_the_shard_with_the_cdk_cli(template):
    (deploy,) = [
        p
        for p in template.find_resources("AWS::CodeBuild::Project").values()
        if "one shard" in p["Properties"]["Description"]
    ]
    phases = json.loads(deploy["Properties"]["Source"]["BuildSpec"])["phases"]
    assert phases["install"]["commands"] == ["npm ci --no-audit --no-fund --loglevel=error"]  # the CLI only
    commands = phases["build"]["commands"]
    assert any("python3 -m datamesh.delivery.waves" in c for c in commands)
    assert any(c.startswith('cdk deploy --app "$CODEBUILD_SRC_DIR_Assembly" --exclusively') for c in commands)


def test_more_shards_than_a_stage_holds_is_refused(delivered_mesh):
    with pytest.raises(ConfigError) as raised:
        delivered_mesh(deploy_shards=51)
    assert "delivery.deploy_shards" in str(raised.value.problems[0])


@pytest.mark.parametrize("domains", [10, 100, 1000])
def test_pipeline_stays_within_codepipeline_quotas_at_scale(tmp_path, domains):
    """The bench mesh (bench/generate.py writes its tooling account) at 10, 100 and 1000 domains."""
    mesh = load_mesh(write_mesh(tmp_path, domains))
    stack_ids = [s.id for s in blueprint(mesh).stacks if s.kind != "pipeline"]
    assert len(stack_ids) == 1 + 2 * domains + domains // 2
    app = App(context=FEATURE_FLAGS)  # the pipeline alone: its shape does not depend on the other stacks
    pipeline = PipelineStack(app, "Pipeline", mesh=mesh, removal_policy=RemovalPolicy.RETAIN)
    found = stages(Template.from_stack(pipeline))
    assert 2 <= len(found) <= MAX_STAGES
    assert max(len(actions) for actions in found.values()) <= min(MAX_ACTIONS_PER_STAGE, MAX_PARALLEL_ACTIONS_PER_STAGE)


def test_checks_build_runs_the_pull_request_checks_and_outputs_the_assembly(template):
    (checks,) = [
        p
        for p in template.find_resources("AWS::CodeBuild::Project").values()
        if p["Properties"]["Description"] == "Checks and synthesizes the mesh"
    ]
    spec = json.loads(checks["Properties"]["Source"]["BuildSpec"])
    assert spec["phases"]["install"]["commands"] == ["make setup"]
    assert spec["phases"]["build"]["commands"][1:] == [command for _, command in CHECKS]
    assert spec["artifacts"] == {"base-directory": "cdk.out", "files": ["**/*"]}
