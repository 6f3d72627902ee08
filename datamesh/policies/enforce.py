"""Hooks the mesh's policies into a CDK app: tags, the policy plugin, cdk-nag and its acknowledgements."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from aws_cdk import App, Tags, Validations
from cdk_nag import AwsSolutionsChecks

from datamesh.config.mesh import Mesh
from datamesh.policies import acknowledgements, classification
from datamesh.policies.plugin import MeshPolicyPlugin
from datamesh.policies.resource_rules import RULES, RuleContext
from datamesh.policies.resource_rules.required_tags import TAG_PREFIX

if TYPE_CHECKING:
    from datamesh.mesh_app import MeshStacks

CONFIDENTIALITY_TAG = f"{TAG_PREFIX}confidentiality"
GOVERNANCE_DOMAIN = "governance"


def enforce(app: App, mesh: Mesh, stacks: MeshStacks, *, allow_destroy: bool) -> None:
    """Make every violation of a mesh policy or of cdk-nag's AwsSolutions pack fail synthesis."""
    _tag_confidentiality(mesh, stacks)
    context = RuleContext(mesh, allow_destroy=allow_destroy)
    Validations.of(app).add_plugins(MeshPolicyPlugin(RULES, context, _stack_domains(stacks)), AwsSolutionsChecks(app))
    _acknowledge(mesh, stacks)


def _stack_domains(stacks: MeshStacks) -> dict[str, str]:
    """The domain of each stack, by construct path."""
    domains = {stacks.governance.node.path: GOVERNANCE_DOMAIN} if stacks.governance is not None else {}
    for kind in (stacks.storage, stacks.catalog, stacks.access):
        domains.update({stack.node.path: domain for domain, stack in kind.items()})
    return domains


def _tag_confidentiality(mesh: Mesh, stacks: MeshStacks) -> None:
    """Each stack's level: see :mod:`datamesh.policies.classification`."""
    if stacks.governance is not None:
        Tags.of(stacks.governance).add(CONFIDENTIALITY_TAG, classification.governance_level(mesh))
    for kind in (stacks.storage, stacks.catalog):
        for domain, stack in kind.items():
            Tags.of(stack).add(CONFIDENTIALITY_TAG, classification.producer_level(mesh, mesh.domain(domain)))
    for domain, stack in stacks.access.items():
        Tags.of(stack).add(CONFIDENTIALITY_TAG, classification.consumer_level(mesh, mesh.domain(domain)))


def _acknowledge(mesh: Mesh, stacks: MeshStacks) -> None:
    if stacks.governance is not None:
        acknowledgements.governance(mesh, stacks.governance.registration_role)
    for domain, stack in stacks.storage.items():
        acknowledgements.storage(stack.producer_role, stack.bucket, [p.name for p in mesh.domain(domain).products])
    for domain, stack in stacks.access.items():
        acknowledgements.access(mesh, stack.analyst_role, stack.node.find_child("Queries"),
                                has_subscriptions=bool(mesh.granted_shares(consumer=domain)))


@contextmanager
def exit_on_policy_violations() -> Iterator[None]:
    """Exit 1 without a traceback when synthesis fails validation (the report is already on stderr)."""
    try:
        yield
    except RuntimeError as error:
        if not str(error).startswith("ValidationFailed"):
            raise
        print(f"error: synthesis failed: the mesh violates its policies (report above). {error}", file=sys.stderr)
        sys.exit(1)
