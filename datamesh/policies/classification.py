"""Confidentiality levels: their order, and the level each stack of the mesh is tagged with."""

from __future__ import annotations

from collections.abc import Iterable

from datamesh.config.mesh import Mesh
from datamesh.config.models import DomainConfig, MeshConfig


def rank(config: MeshConfig, level: str) -> int:
    """Position of ``level`` in the taxonomy: higher is more confidential."""
    return config.taxonomy.confidentiality.index(level)


def highest(config: MeshConfig, levels: Iterable[str]) -> str:
    """The most confidential of ``levels``; the taxonomy's lowest level when there are none."""
    return max(levels, key=lambda level: rank(config, level), default=config.taxonomy.confidentiality[0])


def governance_level(mesh: Mesh) -> str:
    """The governance account's catalog describes every product: the taxonomy's top level."""
    return mesh.config.taxonomy.confidentiality[-1]


def producer_level(mesh: Mesh, domain: DomainConfig) -> str:
    """Storage and catalog of a producer hold its products: the highest of their levels."""
    return highest(mesh.config, (p.confidentiality for p in domain.products))


def consumer_level(mesh: Mesh, domain: DomainConfig) -> str:
    """A consumer's query results derive from its granted products: the highest of their levels."""
    shares = mesh.granted_shares(consumer=domain.name)
    return highest(mesh.config, (mesh.product(s.producer, s.product).confidentiality for s in shares))
