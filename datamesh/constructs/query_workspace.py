"""Where a consumer domain's analysts query: an Athena workgroup with encrypted results."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import CfnTag
from aws_cdk import aws_athena as athena
from constructs import Construct

from datamesh.annotations.acknowledgements import arn_token, wildcard_resource
from datamesh.constructs.logged_storage import LoggedStorage
from datamesh.constructs.policy_document import Statement, statement
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.names import naming

RESULTS_PREFIX = naming.QUERY_RESULTS_PREFIX
RESULT_OBJECTS = "Athena writes result objects with generated keys under the workgroup's results prefix."


class QueryWorkspace(Construct):
    """Athena workgroup whose enforced configuration writes KMS-encrypted results.

    :param workgroup_name: physical workgroup name.
    :param results_bucket_name: physical name of the results bucket.
    :param storage: the key of the results bucket and the query results, and the bucket of its access logs.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workgroup_name: str,
        results_bucket_name: str,
        storage: LoggedStorage,
        tags: Mapping[str, str],
    ) -> None:
        super().__init__(scope, id)
        self.workgroup_name = workgroup_name  # as given: reading ``workgroup.name`` back is a jsii round trip
        self.results = SecureBucket(self, "Results", bucket_name=results_bucket_name, **storage.bucket_settings)
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
                        encryption_option="SSE_KMS", kms_key=storage.key.key_arn
                    ),
                ),
            ),
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )

    def results_access(self) -> tuple[list[Statement], dict[str, str]]:
        """What lets a role write and read query results under ``RESULTS_PREFIX``, with named actions: the
        statements of its policy and the cdk-nag findings they cause, with their reasons (for ``acknowledge``)."""
        statements = [
            statement(
                actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                resources=[self.results.bucket_arn],
            ),
            statement(
                actions=["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
                resources=[self.results.arn_for_objects(f"{RESULTS_PREFIX}*")],
            ),
        ]
        return statements, {wildcard_resource(f"{arn_token(self.results.bucket)}/{RESULTS_PREFIX}*"): RESULT_OBJECTS}
