"""What a resource rule is, and what it sees of the mesh: synthesized templates, read in Python."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from datamesh.config.mesh import Mesh
from datamesh.config.models import Product
from datamesh.names import naming

LOGICAL_ID_METADATA = "aws:cdk:logicalId"


@dataclass(frozen=True)
class Resource:
    """One resource of a synthesized template.

    :param properties: its ``Properties``, as CloudFormation reads them (PascalCase keys).
    :param path: its construct path, as errors name it.
    """

    logical_id: str
    type: str
    properties: dict[str, Any]
    path: str
    deletion_policy: str | None
    update_replace_policy: str | None
    stack: StackTemplate = field(repr=False, compare=False)


@dataclass
class StackTemplate:
    """One synthesized stack: where its template is, whose it is, and its resources."""

    path: str
    template_file: Path
    domain: str
    account: str
    resources: list[Resource] = field(default_factory=list)

    @classmethod
    def read(cls, template_file: Path, *, path: str, domain: str, account: str) -> StackTemplate:
        """Read the template and, beside it, the stack's metadata file for the construct paths.

        ``<stack>.metadata.json`` is written with ``manifest.json`` before validation plugins
        run; it maps each construct path to the logical id of its resource.
        """
        stack = cls(path, template_file, domain, account)
        template = json.loads(template_file.read_text(encoding="utf-8"))
        paths = _paths_by_logical_id(template_file)
        for logical_id, body in (template.get("Resources") or {}).items():
            stack.resources.append(
                Resource(
                    logical_id,
                    body["Type"],
                    body.get("Properties") or {},
                    paths.get(logical_id, f"{path}/{logical_id}"),
                    body.get("DeletionPolicy"),
                    body.get("UpdateReplacePolicy"),
                    stack,
                )
            )
        return stack

    def of_type(self, *types: str) -> Iterator[Resource]:
        return (r for r in self.resources if r.type in types)


def _paths_by_logical_id(template_file: Path) -> dict[str, str]:
    metadata_file = template_file.with_name(template_file.name.replace(".template.json", ".metadata.json"))
    if not metadata_file.exists():
        return {}
    entries = json.loads(metadata_file.read_text(encoding="utf-8"))
    return {
        e["data"]: path.lstrip("/")
        for path, items in entries.items()
        for e in items
        if e["type"] == LOGICAL_ID_METADATA
    }


@dataclass
class RuleContext:
    """The mesh the templates were built from.

    :param allow_destroy: the app was told that deleting stacks may delete data.
    """

    mesh: Mesh
    allow_destroy: bool = False
    _products_by_database: dict[str, tuple[str, Product]] = field(default_factory=dict, repr=False)

    def product_of_database(self, database: str) -> tuple[str, Product] | None:
        """(producer domain, product) whose Glue database is named ``database``."""
        if not self._products_by_database:
            self._products_by_database.update(
                {
                    naming.database(domain.name, product.name): (domain.name, product)
                    for domain in self.mesh.producers
                    for product in domain.products
                }
            )
        return self._products_by_database.get(database)

    @property
    def registration_role_arn(self) -> str:
        cfg = self.mesh.config
        return naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))


class ResourceRule(ABC):
    """One policy over the resources whose CloudFormation type is in ``applies_to``.

    ``applies_to`` empty means every resource. ``check`` returns one reason per violation
    (empty when compliant); the plugin reports each with the domain, the construct path and ``id``.
    """

    id: ClassVar[str]
    applies_to: ClassVar[tuple[str, ...]]

    def applies(self, resource: Resource) -> bool:
        return not self.applies_to or resource.type in self.applies_to

    @abstractmethod
    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        """Reasons ``resource`` violates the rule."""
