"""What a resource rule is, and what it sees of the mesh while it checks a resource."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from aws_cdk import CfnResource, Stack

from datamesh import naming
from datamesh.config.mesh import Mesh
from datamesh.config.models import Product

Resource = TypeVar("Resource", bound=CfnResource)


@dataclass
class RuleContext:
    """The mesh, which domain each stack belongs to, and lookups within a stack.

    :param stack_domains: stack construct path to the domain it belongs to
        (``governance`` for the governance stack).
    :param allow_destroy: the app was told that deleting stacks may delete data.
    """

    mesh: Mesh
    stack_domains: dict[str, str]
    allow_destroy: bool = False
    _resources: dict[str, list[CfnResource]] = field(default_factory=dict, repr=False)
    _properties: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _products_by_database: dict[str, tuple[str, Product]] = field(default_factory=dict, repr=False)

    def domain_of(self, node: CfnResource) -> str:
        return self.stack_domains.get(Stack.of(node).node.path, "(outside the mesh)")

    def properties(self, node: CfnResource) -> dict[str, Any]:
        """The resolved properties of ``node``, keyed by their CDK (camelCase) names.

        Read through ``cfnProperties``: the typed L1 getters would hand Python some
        property values by reference and corrupt jsii's object map (``BlockPublicAccess``).
        Raw overrides are applied later, at synthesis, and are not seen (as in cdk-nag).
        """
        path = node.node.path
        if path not in self._properties:
            self._properties[path] = Stack.of(node).resolve(node._cfn_properties) or {}
        return self._properties[path]

    def resources(self, node: CfnResource, kind: type[Resource]) -> Iterator[Resource]:
        """Every resource of type ``kind`` in the stack of ``node``."""
        stack = Stack.of(node)
        if stack.node.path not in self._resources:
            self._resources[stack.node.path] = [c for c in stack.node.find_all() if isinstance(c, CfnResource)]
        return (r for r in self._resources[stack.node.path] if isinstance(r, kind))

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
    """One policy over synthesized resources of the types in ``applies_to``.

    ``check`` returns one reason per violation (empty when compliant); the aspect turns
    each into an error naming the domain, the construct path and ``id``.
    """

    id: ClassVar[str]
    applies_to: ClassVar[tuple[type[CfnResource], ...]]

    @abstractmethod
    def check(self, node: Any, context: RuleContext) -> list[str]:
        """Reasons ``node`` violates the rule."""
