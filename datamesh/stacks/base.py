"""What every stack of the mesh shares: its account, its name and its tags."""

from __future__ import annotations

from aws_cdk import Environment, RemovalPolicy, Stack
from constructs import Construct

from datamesh.annotations.tagging import stack_tags
from datamesh.config import DomainConfig, Mesh


class MeshStack(Stack):
    """A stack in one account of the mesh, tagged with the mesh, domain, owner and confidentiality.

    The tags are the stack's; its constructs pass ``resource_tags`` to every taggable resource.

    :param mesh: the validated mesh.
    :param account: account the stack deploys into.
    :param domain: domain tag value (``governance`` for the governance account).
    :param owner: owner tag value (an e-mail).
    :param cost_centre: cost-centre tag value.
    :param confidentiality: confidentiality tag value (see :mod:`datamesh.policies.classification`).
    :param removal_policy: for stateful resources; ``RETAIN`` unless the app was told
        that destroying data is allowed.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mesh: Mesh,
        account: str,
        domain: str,
        owner: str,
        cost_centre: str,
        confidentiality: str,
        description: str,
        removal_policy: RemovalPolicy,
    ) -> None:
        tags = stack_tags(
            mesh=mesh.config.name, domain=domain, owner=owner, cost_centre=cost_centre, confidentiality=confidentiality
        )
        super().__init__(
            scope,
            id,
            stack_name=f"{mesh.config.name}-{id}",
            description=description,
            env=Environment(account=account, region=mesh.config.region),
            tags=tags,
        )
        self.mesh = mesh
        self.mesh_account = account  # as given: reading ``self.account`` back is a jsii round trip
        self.removal_policy = removal_policy
        self.resource_tags = tags


class DomainStack(MeshStack):
    """A stack built for one domain, tagged with its name, owner and cost centre.

    :param domain: the domain's parameter file.
    :param account: account the stack deploys into (the domain's own, or governance).
    :param purpose: what the stack holds, for its description.
    :param confidentiality: the stack's level (see :mod:`datamesh.policies.classification`).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mesh: Mesh,
        domain: DomainConfig,
        account: str,
        purpose: str,
        confidentiality: str,
        removal_policy: RemovalPolicy,
    ) -> None:
        super().__init__(
            scope,
            id,
            mesh=mesh,
            account=account,
            domain=domain.name,
            owner=domain.owner.email,
            cost_centre=domain.owner.cost_centre,
            confidentiality=confidentiality,
            description=f"Data mesh {mesh.config.name}: {purpose} of domain {domain.name}",
            removal_policy=removal_policy,
        )
        self.domain = domain
