"""An S3 bucket with the mesh's secure defaults in one place."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

# A static property read is a round trip to jsii; every bucket uses the same value.
_BLOCK_ALL = s3.BlockPublicAccess.BLOCK_ALL


class SecureBucket(Construct):
    """Versioned, TLS-only, private bucket with server access logs, retained by default.

    :param bucket_name: physical name; set only where another account must know it.
    :param encryption_key: customer-managed KMS key. Defaults to S3-managed keys, which
        only the access-log bucket uses (S3 server access logs cannot target SSE-KMS).
    :param access_logs: bucket receiving server access logs. Defaults to none, which only
        the access-log bucket itself uses.
    :param removal_policy: defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket_name: str,
        encryption_key: kms.IKey | None = None,
        access_logs: s3.IBucket | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.bucket = s3.Bucket(
            self,
            "Resource",
            bucket_name=bucket_name,
            encryption=s3.BucketEncryption.KMS if encryption_key else s3.BucketEncryption.S3_MANAGED,
            encryption_key=encryption_key,
            bucket_key_enabled=encryption_key is not None,
            versioned=True,
            enforce_ssl=True,
            block_public_access=_BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{bucket_name}/" if access_logs else None,
            removal_policy=removal_policy,
        )
