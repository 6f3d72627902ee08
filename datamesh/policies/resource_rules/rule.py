"""What a resource rule is, and what it sees of the mesh while it checks a resource."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from aws_cdk import CfnResource, Stack

from datamesh import naming
from datamesh.config.mesh import Mesh
from datamesh.config.models import Product

OUTSIDE_THE_MESH = "(outside the mesh)"


@dataclass(frozen=True)
class Resource:
    """One CloudFormation resource as the rules see it: resolved, then read in Python only.

    :param properties: the resolved properties, keyed by their CDK (camelCase) names.
    :param stack: construct path of the resource's stack.
    """

    node: CfnResource
    path: str
    logical_id: str
    properties: dict[str, Any]
    stack: str


@dataclass
class RuleContext:
    """The mesh, each stack's domain, and every resource of those stacks.

    Each stack's resources are resolved in one pass on first use, so that rules read plain
    dicts instead of crossing into CDK's JavaScript for every property they look up.

    :param stacks: every stack to check, with the domain it belongs to (``governance``
        for the governance stack).
    :param allow_destroy: the app was told that deleting stacks may delete data.
    """

    mesh: Mesh
    stacks: Sequence[tuple[Stack, str]]
    allow_destroy: bool = False
    _resources: dict[str, Resource] = field(default_factory=dict, repr=False)
    _by_stack: dict[str, list[Resource]] = field(default_factory=dict, repr=False)
    _stack_info: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _stack_objects: dict[str, Stack] = field(default_factory=dict, repr=False)
    _products_by_database: dict[str, tuple[str, Product]] = field(default_factory=dict, repr=False)

    def resource(self, node: CfnResource) -> Resource:
        """How the rules see ``node`` now, while an aspect visits it.

        CDK runs a node's aspects in priority order, so the mutating ones (tags) have
        already visited ``node``; its properties are read again here. Lookups of other
        resources (:meth:`resources`) see them as the stacks built them.
        """
        path = node.node.path  # the key: jsii may hand one construct over as several Python objects
        if path not in self._resources:
            for stack, domain in self.stacks:
                self._index(stack, domain)
        if path not in self._resources:  # a stack the context was not told about
            self._index(Stack.of(node), OUTSIDE_THE_MESH)
        seen = self._resources[path]
        current = self._stack_objects[seen.stack].resolve(node._cfn_properties) or {}
        return Resource(node, path, seen.logical_id, current, seen.stack)

    def _index(self, stack: Stack, domain: str) -> None:
        """Resolve the logical ids and properties of every resource of ``stack``.

        Properties are read through ``cfnProperties``: the typed L1 getters would hand Python
        some values by reference and corrupt jsii's object map (``BlockPublicAccess``). Raw
        overrides are applied later, at synthesis, and are not seen (as in cdk-nag).
        """
        nodes = [c for c in stack.node.find_all() if isinstance(c, CfnResource)]
        ids = stack.resolve([n.logical_id for n in nodes])
        properties = stack.resolve([n._cfn_properties for n in nodes])
        where = stack.node.path
        resources = [Resource(n, n.node.path, i, p or {}, where) for n, i, p in zip(nodes, ids, properties)]
        self._by_stack[where] = resources
        self._stack_info[where] = (domain, stack.account)
        self._stack_objects[where] = stack
        self._resources.update({r.path: r for r in resources})

    def domain_of(self, resource: Resource) -> str:
        return self._stack_info[resource.stack][0]

    def account_of(self, resource: Resource) -> str:
        return self._stack_info[resource.stack][1]

    def resources(self, resource: Resource, kind: type[CfnResource]) -> Iterator[Resource]:
        """Every resource of L1 type ``kind`` in the stack of ``resource``."""
        return (r for r in self._by_stack[resource.stack] if isinstance(r.node, kind))

    def product_of_database(self, database: str) -> tuple[str, Product] | None:
        """(producer domain, product) whose Glue database is named ``database``."""
        if not self._products_by_database:
            self._products_by_database.update({
                naming.database(domain.name, product.name): (domain.name, product)
                for domain in self.mesh.producers for product in domain.products
            })
        return self._products_by_database.get(database)

    @property
    def registration_role_arn(self) -> str:
        cfg = self.mesh.config
        return naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))


class ResourceRule(ABC):
    """One policy over the resources whose L1 class is in ``applies_to``.

    ``check`` returns one reason per violation (empty when compliant); the aspect turns
    each into an error naming the domain, the construct path and ``id``.
    """

    id: ClassVar[str]
    applies_to: ClassVar[tuple[type[CfnResource], ...]]

    @abstractmethod
    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        """Reasons ``resource`` violates the rule."""
