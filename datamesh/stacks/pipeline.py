"""The tooling account's deployment pipeline: on merge, check and synthesize, then deploy wave by wave.

Stages: Source (the repository's branch), Checks (the same checks as a pull request; its
output is the cloud assembly), an optional manual approval, then one stage per wave.
Each wave stage runs ``deploy_shards`` CodeBuild actions in parallel (one for Governance),
each deploying its share of the wave's stacks with ``cdk deploy`` into their own accounts
through the bootstrap trust. The pipeline's shape does not depend on the number of
domains, so it stays within CodePipeline's quotas at any size (see docs/delivery.md).
"""

from __future__ import annotations

import jsii
from aws_cdk import CfnResource, Duration, IStableAnyProducer, IStableListProducer, Lazy, RemovalPolicy, Stack
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_codepipeline as codepipeline
from aws_cdk import aws_codepipeline_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, arn_token, wildcard_action, wildcard_resource
from datamesh.annotations.tagging import tag_everything
from datamesh.config import Mesh
from datamesh.constructs.logged_storage import LoggedStorage
from datamesh.constructs.mesh_build import MeshBuild
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.delivery.checks import CHECKS
from datamesh.delivery.waves import WAVES
from datamesh.names import naming
from datamesh.policies.classification import governance_level
from datamesh.stacks.base import MeshStack

ASSEMBLY = "Assembly"
SOURCE = "Source"
DEPLOY_CONCURRENCY = 10  # stacks one shard deploys at once (`cdk deploy --concurrency`)
CDK_ROLES = ("deploy", "file-publishing", "lookup")
# A deploy needs only the pinned CDK CLI: the assembly is synthesized, and the shard helper
# is standard-library Python, so it skips the two-minute `make setup`.
DEPLOY_INSTALL = ("npm ci --no-audit --no-fund --loglevel=error",)

# The cdk-nag findings of the pipeline's policies: the grants CodePipeline's and CodeBuild's L2s
# write on the artifact bucket and key, and the deploy build's reach into the bootstrap roles.
ARTIFACT_OBJECTS = (
    "CodePipeline names artifact objects itself under the pipeline's prefix of the pipeline's own "
    "artifact bucket; the grant is limited to that bucket."
)
ARTIFACT_ACTIONS = "The L2 grant's read/write action groups, on the pipeline's artifact bucket only."
ARTIFACT_KEY = "The L2 grant's data-key and re-encrypt action groups, on the pipeline's own artifact key only."
BOOTSTRAP_ROLES = (
    "A deploy reaches each domain's account through that account's CDK bootstrap role; the accounts "
    "(up to 1000) are named by the mesh files, and listing every one would exceed IAM's policy size. "
    "aws:ResourceOrgID bounds the statement to the mesh's organization, and each role trusts this "
    "build's role only where its bootstrap says so."
)
# The L2 source and CodeBuild actions grant this action whatever the connection's ARN says; IAM
# matches an action only with resources of its own service prefix (docs/delivery.md).
L2_CONNECTION_ACTION = "codestar-connections:UseConnection"
READ_ARTIFACTS = {
    "s3:GetBucket*": ARTIFACT_ACTIONS,
    "s3:GetObject*": ARTIFACT_ACTIONS,
    "s3:List*": ARTIFACT_ACTIONS,
    "kms:GenerateDataKey*": ARTIFACT_KEY,
    "kms:ReEncrypt*": ARTIFACT_KEY,
}
WRITE_ARTIFACTS = {**READ_ARTIFACTS, "s3:Abort*": ARTIFACT_ACTIONS, "s3:DeleteObject*": ARTIFACT_ACTIONS}


def use_connection_action(connection_arn: str) -> str:
    """``UseConnection`` under the service prefix of ``connection_arn`` (``codeconnections`` or ``codestar-connections``)."""
    return f"{connection_arn.split(':')[2]}:UseConnection"


def deploy_commands() -> list[str]:
    """Deploy this action's shard (``$WAVE``, ``$SHARD`` of ``$SHARDS``) of the synthesized assembly."""
    assembly = f"$CODEBUILD_SRC_DIR_{ASSEMBLY}"
    return [
        f'STACKS=$(python3 -m datamesh.delivery.waves "{assembly}" "$WAVE" "$SHARD" "$SHARDS")',
        'if [ -z "$STACKS" ]; then echo "no stacks in shard $SHARD of $SHARDS of wave $WAVE"; exit 0; fi',
        f'cdk deploy --app "{assembly}" --exclusively --require-approval never '
        f"--concurrency {DEPLOY_CONCURRENCY} --no-notices $STACKS",
    ]


@jsii.implements(IStableAnyProducer)
class _WithConnectionAction:
    """A role's default policy document as written, with the L2's connection action replaced by ``action``."""

    def __init__(self, policy: iam.Policy, action: str) -> None:
        self._policy, self._action = policy, action

    def produce(self) -> object:
        document = Stack.of(self._policy).resolve(self._policy.document)
        for statement in document["Statement"]:
            actions = statement["Action"]
            if isinstance(actions, list):
                statement["Action"] = [self._action if a == L2_CONNECTION_ACTION else a for a in actions]
            elif actions == L2_CONNECTION_ACTION:
                statement["Action"] = self._action
        return document


@jsii.implements(IStableListProducer)
class _DependenciesBut:
    """The logical ids ``resource`` depends on but those of type ``left_out``, read when the template is written."""

    def __init__(self, resource: CfnResource, left_out: type[CfnResource]) -> None:
        self._resource, self._left_out = resource, left_out

    def produce(self) -> list[str]:
        stack = Stack.of(self._resource)
        return sorted(
            stack.get_logical_id(d) for d in self._resource.obtain_dependencies() if not isinstance(d, self._left_out)
        )


class PipelineStack(MeshStack):
    """The deployment pipeline of ``mesh`` in its tooling account (``mesh.yaml: delivery``)."""

    def __init__(self, scope: Construct, id: str, *, mesh: Mesh, removal_policy: RemovalPolicy) -> None:
        cfg = mesh.config
        delivery = cfg.delivery
        if delivery is None:
            raise ValueError("mesh.yaml sets no delivery: there is no tooling account to build the pipeline in")
        if cfg.organization is None:
            raise ValueError("mesh.yaml sets delivery without organization, which the loader refuses")
        super().__init__(
            scope,
            id,
            mesh=mesh,
            account=delivery.tooling_account,
            domain="delivery",
            owner="platform",
            cost_centre="platform",
            description=f"Data mesh {cfg.name}: deployment pipeline (tooling account)",
            # Its artifacts hold every parameter file and template: as confidential as the catalog.
            confidentiality=governance_level(mesh),
            removal_policy=removal_policy,
        )
        # The CodePipeline and CodeBuild L2s tag what they create as ``Tags.of`` does, and grant
        # through L2 interfaces of the key and bucket, imported ones, so that their grants go to the
        # roles' policies (as for a key and bucket of the same account), not to the key policy.
        tag_everything(self, self.resource_tags)
        account, tags = delivery.tooling_account, self.resource_tags
        storage = LoggedStorage(
            self,
            account=account,
            tags=tags,
            removal_policy=removal_policy,
            key_id="ArtifactKey",
            key_alias=naming.pipeline_key_alias(cfg.name),
            key_description=f"Encrypts the deployment artifacts of data mesh {cfg.name}",
            logs_id="ArtifactLogs",
            logs_bucket_name=naming.pipeline_logs_bucket(cfg.name, account, cfg.region),
        )
        artifacts = SecureBucket(
            self,
            "Artifacts",
            **storage.bucket_settings,
            bucket_name=naming.pipeline_artifacts_bucket(cfg.name, account, cfg.region),
        )
        self.key = kms.Key.from_key_arn(self, "ArtifactKeyInterface", storage.key.key_arn)
        self._artifacts_token = arn_token(artifacts.bucket)
        self.artifacts = s3.Bucket.from_bucket_attributes(
            self,
            "ArtifactsInterface",
            bucket_arn=artifacts.bucket_arn,
            bucket_name=artifacts.bucket_ref,
            encryption_key=self.key,
        )
        self.checks = MeshBuild(
            self,
            "Checks",
            description="Checks and synthesizes the mesh",
            commands=[command for _, command in CHECKS],
            encryption_key=self.key,
            outputs="cdk.out",
        )
        self.deploy = MeshBuild(
            self,
            "Deploy",
            description="Deploys one shard of a wave with the CDK CLI",
            commands=deploy_commands(),
            install=DEPLOY_INSTALL,
            encryption_key=self.key,
            timeout=Duration.hours(2),
            role_name=naming.pipeline_deploy_role(cfg.name),
        )
        bootstrap_roles = [
            naming.cdk_role_arn_pattern(cfg.lake_formation.cdk_qualifier, role, cfg.region) for role in CDK_ROLES
        ]
        self.deploy.project.add_to_role_policy(
            iam.PolicyStatement(
                sid="AssumeCdkBootstrapRoles",
                actions=["sts:AssumeRole"],
                resources=bootstrap_roles,
                conditions={"StringEquals": {"aws:ResourceOrgID": cfg.organization.id}},
            )
        )
        acknowledge(self.deploy.project.role, {wildcard_resource(role): BOOTSTRAP_ROLES for role in bootstrap_roles})
        self.pipeline = codepipeline.Pipeline(
            self,
            "Deployment",
            pipeline_name=naming.pipeline(cfg.name),
            pipeline_type=codepipeline.PipelineType.V2,
            execution_mode=codepipeline.ExecutionMode.QUEUED,
            artifact_bucket=self.artifacts,
            restart_execution_on_update=False,
            use_pipeline_role_for_actions=True,
        )
        self._acknowledge_artifacts(self.pipeline.role, WRITE_ARTIFACTS)
        self._stages(mesh)
        for role in (self.pipeline.role, self.checks.project.role, self.deploy.project.role):
            self._use_connection(role, delivery.connection_arn)
        # The L2 makes the pipeline depend on its role's resources; its RoleArn already orders it after the
        # role itself (cfn-lint W3005), so only the role's policies stay.
        resource = self.pipeline.node.default_child
        resource.add_override("DependsOn", Lazy.list(_DependenciesBut(resource, iam.CfnRole)))

    @staticmethod
    def _use_connection(role: iam.IRole, connection_arn: str) -> None:
        """Grant the connection action of the connection's own service prefix in ``role``'s default policy."""
        policy = role.node.find_child("DefaultPolicy")
        policy.node.default_child.add_property_override(
            "PolicyDocument", Lazy.any(_WithConnectionAction(policy, use_connection_action(connection_arn)))
        )

    def _acknowledge_artifacts(self, role: iam.IRole, actions: dict[str, str]) -> None:
        """The findings of the L2 grants on the artifact bucket and key to ``role`` (``actions``: action to reason)."""
        acknowledge(
            role,
            {
                **{wildcard_action(action): reason for action, reason in actions.items()},
                wildcard_resource(f"{self._artifacts_token}/*"): ARTIFACT_OBJECTS,
            },
        )

    def _stages(self, mesh: Mesh) -> None:
        delivery = mesh.config.delivery
        assert delivery is not None
        source, assembly = codepipeline.Artifact(SOURCE), codepipeline.Artifact(ASSEMBLY)
        owner, repo = delivery.repository.split("/")
        self.pipeline.add_stage(
            stage_name="Source",
            actions=[
                actions.CodeStarConnectionsSourceAction(
                    action_name="Repository",
                    connection_arn=delivery.connection_arn,
                    owner=owner,
                    repo=repo,
                    branch=delivery.branch,
                    output=source,
                    trigger_on_push=True,
                    code_build_clone_output=True,  # a git clone: the checks compare with history (tests, --since)
                )
            ],
        )
        self.pipeline.add_stage(
            stage_name="Checks",
            actions=[
                actions.CodeBuildAction(
                    action_name="CheckAndSynthesize",
                    project=self.checks.project,
                    input=source,
                    outputs=[assembly],
                )
            ],
        )
        self._acknowledge_artifacts(self.checks.project.role, WRITE_ARTIFACTS)
        if delivery.approve_governance:
            self.pipeline.add_stage(
                stage_name="Approve",
                actions=[
                    actions.ManualApprovalAction(
                        action_name="ApproveDeploy",
                        additional_information="Approve to deploy the checked change, Governance wave first.",
                    )
                ],
            )
        for wave in WAVES:
            shards = 1 if wave == "Governance" else delivery.deploy_shards
            self.pipeline.add_stage(
                stage_name=wave,
                actions=[
                    actions.CodeBuildAction(
                        action_name=f"{wave}-{index + 1:02d}",
                        project=self.deploy.project,
                        input=source,
                        extra_inputs=[assembly],
                        environment_variables={
                            name: codebuild.BuildEnvironmentVariable(value=value)
                            for name, value in {"WAVE": wave, "SHARD": str(index), "SHARDS": str(shards)}.items()
                        },
                    )
                    for index in range(shards)
                ],
            )
        self._acknowledge_artifacts(self.deploy.project.role, READ_ARTIFACTS)
