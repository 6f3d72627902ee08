"""What the parameter rules see, and their shape: the loader is given the rules, it does not know them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from datamesh.config.errors import Problem
from datamesh.config.models import DomainConfig, MeshConfig, Product


@dataclass(frozen=True)
class ParameterFiles:
    """The parsed files, named as the user would type them."""

    mesh_file: str
    config: MeshConfig
    domains: tuple[tuple[str, DomainConfig], ...]
    """(file, domain) for every domain file that parsed."""

    def products(self) -> Iterator[tuple[str, str, Product]]:
        """(file, field, product) for every product whose level is in the taxonomy."""
        levels = self.config.taxonomy.confidentiality
        for file, domain in self.domains:
            for i, product in enumerate(domain.products):
                if product.confidentiality in levels:
                    yield file, f"products[{i}]", product


ParameterRules = Callable[[ParameterFiles], list[Problem]]
"""Checks of the parsed files beyond their schema, such as :func:`datamesh.policies.parameter_rules.parameter_problems`."""
