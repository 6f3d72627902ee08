"""A CodeBuild project that installs the project (by default as `make setup` does) and runs commands in it."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, Stack
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, ref_token, wildcard_resource

# The virtualenv (Python, Node 24) and the pinned CDK CLI that `make setup` installs.
TOOLS_ON_PATH = "export PATH=$PWD/.venv/bin:$PWD/node_modules/.bin:$PATH CDK_DISABLE_CLI_TELEMETRY=true"
BUILD_LOGS = "CodeBuild creates one log stream per build, named by build id, in the project's own log group."
DEFAULT_TIMEOUT = Duration.hours(1)  # how long one build may run


class MeshBuild(Construct):
    """One CodeBuild project: ``install``, then ``commands`` in order, failing on the first that fails.

    :param description: what the build does.
    :param commands: shell commands run in the repository's root.
    :param install: commands that install what ``commands`` need. Defaults to ``make setup``.
    :param encryption_key: encrypts the build's artifacts (the pipeline's key).
    :param outputs: base directory of the output artifact, relative to the root. Defaults to none.
    :param timeout: defaults to one hour.
    :param role_name: physical name of the build's role, for accounts that trust it by name. Defaults to a
        generated name.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        description: str,
        commands: Sequence[str],
        encryption_key: kms.IKey,
        install: Sequence[str] = ("make setup",),
        outputs: str | None = None,
        timeout: Duration = DEFAULT_TIMEOUT,
        role_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        spec: dict[str, object] = {
            "version": "0.2",
            "env": {"shell": "bash"},
            "phases": {
                "install": {"commands": list(install)},
                "build": {"commands": [TOOLS_ON_PATH, *commands]},
            },
        }
        if outputs:
            spec["artifacts"] = {"base-directory": outputs, "files": ["**/*"]}
        self.project = codebuild.PipelineProject(
            self,
            "Resource",
            description=description,
            build_spec=codebuild.BuildSpec.from_object(spec),
            environment=codebuild.BuildEnvironment(
                build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
                compute_type=codebuild.ComputeType.MEDIUM,
            ),
            encryption_key=encryption_key,
            grant_report_group_permissions=False,
            timeout=timeout,
            role=iam.Role(self, "Role", role_name=role_name, assumed_by=iam.ServicePrincipal("codebuild.amazonaws.com"))
            if role_name
            else None,
        )
        # The L2 lets the project's role write any stream of the project's log group.
        stack = Stack.of(self)
        log_streams = f"arn:<AWS::Partition>:logs:{stack.region}:{stack.account}:log-group:/aws/codebuild/{ref_token(self.project)}:*"
        acknowledge(self.project.role, {wildcard_resource(log_streams): BUILD_LOGS})
