"""Customer-managed KMS key with rotation, retained by default."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


class DataKey(Construct):
    """A rotating customer-managed key with an alias.

    :param alias: alias name, e.g. ``alias/mesh/sales/data``.
    :param description: what the key protects.
    :param removal_policy: defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alias: str,
        description: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.key = kms.Key(
            self,
            "Resource",
            alias=alias,
            description=description,
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )


def grant_object_encryption(key: kms.IKey, grantee: iam.IGrantable) -> iam.Grant:
    """Lets ``grantee`` read and write S3 objects encrypted with ``key``: two named actions, no wildcards."""
    return key.grant(grantee, "kms:Decrypt", "kms:GenerateDataKey")
