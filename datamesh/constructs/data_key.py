"""Customer-managed KMS key with rotation, retained by default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import CfnTag, RemovalPolicy
from aws_cdk import aws_kms as kms
from constructs import Construct

from datamesh.constructs.policy_document import (
    Statement,
    account_root,
    document,
    statement,
)

OBJECT_ENCRYPTION = ("kms:Decrypt", "kms:GenerateDataKey")


class DataKey(Construct):
    """A rotating customer-managed key with an alias, as ``aws_kms.Key`` would write it.

    The key's account administers it (``kms:*`` for the account root, the key policy's first
    statement); ``statements`` follow it. The key sits at
    ``<id>/Resource/Resource`` and the alias at ``<id>/Resource/Alias/Resource``, where the
    L2 construct put them: construct paths are logical ids.

    :param account: the stack's account, which administers the key.
    :param alias: alias name, e.g. ``alias/mesh/sales/data``.
    :param description: what the key protects.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    :param statements: more statements of the key policy, after the account's; defaults to none.
    :param removal_policy: defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        account: str,
        alias: str,
        description: str,
        tags: Mapping[str, str],
        statements: Sequence[Statement] = (),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        place = Construct(self, "Resource")
        administer = statement(actions=["kms:*"], resources=["*"], principal={"AWS": account_root(account)})
        self.key = kms.CfnKey(
            place,
            "Resource",
            description=description,
            enable_key_rotation=True,
            key_policy=document([administer, *statements]),  # whole at once: each write is a jsii round trip
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
        self.key.apply_removal_policy(removal_policy)
        self.key_arn = self.key.attr_arn  # read once: each read is a jsii round trip
        kms.CfnAlias(Construct(place, "Alias"), "Resource", alias_name=alias, target_key_id=self.key_arn)


def object_encryption(key: DataKey) -> Statement:
    """Lets a role read and write S3 objects encrypted with ``key``: two named actions, no wildcards."""
    return statement(actions=OBJECT_ENCRYPTION, resources=[key.key_arn])
