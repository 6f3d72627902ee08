"""What the parameter files declare: the stacks, accounts, catalog entries and grants a deploy makes.

Derived from the models alone (no CDK synth), for ``meshctl plan`` to compare two versions
of the files and for ``meshctl doctor`` to compare the files with the accounts. Every
physical name comes from :mod:`datamesh.naming`; stack ids follow
:func:`datamesh.mesh_app.build_mesh` (a test keeps the two in step).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from datamesh import naming
from datamesh.config import Mesh, Permission, Share
from datamesh.policies import classification

_SETTINGS_EVERY_STACK_READS = {"name", "region", "governance_account"}


@dataclass(frozen=True)
class Stack:
    id: str
    kind: str
    account: str
    domain: str
    inputs: str  # what the stack is built from, to tell whether a change touches it


@dataclass(frozen=True, order=True)
class Resource:
    """A Lake Formation resource: a database, a table (``*``: all), all columns but some, or some columns."""

    database: str
    table: str = ""
    excluded_columns: tuple[str, ...] = ()
    only_columns: tuple[str, ...] = ()

    def api(self, catalog: str) -> dict[str, Any]:
        """The shape Lake Formation's API takes and returns."""
        if not self.table:
            return {"Database": {"CatalogId": catalog, "Name": self.database}}
        if self.excluded_columns:
            return {"TableWithColumns": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table,
                                         "ColumnWildcard": {"ExcludedColumnNames": list(self.excluded_columns)}}}
        return {"Table": {"CatalogId": catalog, "DatabaseName": self.database, "Name": self.table}}

    @classmethod
    def from_api(cls, resource: dict[str, Any]) -> Resource | None:
        """The resource of a ``list_permissions`` entry; None for kinds the mesh does not grant."""
        if "Database" in resource:
            return cls(resource["Database"]["Name"])
        if "Table" in resource:
            table = resource["Table"]
            return cls(table["DatabaseName"], table.get("Name") or "*")
        if "TableWithColumns" in resource:
            spec = resource["TableWithColumns"]
            if "ColumnWildcard" not in spec:
                return cls(spec["DatabaseName"], spec["Name"], only_columns=tuple(sorted(spec.get("ColumnNames", []))))
            excluded = spec["ColumnWildcard"].get("ExcludedColumnNames", [])
            return cls(spec["DatabaseName"], spec["Name"], tuple(sorted(excluded)))
        return None

    def __str__(self) -> str:
        if not self.table:
            return f"database {self.database}"
        if self.excluded_columns:
            return f"table {self.database}.{self.table} (all columns but {', '.join(self.excluded_columns)})"
        if self.only_columns:
            return f"table {self.database}.{self.table} (columns {', '.join(self.only_columns)})"
        return f"table {self.database}.{self.table}"


@dataclass(frozen=True, order=True)
class Grant:
    """Permissions a granted share needs: the governance catalog's to the consumer account (all
    with grant option, :func:`grants`), or the consumer catalog's to its analyst role (none with
    grant option, :func:`analyst_grants`)."""

    consumer: str
    product: str  # <producer>.<product>
    principal: str
    resource: Resource
    permissions: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.consumer} ({self.principal}): {', '.join(self.permissions)} on {self.resource}"


@dataclass(frozen=True, order=True)
class Link:
    """A resource link in a consumer's catalog to a product's database in the governance catalog."""

    consumer: str
    account: str
    name: str
    target_catalog: str
    target_database: str


@dataclass(frozen=True)
class Table:
    name: str
    location: str
    columns: tuple[tuple[str, str], ...]
    partition_keys: tuple[tuple[str, str], ...]
    pii_columns: tuple[str, ...] = dataclasses.field(default=(), compare=False)  # tagged pii=true in the catalog


@dataclass(frozen=True)
class Database:
    """A product's database and its tables in the governance catalog."""

    domain: str
    product: str
    name: str
    location: str
    lf_tags: tuple[tuple[str, str], ...]
    tables: tuple[Table, ...]


def _digest(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, default=str)


def _share_inputs(mesh: Mesh, share: Share) -> dict[str, Any]:
    product = mesh.product(share.producer, share.product)
    return {
        "consumer": share.consumer, "account": mesh.domain(share.consumer).account,
        "product": f"{share.producer}.{share.product}", "permissions": sorted(p.value for p in share.permissions),
        "pii": product.pii_columns, "tables": [t.name for t in product.tables_named(share.tables)],
    }


def stacks(mesh: Mesh, today: date | None = None) -> list[Stack]:
    """The stacks :func:`datamesh.mesh_app.build_mesh` makes, in deploy-wave order, with the inputs each reads.

    Every resource of a stack carries its confidentiality tag (:mod:`datamesh.policies.classification`),
    so the level is an input of each; tests/meshctl/test_plan_against_templates.py checks the inputs
    against synthesized templates.
    """
    cfg = mesh.config
    settings = cfg.model_dump(mode="json", include=_SETTINGS_EVERY_STACK_READS)
    admins = cfg.lake_formation.model_dump(mode="json")  # read by the one stack per account that sets its admins
    granted = mesh.granted_shares(today=today)
    result = [Stack("Governance", "governance", cfg.governance_account, "",
                    _digest(settings, admins, cfg.taxonomy.model_dump(mode="json"),
                            [(d.name, d.account) for d in mesh.domains]))]
    for domain in mesh.producers:
        result.append(Stack(f"{naming.pascal(domain.name)}-Storage", "storage", domain.account, domain.name,
                            _digest(settings, admins, domain.account, domain.owner.model_dump(mode="json"),
                                    [p.name for p in domain.products], classification.producer_level(mesh, domain))))
    for domain in mesh.producers:
        products = [[p.model_dump(mode="json", exclude={"shared_with", "decisions"}),
                     [(t.name, t.folder, [c.model_dump(mode="json") for c in (*t.columns, *t.partition_keys)])
                      for t in p.tables]] for p in domain.products]
        result.append(Stack(f"{naming.pascal(domain.name)}-Catalog", "catalog", cfg.governance_account, domain.name,
                            _digest(settings, domain.account, domain.owner.model_dump(mode="json"), products,
                                    [_share_inputs(mesh, s) for s in granted if s.producer == domain.name])))
    for domain in mesh.consumers:
        result.append(Stack(f"{naming.pascal(domain.name)}-Access", "access", domain.account, domain.name,
                            _digest(settings, None if domain.is_producer else admins, domain.account,
                                    domain.owner.model_dump(mode="json"),
                                    [_share_inputs(mesh, s) for s in granted if s.consumer == domain.name],
                                    classification.consumer_level(mesh, domain))))
    return result


def stack_name(mesh: Mesh, stack: Stack) -> str:
    """The CloudFormation stack name (see :class:`datamesh.stacks.base.MeshStack`)."""
    return f"{mesh.config.name}-{stack.id}"


def accounts(mesh: Mesh) -> dict[str, str]:
    """Every account of the mesh and what it is for."""
    result = {mesh.config.governance_account: "governance"}
    for domain in mesh.domains:
        roles = [r for r, on in (("producer", domain.is_producer), ("consumer", domain.is_consumer)) if on]
        result[domain.account] = f"{domain.name} ({', '.join(roles)})"
    return result


def databases(mesh: Mesh) -> list[Database]:
    cfg = mesh.config
    result = []
    for domain in mesh.producers:
        bucket = naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region)
        for product in domain.products:
            location = f"s3://{bucket}/{product.name}/"
            tables = tuple(Table(t.name, location + t.folder, tuple((c.name, c.type) for c in t.columns),
                                 tuple((c.name, c.type) for c in t.partition_keys), tuple(t.pii_columns))
                           for t in product.tables)
            result.append(Database(domain.name, product.name, naming.database(domain.name, product.name), location,
                                   (("confidentiality", product.confidentiality),
                                    (naming.domain_tag_key(domain.name, len(mesh.domains)), domain.name)), tables))
    return result


def data_locations(mesh: Mesh) -> dict[str, str]:
    """Registered data location (bucket ARN) of each producer, by domain."""
    cfg = mesh.config
    return {d.name: f"arn:aws:s3:::{naming.data_bucket(cfg.name, d.name, d.account, cfg.region)}" for d in mesh.producers}


def _share_grants(mesh: Mesh, share: Share, principal: str) -> list[Grant]:
    """DESCRIBE on the database (or the resource link of that name), and on each table the share
    covers DESCRIBE, and SELECT on the table or on all its columns but the pii ones, as ``share`` asks."""
    product = mesh.product(share.producer, share.product)
    database = naming.database(share.producer, share.product)
    reference = f"{share.producer}.{share.product}"

    def grant(resource: Resource, permission: str) -> Grant:
        return Grant(share.consumer, reference, principal, resource, (permission,))

    result = [grant(Resource(database), "DESCRIBE")]
    for table in product.tables_named(share.tables):
        if Permission.DESCRIBE in share.permissions:
            result.append(grant(Resource(database, table.name), "DESCRIBE"))
        if Permission.SELECT in share.permissions:
            result.append(grant(Resource(database, table.name, tuple(sorted(table.pii_columns))), "SELECT"))
    return result


def grants(mesh: Mesh, today: date | None = None) -> list[Grant]:
    """The catalog stacks' grants to consumer accounts, one per resource, for every granted share."""
    return sorted(g for share in mesh.granted_shares(today=today)
                  for g in _share_grants(mesh, share, mesh.domain(share.consumer).account))


def analyst_grants(mesh: Mesh, consumer: str, today: date | None = None) -> list[Grant]:
    """The access stack's grants to ``consumer``'s analyst role in its own catalog, one per resource
    and granted share: DESCRIBE on the resource link (named like the database), the rest on the
    governance catalog's table. None with grant option."""
    cfg = mesh.config
    analyst = naming.role_arn(mesh.domain(consumer).account, naming.analyst_role(cfg.name, consumer))
    return sorted(g for share in mesh.granted_shares(consumer=consumer, today=today)
                  for g in _share_grants(mesh, share, analyst))


def resource_links(mesh: Mesh, today: date | None = None) -> list[Link]:
    governance = mesh.config.governance_account
    return sorted(
        Link(s.consumer, mesh.domain(s.consumer).account, naming.database(s.producer, s.product), governance,
             naming.database(s.producer, s.product))
        for s in mesh.granted_shares(today=today)
    )
