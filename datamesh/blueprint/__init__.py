"""The blueprint of a mesh: typed specs of everything a deploy makes, computed from the validated files.

Pure Python (no CDK): the stacks render it, ``meshctl plan`` compares two of them,
``meshctl doctor`` compares one with what the accounts hold, and targeted synthesis
(``-c since=``) uses its per-stack inputs. Every physical name comes from :mod:`datamesh.names.naming`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TypeVar

from datamesh.blueprint import accounts as _accounts
from datamesh.blueprint import filters as _filters
from datamesh.blueprint import lake as _lake
from datamesh.blueprint import monitoring as _monitoring
from datamesh.blueprint import stacks as _stacks
from datamesh.blueprint.accounts import CATALOG_KEY_ACTIONS, lake_formation_admins
from datamesh.blueprint.filters import DataFilter
from datamesh.blueprint.lake import (
    CONFIDENTIALITY_TAG,
    PII_TAG,
    PRODUCER_DATABASE_PERMISSIONS,
    PRODUCER_TABLE_PERMISSIONS,
    product_location,
)
from datamesh.blueprint.monitoring import Alerts, Evaluation, Watch
from datamesh.blueprint.specs import (
    Bucket,
    Column,
    Database,
    Grant,
    Key,
    Link,
    QualityRuleset,
    Resource,
    Role,
    StackSpec,
    StorageFormat,
    Table,
    Workgroup,
)
from datamesh.config import Mesh

_T = TypeVar("_T")

__all__ = [
    "Alerts",
    "Evaluation",
    "Watch",
    "CATALOG_KEY_ACTIONS",
    "CONFIDENTIALITY_TAG",
    "PII_TAG",
    "PRODUCER_DATABASE_PERMISSIONS",
    "PRODUCER_TABLE_PERMISSIONS",
    "Blueprint",
    "Bucket",
    "Column",
    "DataFilter",
    "Database",
    "Grant",
    "Key",
    "Link",
    "QualityRuleset",
    "Resource",
    "Role",
    "StackSpec",
    "StorageFormat",
    "Table",
    "Workgroup",
    "blueprint",
    "lake_formation_admins",
    "product_location",
]


def _by_producer(items: list[_T], producer: Callable[[_T], str]) -> dict[str, list[_T]]:
    """``items`` grouped by producer, in their order: indexed once, as each of a large mesh's stacks looks up its own."""
    found: dict[str, list[_T]] = {}
    for item in items:
        found.setdefault(producer(item), []).append(item)
    return found


@dataclass(frozen=True)
class Blueprint:
    """Everything a deploy of ``mesh`` makes, with shares judged on ``today`` (None: the mesh's day)."""

    mesh: Mesh
    today: date | None = None

    @cached_property
    def stacks(self) -> list[StackSpec]:
        return _stacks.stacks(self.mesh, self.today)

    def stack(self, stack_id: str) -> StackSpec:
        return next(s for s in self.stacks if s.id == stack_id)

    @cached_property
    def accounts(self) -> dict[str, str]:
        """Every account of the mesh and what it is for."""
        return _accounts.accounts(self.mesh)

    @cached_property
    def admins(self) -> dict[str, list[str]]:
        """Lake Formation admins the mesh adds, by account."""
        return _accounts.admins(self.mesh)

    @cached_property
    def lf_tags(self) -> dict[str, list[str]]:
        return _accounts.lf_tags(self.mesh)

    @cached_property
    def keys(self) -> list[Key]:
        return _accounts.keys(self.mesh)

    @cached_property
    def buckets(self) -> list[Bucket]:
        return _accounts.buckets(self.mesh)

    @cached_property
    def roles(self) -> list[Role]:
        return _accounts.roles(self.mesh)

    @cached_property
    def workgroups(self) -> list[Workgroup]:
        return _accounts.workgroups(self.mesh)

    @cached_property
    def databases(self) -> list[Database]:
        return _lake.databases(self.mesh)

    def databases_of(self, producer: str) -> list[Database]:
        return self._databases_by_producer.get(producer, [])

    @cached_property
    def _databases_by_producer(self) -> dict[str, list[Database]]:
        return _by_producer(self.databases, lambda db: db.domain)

    @cached_property
    def data_locations(self) -> dict[str, str]:
        """Registered data location (bucket ARN) of each producer, by domain."""
        return _lake.data_locations(self.mesh)

    @cached_property
    def producer_grants(self) -> list[Grant]:
        return _lake.producer_grants(self.mesh)

    def producer_grants_of(self, producer: str) -> list[Grant]:
        """The grants a producer's Catalog stack makes to the producer's own account."""
        return self._producer_grants_by_producer.get(producer, [])

    @cached_property
    def _producer_grants_by_producer(self) -> dict[str, list[Grant]]:
        return _by_producer(self.producer_grants, lambda g: g.product.split(".")[0])

    @cached_property
    def grants(self) -> list[Grant]:
        """The governance catalog's grants to consumer accounts, for every granted share."""
        return _lake.grants(self.mesh, self.today)

    def grants_of(self, producer: str) -> list[Grant]:
        """The grants a producer's Catalog stack makes to consumer accounts, in share order."""
        return _lake.grants(self.mesh, self.today, producer=producer)

    def analyst_grants(self, consumer: str) -> list[Grant]:
        """The grants ``consumer``'s Access stack makes to its analyst role, in share order."""
        return _lake.analyst_grants(self.mesh, consumer, self.today)

    def principal_grants(self, consumer: str) -> list[Grant]:
        """The grants ``consumer``'s Access stack makes to each of its principals, in share order."""
        return _lake.principal_grants(self.mesh, consumer, self.today)

    @cached_property
    def data_filters(self) -> list[DataFilter]:
        """The governance catalog's data cells filters, one per filtered share and table."""
        return _filters.data_filters(self.mesh, self.today)

    def data_filters_of(self, producer: str) -> list[DataFilter]:
        """The data cells filters a producer's Catalog stack makes."""
        return _filters.data_filters(self.mesh, self.today, producer=producer)

    @cached_property
    def alerts(self) -> list[Alerts]:
        """Each producing domain's monitoring: topic, schedules, freshness rules and alarms."""
        return _monitoring.every_alerts(self.mesh)

    def alerts_of(self, producer: str) -> Alerts | None:
        return next((a for a in self.alerts if a.domain == producer), None)

    def quality_grants_of(self, producer: str) -> list[Grant]:
        """The grants a producer's Catalog stack makes to the domain's quality role, product by product."""
        alerts = self.alerts_of(producer)
        return [g for w in (alerts.watches if alerts else ()) for g in _monitoring.quality_grants(self.mesh, w)]

    def partition_grants_of(self, producer: str) -> list[Grant]:
        """The grants a producer's Catalog stack makes to the domain's partitions role, product by product, then
        the one on its data location."""
        alerts = self.alerts_of(producer)
        if alerts is None:
            return []
        location = _monitoring.location_grant(self.mesh, alerts)
        return [
            *(g for w in alerts.watches for g in _monitoring.partition_grants(self.mesh, w)),
            *([location] if location else []),
        ]

    @cached_property
    def resource_links(self) -> list[Link]:
        return _lake.resource_links(self.mesh, self.today)

    def resource_links_of(self, consumer: str) -> list[Link]:
        return _lake.resource_links(self.mesh, self.today, consumer=consumer)


def blueprint(mesh: Mesh, today: date | None = None) -> Blueprint:
    """The blueprint of ``mesh`` with its shares as on ``today`` (default: the mesh's day, else the current date)."""
    return Blueprint(mesh, today)
