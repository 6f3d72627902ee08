"""The tooling account's deployment pipeline: on merge, check and synthesize, then deploy wave by wave.

Stages: Source (the repository's branch), Checks (the same checks as a pull request; its
output is the cloud assembly), an optional manual approval, then one stage per wave.
Each wave stage runs ``deploy_shards`` CodeBuild actions in parallel (one for Governance),
each deploying its share of the wave's stacks with ``cdk deploy`` into their own accounts
through the bootstrap trust. The pipeline's shape does not depend on the number of
domains, so it stays within CodePipeline's quotas at any size (see docs/delivery.md).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy, Tags
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as actions
from aws_cdk import aws_iam as iam
from constructs import Construct

from datamesh import naming
from datamesh.config import Mesh
from datamesh.constructs.data_key import DataKey
from datamesh.constructs.mesh_build import MeshBuild
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.delivery.checks import CHECKS
from datamesh.delivery.waves import WAVES
from datamesh.policies import classification, delivery_acknowledgements
from datamesh.policies.enforce import CONFIDENTIALITY_TAG
from datamesh.stacks.base import MeshStack

ASSEMBLY = "Assembly"
SOURCE = "Source"
DEPLOY_CONCURRENCY = 10  # stacks one shard deploys at once (`cdk deploy --concurrency`)
CDK_ROLES = ("deploy", "file-publishing", "lookup")
# A deploy needs only the pinned CDK CLI: the assembly is synthesized, and the shard helper
# is standard-library Python, so it skips the two-minute `make setup`.
DEPLOY_INSTALL = ("npm ci --no-audit --no-fund --loglevel=error",)


def deploy_commands() -> list[str]:
    """Deploy this action's shard (``$WAVE``, ``$SHARD`` of ``$SHARDS``) of the synthesized assembly."""
    assembly = f"$CODEBUILD_SRC_DIR_{ASSEMBLY}"
    return [
        f'STACKS=$(python3 -m datamesh.delivery.waves "{assembly}" "$WAVE" "$SHARD" "$SHARDS")',
        'if [ -z "$STACKS" ]; then echo "no stacks in shard $SHARD of $SHARDS of wave $WAVE"; exit 0; fi',
        f'cdk deploy --app "{assembly}" --exclusively --require-approval never '
        f'--concurrency {DEPLOY_CONCURRENCY} --no-notices $STACKS',
    ]


class PipelineStack(MeshStack):
    """The deployment pipeline of ``mesh`` in its tooling account (``mesh.yaml: delivery``)."""

    def __init__(self, scope: Construct, id: str, *, mesh: Mesh, removal_policy: RemovalPolicy) -> None:
        cfg = mesh.config
        delivery = cfg.delivery
        if delivery is None:
            raise ValueError("mesh.yaml sets no delivery: there is no tooling account to build the pipeline in")
        super().__init__(
            scope, id, mesh=mesh, account=delivery.tooling_account, domain="delivery", owner="platform",
            cost_centre="platform", description=f"Data mesh {cfg.name}: deployment pipeline (tooling account)",
            removal_policy=removal_policy,
        )
        # Its artifacts hold every parameter file and template: as confidential as the catalog.
        Tags.of(self).add(CONFIDENTIALITY_TAG, classification.governance_level(mesh))
        self.key = DataKey(self, "ArtifactKey", alias=naming.pipeline_key_alias(cfg.name),
                           description=f"Encrypts the deployment artifacts of data mesh {cfg.name}",
                           removal_policy=removal_policy).key
        logs = SecureBucket(self, "ArtifactLogs", removal_policy=removal_policy,
                            bucket_name=naming.pipeline_logs_bucket(cfg.name, self.account, cfg.region)).bucket
        self.artifacts = SecureBucket(
            self, "Artifacts", encryption_key=self.key, access_logs=logs, removal_policy=removal_policy,
            bucket_name=naming.pipeline_artifacts_bucket(cfg.name, self.account, cfg.region),
        ).bucket
        self.checks = MeshBuild(self, "Checks", description="Checks and synthesizes the mesh",
                                commands=[command for _, command in CHECKS], encryption_key=self.key, outputs="cdk.out")
        self.deploy = MeshBuild(self, "Deploy", description="Deploys one shard of a wave with the CDK CLI",
                                commands=deploy_commands(), install=DEPLOY_INSTALL, encryption_key=self.key,
                                timeout=Duration.hours(2))
        self.deploy.project.add_to_role_policy(iam.PolicyStatement(
            sid="AssumeCdkBootstrapRoles",
            actions=["sts:AssumeRole"],
            resources=[naming.cdk_role_arn_pattern(cfg.lake_formation.cdk_qualifier, role, cfg.region) for role in CDK_ROLES],
        ))
        self.pipeline = codepipeline.Pipeline(
            self, "Deployment",
            pipeline_name=naming.pipeline(cfg.name),
            pipeline_type=codepipeline.PipelineType.V2,
            execution_mode=codepipeline.ExecutionMode.QUEUED,
            artifact_bucket=self.artifacts,
            restart_execution_on_update=False,
            use_pipeline_role_for_actions=True,
        )
        self._stages(mesh)
        # The L2 makes the pipeline depend on its role, which its RoleArn already does (cfn-lint W3005).
        policy = self.pipeline.role.node.find_child("DefaultPolicy").node.default_child
        self.pipeline.node.default_child.add_override("DependsOn", [self.get_logical_id(policy)])
        delivery_acknowledgements.pipeline(self.pipeline.role, self.artifacts, self.checks.project, self.deploy.project,
                                           cfg.lake_formation.cdk_qualifier, CDK_ROLES)

    def _stages(self, mesh: Mesh) -> None:
        delivery = mesh.config.delivery
        assert delivery is not None
        source, assembly = codepipeline.Artifact(SOURCE), codepipeline.Artifact(ASSEMBLY)
        owner, repo = delivery.repository.split("/")
        self.pipeline.add_stage(stage_name="Source", actions=[actions.CodeStarConnectionsSourceAction(
            action_name="Repository", connection_arn=delivery.connection_arn, owner=owner, repo=repo,
            branch=delivery.branch, output=source, trigger_on_push=True,
            code_build_clone_output=True,  # a git clone: the checks compare with history (tests, --since)
        )])
        self.pipeline.add_stage(stage_name="Checks", actions=[actions.CodeBuildAction(
            action_name="CheckAndSynthesize", project=self.checks.project, input=source, outputs=[assembly],
        )])
        if delivery.approve_governance:
            self.pipeline.add_stage(stage_name="Approve", actions=[actions.ManualApprovalAction(
                action_name="ApproveDeploy",
                additional_information="Approve to deploy the checked change, Governance wave first.",
            )])
        for wave in WAVES:
            shards = 1 if wave == "Governance" else delivery.deploy_shards
            self.pipeline.add_stage(stage_name=wave, actions=[
                actions.CodeBuildAction(
                    action_name=f"{wave}-{index + 1:02d}", project=self.deploy.project, input=source,
                    extra_inputs=[assembly],
                    environment_variables={
                        name: codebuild.BuildEnvironmentVariable(value=value)
                        for name, value in {"WAVE": wave, "SHARD": str(index), "SHARDS": str(shards)}.items()
                    },
                )
                for index in range(shards)
            ])
