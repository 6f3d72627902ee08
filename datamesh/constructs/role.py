"""An IAM role and its default policy, as ``aws_iam.Role`` writes them, from L1 resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property

from aws_cdk import CfnTag
from aws_cdk import aws_iam as iam
from constructs import Construct

from datamesh.constructs.policy_document import Statement, document, trust


class MeshRole(Construct):
    """A role whose statements go to one inline policy, ``DefaultPolicy``, created with the first.

    The role sits at ``<id>/Resource`` and its policy at ``<id>/DefaultPolicy/Resource``, where
    ``aws_iam.Role`` put them (construct paths are logical ids); the policy is named by its
    logical id as the L2 names it. cdk-nag's findings on the policy are acknowledged on this
    construct (:func:`datamesh.annotations.acknowledgements.acknowledge`).

    :param role_name: physical name.
    :param assumed_by: the trust policy's principal (``{"AWS": arn}``, ``{"Service": name}``).
    :param trust_actions: what the principal may do on the role. Defaults to ``sts:AssumeRole`` alone.
    :param description: what the role is for.
    :param tags: the stack's tags (``MeshStack.resource_tags``).

    ``role_arn`` is the role's ``Arn`` token.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role_name: str,
        assumed_by: Mapping[str, str],
        description: str,
        tags: Mapping[str, str],
        trust_actions: Sequence[str] = ("sts:AssumeRole",),
    ) -> None:
        super().__init__(scope, id)
        self.role = iam.CfnRole(
            self,
            "Resource",
            assume_role_policy_document=trust(assumed_by, trust_actions),
            description=description,
            role_name=role_name,
            tags=[CfnTag(key=k, value=v) for k, v in tags.items()],
        )
        self._statements: list[Statement] = []
        self._policy: iam.CfnPolicy | None = None

    @cached_property
    def role_arn(self) -> str:
        """Read once, and only where used: each read is a jsii round trip."""
        return self.role.attr_arn

    def add_to_policy(self, *statements: Statement) -> None:
        """Add ``statements`` (from :mod:`datamesh.constructs.policy_document`) to the role's default policy."""
        self._statements += statements
        if self._policy is not None:
            self._policy.policy_document = document(self._statements)
            return
        self._policy = iam.CfnPolicy(
            Construct(self, "DefaultPolicy"),
            "Resource",
            policy_name="DefaultPolicy",
            policy_document=document(self._statements),
            roles=[self.role.ref],
        )
        # Named by its logical id, as the L2 names it; the id is known once the resource exists.
        self._policy.policy_name = self._policy.logical_id
