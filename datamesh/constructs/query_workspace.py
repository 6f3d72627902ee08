"""Where a consumer domain's analysts query: an Athena workgroup with encrypted results."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_athena as athena
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.policies.acknowledgements import acknowledge, arn_token, wildcard_resource

RESULTS_PREFIX = "results/"
RESULT_OBJECTS = "Athena writes result objects with generated keys under the workgroup's results prefix."


class QueryWorkspace(Construct):
    """Athena workgroup whose enforced configuration writes KMS-encrypted results.

    :param workgroup_name: physical workgroup name.
    :param results_bucket_name: physical name of the results bucket.
    :param encryption_key: key for the results bucket and the query results.
    :param access_logs: bucket receiving the results bucket's access logs.
    :param removal_policy: of the results bucket; defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workgroup_name: str,
        results_bucket_name: str,
        encryption_key: kms.IKey,
        access_logs: s3.IBucket,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.workgroup_name = workgroup_name  # as given: reading ``workgroup.name`` back is a jsii round trip
        self.results = SecureBucket(
            self,
            "Results",
            bucket_name=results_bucket_name,
            encryption_key=encryption_key,
            access_logs=access_logs,
            removal_policy=removal_policy,
        ).bucket
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
                    output_location=self.results.s3_url_for_object(RESULTS_PREFIX),
                    encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                        encryption_option="SSE_KMS", kms_key=encryption_key.key_arn
                    ),
                ),
            ),
        )

    def grant_results(self, grantee: iam.IRole) -> None:
        """Lets ``grantee`` write and read query results under ``RESULTS_PREFIX``, with named actions."""
        iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
            resource_arns=[self.results.bucket_arn],
        )
        iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
            resource_arns=[self.results.arn_for_objects(f"{RESULTS_PREFIX}*")],
        )
        acknowledge(grantee, {wildcard_resource(f"{arn_token(self.results)}/{RESULTS_PREFIX}*"): RESULT_OBJECTS})
