"""The tags every stack of the mesh carries, decided in one place.

``datamesh:mesh``, ``datamesh:domain``, ``datamesh:owner`` and ``datamesh:cost-centre`` say
whose a stack is; ``datamesh:confidentiality`` how confidential its data is (the stack passes
the level :mod:`datamesh.policies.classification` decides). They are stack tags, which
CloudFormation propagates to what the stack creates, and every taggable resource of the
stack carries them too: the mesh's constructs pass them to their L1 resources
(``MeshStack.resource_tags``), which costs no jsii round trip; :func:`tag_everything`
tags the resources of L2 constructs instead, as ``Tags.of`` does. The policy rule
``DataMesh::RequiredTags`` checks the templates for them.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Stack, Tags

TAG_PREFIX = "datamesh:"
CONFIDENTIALITY_TAG = f"{TAG_PREFIX}confidentiality"
GOVERNANCE_DOMAIN = "governance"  # the domain tag of the governance account's stacks
# Types whose ``Tags`` CloudFormation sets only at creation (``createOnlyProperties`` of their resource schemas):
# a changed tag replaces the resource, and these exist once per account, location or grantee, so the new one,
# made before the old one is deleted, is refused. They carry only the tags a stack keeps for its whole life.
TAGS_SET_AT_CREATION = frozenset(
    {"AWS::S3::AccessGrantsInstance", "AWS::S3::AccessGrantsLocation", "AWS::S3::AccessGrant"}
)
LIFELONG_TAGS = ("mesh", "domain")


def stack_tags(*, mesh: str, domain: str, owner: str, cost_centre: str, confidentiality: str) -> dict[str, str]:
    """The tags of a stack and of every taggable resource in it."""
    values = {
        "mesh": mesh,
        "domain": domain,
        "owner": owner,
        "cost-centre": cost_centre,
        "confidentiality": confidentiality,
    }
    return {f"{TAG_PREFIX}{key}": value for key, value in values.items()}


def lifelong(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags that never change in a stack's life, for the types in :data:`TAGS_SET_AT_CREATION`."""
    keep = {f"{TAG_PREFIX}{name}" for name in LIFELONG_TAGS}
    return {key: value for key, value in tags.items() if key in keep}


def tag_everything(stack: Stack, tags: Mapping[str, str]) -> None:
    """Tag every taggable resource in ``stack``, those L2 constructs create included (a CDK aspect per tag)."""
    applied = Tags.of(stack)
    for key, value in tags.items():
        applied.add(key, value)
