"""The tags every stack of the mesh carries, applied in one place.

``datamesh:mesh``, ``datamesh:domain``, ``datamesh:owner`` and ``datamesh:cost-centre`` say
whose a stack is; ``datamesh:confidentiality`` how confidential its data is (the stack passes
the level :mod:`datamesh.policies.classification` decides). They are stack tags: CDK puts them
on every taggable resource, and CloudFormation propagates them to what the stack creates.
"""

from __future__ import annotations

from aws_cdk import Stack, Tags

TAG_PREFIX = "datamesh:"
CONFIDENTIALITY_TAG = f"{TAG_PREFIX}confidentiality"
GOVERNANCE_DOMAIN = "governance"  # the domain tag of the governance account's stacks


def tag_stack(stack: Stack, *, mesh: str, domain: str, owner: str, cost_centre: str, confidentiality: str) -> None:
    """Tag ``stack`` and everything in it with the mesh's tags."""
    tags = Tags.of(stack)
    values = {"mesh": mesh, "domain": domain, "owner": owner, "cost-centre": cost_centre,
              "confidentiality": confidentiality}
    for key, value in values.items():
        tags.add(f"{TAG_PREFIX}{key}", value)
