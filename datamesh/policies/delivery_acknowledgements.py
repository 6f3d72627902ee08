"""The cdk-nag findings the deployment pipeline acknowledges: each on one policy, with a reason.

All are wildcards CodePipeline's and CodeBuild's L2 grants write (artifact objects, build
logs, the artifact key) and the deploy builds' reach into the CDK bootstrap roles.
Listed in ``docs/delivery.md``; a test fails when one no longer matches a finding.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_codebuild as codebuild

from datamesh import naming
from datamesh.policies.acknowledgements import acknowledge, arn_token, default_policy

ARTIFACT_OBJECTS = (
    "CodePipeline names artifact objects itself under the pipeline's prefix of the pipeline's own "
    "artifact bucket; the grant is limited to that bucket."
)
ARTIFACT_ACTIONS = "The L2 grant's read/write action groups, on the pipeline's artifact bucket only."
ARTIFACT_KEY = "The L2 grant's data-key and re-encrypt action groups, on the pipeline's own artifact key only."
BUILD_LOGS = "CodeBuild creates one log stream per build, named by build id, in the project's own log group."
BOOTSTRAP_ROLES = (
    "A deploy reaches each domain's account through that account's CDK bootstrap role; the accounts "
    "(up to 1000) are named by the mesh files, and a role trusts the tooling account only where "
    "its bootstrap says so. Listing every account would exceed IAM's policy size."
)

_READ = {"s3:GetBucket*": ARTIFACT_ACTIONS, "s3:GetObject*": ARTIFACT_ACTIONS, "s3:List*": ARTIFACT_ACTIONS}
_WRITE = {"s3:Abort*": ARTIFACT_ACTIONS, "s3:DeleteObject*": ARTIFACT_ACTIONS}
_KEY = {"kms:GenerateDataKey*": ARTIFACT_KEY, "kms:ReEncrypt*": ARTIFACT_KEY}


def _findings(bucket: s3.IBucket, actions: dict[str, str]) -> dict[str, str]:
    return {
        **{f"IAM5[Action::{action}]": reason for action, reason in actions.items()},
        f"IAM5[Resource::{arn_token(bucket)}/*]": ARTIFACT_OBJECTS,
    }


def _log_group(project: codebuild.PipelineProject) -> str:
    stack = Stack.of(project)
    logical_id = stack.get_logical_id(project.node.default_child)
    return f"IAM5[Resource::arn:<AWS::Partition>:logs:{stack.region}:{stack.account}:log-group:/aws/codebuild/<{logical_id}>:*]"


def pipeline(pipeline_role: iam.IRole, bucket: s3.IBucket, checks: codebuild.PipelineProject,
             deploy: codebuild.PipelineProject, qualifier: str, roles: tuple[str, ...]) -> None:
    """Acknowledge the pipeline role's, the checks build's and the deploy build's findings."""
    acknowledge(default_policy(pipeline_role), _findings(bucket, {**_READ, **_WRITE, **_KEY}))
    acknowledge(default_policy(checks.role), {**_findings(bucket, {**_READ, **_WRITE, **_KEY}), _log_group(checks): BUILD_LOGS})
    region = Stack.of(deploy).region
    acknowledge(default_policy(deploy.role), {
        **_findings(bucket, {**_READ, **_KEY}), _log_group(deploy): BUILD_LOGS,
        **{f"IAM5[Resource::{naming.cdk_role_arn_pattern(qualifier, role, region)}]": BOOTSTRAP_ROLES for role in roles},
    })
