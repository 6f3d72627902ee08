"""A customer-managed key and an access-log bucket, for the secure buckets encrypted with the key that log to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import RemovalPolicy
from constructs import Construct

from datamesh.constructs.data_key import DataKey
from datamesh.constructs.policy_document import Statement
from datamesh.constructs.secure_bucket import SecureBucket


class LoggedStorage:
    """The key (:class:`DataKey`) and the access-log bucket (:class:`SecureBucket`) of a stack's encrypted buckets.

    Not a construct of its own: the key and the log bucket are children of ``scope`` with the ids
    given, and each bucket (``bucket_settings``) a child of the scope its caller gives, so their construct
    paths, and with them their logical ids, are those of constructs built one by one (a construct
    around them would put its id into every path).

    :param account: the stack's account.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    :param key_id: construct id of the key.
    :param key_alias: alias name of the key, e.g. ``alias/mesh/sales/data``.
    :param key_description: what the key protects.
    :param logs_id: construct id of the access-log bucket.
    :param logs_bucket_name: physical name of the access-log bucket.
    :param key_statements: more statements of the key policy; defaults to none.
    :param removal_policy: of the key and the buckets; defaults to ``RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        *,
        account: str,
        tags: Mapping[str, str],
        key_id: str,
        key_alias: str,
        key_description: str,
        logs_id: str,
        logs_bucket_name: str,
        key_statements: Sequence[Statement] = (),
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        self._account, self._tags, self._removal_policy = account, tags, removal_policy
        self.key = DataKey(
            scope,
            key_id,
            account=account,
            alias=key_alias,
            description=key_description,
            tags=tags,
            statements=key_statements,
            removal_policy=removal_policy,
        )
        self.logs = SecureBucket(
            scope, logs_id, account=account, bucket_name=logs_bucket_name, tags=tags, removal_policy=removal_policy
        )

    @property
    def bucket_settings(self) -> dict[str, Any]:
        """What makes a :class:`SecureBucket` one of this storage's: its account, tags, removal policy, the key
        that encrypts it and the log bucket its access logs go to, as keyword arguments:
        ``SecureBucket(scope, id, bucket_name=..., **storage.bucket_settings)``."""
        return {
            "account": self._account,
            "tags": self._tags,
            "encryption_key": self.key,
            "access_logs": self.logs,
            "removal_policy": self._removal_policy,
        }
