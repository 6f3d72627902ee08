"""Where a consumer domain's analysts query: an Athena workgroup with encrypted results."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import CfnTag, RemovalPolicy
from aws_cdk import aws_athena as athena
from constructs import Construct

from datamesh.constructs.data_key import DataKey
from datamesh.constructs.policy_document import statement
from datamesh.constructs.role import MeshRole
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.annotations.acknowledgements import acknowledge, arn_token, wildcard_resource

RESULTS_PREFIX = "results/"
RESULT_OBJECTS = "Athena writes result objects with generated keys under the workgroup's results prefix."


class QueryWorkspace(Construct):
    """Athena workgroup whose enforced configuration writes KMS-encrypted results.

    :param account: the stack's account.
    :param workgroup_name: physical workgroup name.
    :param results_bucket_name: physical name of the results bucket.
    :param encryption_key: key for the results bucket and the query results.
    :param access_logs: bucket receiving the results bucket's access logs.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    :param removal_policy: of the results bucket; defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        account: str,
        workgroup_name: str,
        results_bucket_name: str,
        encryption_key: DataKey,
        access_logs: SecureBucket,
        tags: Mapping[str, str],
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.workgroup_name = workgroup_name  # as given: reading ``workgroup.name`` back is a jsii round trip
        self.results = SecureBucket(
            self,
            "Results",
            account=account,
            bucket_name=results_bucket_name,
            tags=tags,
            encryption_key=encryption_key,
            access_logs=access_logs,
            removal_policy=removal_policy,
        )
        self.workgroup = athena.CfnWorkGroup(
            self,
            "WorkGroup",
            name=workgroup_name,
            description=f"Queries of the data products {workgroup_name} subscribed to",
            state="ENABLED",
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=f"s3://{self.results.bucket_ref}/{RESULTS_PREFIX}",
                    encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                        encryption_option="SSE_KMS", kms_key=encryption_key.key_arn
                    ),
                ),
            ),
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )

    def grant_results(self, grantee: MeshRole) -> None:
        """Lets ``grantee`` write and read query results under ``RESULTS_PREFIX``, with named actions."""
        grantee.add_to_policy(
            statement(actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                      resources=[self.results.bucket_arn]),
            statement(actions=["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
                      resources=[self.results.arn_for_objects(f"{RESULTS_PREFIX}*")]),
        )
        acknowledge(grantee, {wildcard_resource(f"{arn_token(self.results.bucket)}/{RESULTS_PREFIX}*"): RESULT_OBJECTS})
