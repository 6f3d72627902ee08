"""An S3 bucket with the mesh's secure defaults in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from aws_cdk import CfnTag, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from datamesh.constructs.data_key import DataKey
from datamesh.constructs.policy_document import Statement, document, statement

LOG_DELIVERY = "logging.s3.amazonaws.com"


class SecureBucket(Construct):
    """Versioned, TLS-only, private bucket with server access logs, retained by default.

    Written as ``aws_s3.Bucket`` writes such a bucket (the app's feature flags included),
    from L1 resources: the bucket at ``<id>/Resource/Resource``, its policy at
    ``<id>/Resource/Policy/Resource``, where the L2 construct put them (construct paths are
    logical ids). The policy denies requests without TLS; a bucket that receives access
    logs also lets S3's log delivery write each source's prefix (the source account only).

    :param account: the stack's account.
    :param bucket_name: physical name; set only where another account must know it.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    :param encryption_key: customer-managed KMS key. Defaults to S3-managed keys, which
        only the access-log bucket uses (S3 server access logs cannot target SSE-KMS).
    :param access_logs: bucket receiving server access logs. Defaults to none, which only
        the access-log bucket itself uses.
    :param event_bridge: send the bucket's events to EventBridge in its account. Defaults to false.
    :param statements: more statements of the bucket policy, after the TLS one, made from the
        bucket (for its ARNs); defaults to none. Given here rather than through
        :meth:`add_to_resource_policy`, they cost no second write of the policy.
    :param removal_policy: defaults to ``RETAIN``.

    ``bucket_arn`` and ``bucket_ref`` are the bucket's ``Arn`` and ``Ref`` tokens, read once.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        account: str,
        bucket_name: str,
        tags: Mapping[str, str],
        encryption_key: DataKey | None = None,
        access_logs: SecureBucket | None = None,
        event_bridge: bool = False,
        statements: Callable[[SecureBucket], Sequence[Statement]] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        place = Construct(self, "Resource")
        if encryption_key is None:
            default = {"sseAlgorithm": "AES256"}
        else:
            default = {"kmsMasterKeyId": encryption_key.key_arn, "sseAlgorithm": "aws:kms"}
        self.bucket = s3.CfnBucket(
            place,
            "Resource",
            bucket_encryption={
                "serverSideEncryptionConfiguration": [
                    {"bucketKeyEnabled": encryption_key is not None, "serverSideEncryptionByDefault": default}
                ]
            },
            bucket_name=bucket_name,
            notification_configuration={"eventBridgeConfiguration": {"eventBridgeEnabled": True}}
            if event_bridge
            else None,
            logging_configuration=None
            if access_logs is None
            else {"destinationBucketName": access_logs.bucket_ref, "logFilePrefix": f"{bucket_name}/"},
            ownership_controls={"rules": [{"objectOwnership": "BucketOwnerEnforced"}]},
            public_access_block_configuration={
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
            versioning_configuration={"status": "Enabled"},
        )
        self.bucket.apply_removal_policy(removal_policy)
        self.bucket_arn, self.bucket_ref = (
            self.bucket.attr_arn,
            self.bucket.ref,
        )  # read once: each read is a jsii round trip
        self._statements = [
            statement(
                effect="Deny",
                actions=["s3:*"],
                principal={"AWS": "*"},
                resources=[self.bucket_arn, self.arn_for_objects("*")],
                conditions={"Bool": {"aws:SecureTransport": "false"}},
            ),
            *(statements(self) if statements is not None else ()),
        ]
        self.policy = s3.CfnBucketPolicy(
            Construct(place, "Policy"), "Resource", bucket=self.bucket_ref, policy_document=document(self._statements)
        )
        if access_logs is not None:
            access_logs.add_to_resource_policy(
                statement(
                    actions=["s3:PutObject"],
                    principal={"Service": LOG_DELIVERY},
                    resources=[access_logs.arn_for_objects(f"{bucket_name}/*")],
                    conditions={
                        "ArnLike": {"aws:SourceArn": self.bucket_arn},
                        "StringEquals": {"aws:SourceAccount": account},
                    },
                )
            )

    def arn_for_objects(self, pattern: str) -> str:
        """The ARN of the objects whose keys match ``pattern`` (``*`` for all)."""
        return f"{self.bucket_arn}/{pattern}"

    def add_to_resource_policy(self, *statements: Statement) -> None:
        """Add ``statements`` (from :mod:`datamesh.constructs.policy_document`) to the bucket policy."""
        self._statements += statements
        self.policy.policy_document = document(self._statements)
