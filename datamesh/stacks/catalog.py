"""Wave 3, governance account: one producer's products in the central catalog, and grants."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh.blueprint import Blueprint, DataFilter
from datamesh.blueprint import Grant as GrantSpec
from datamesh.blueprint import blueprint as blueprint_of
from datamesh.config import DomainConfig, Mesh
from datamesh.constructs.data_product import DataProductCatalogEntry
from datamesh.constructs.domain_alerts import DomainAlerts
from datamesh.constructs.freshness_watch import FreshnessWatch
from datamesh.constructs.lake_formation import DataCellsFilter, Grant
from datamesh.constructs.partition_crawlers import PartitionCrawlers
from datamesh.constructs.quality_evaluations import QualityEvaluations
from datamesh.names import naming
from datamesh.policies.classification import producer_level
from datamesh.stacks.base import DomainStack


def construct_id(product: str) -> str:
    """``order_lines`` -> ``OrderLines``: the construct id of a product in a stack."""
    return naming.pascal(product.replace("_", "-"))


class CatalogStack(DomainStack):
    """The blueprint's databases, tables, LF-tags, registered location and grants of one producer.

    The producer account manages its own databases; each consumer whose subscription the
    producer approved gets what it asked for, with grant option so that its own Lake
    Formation admins can pass it on (the grants are :meth:`Blueprint.grants_of`).

    :param blueprint: the mesh's blueprint; defaults to ``mesh``'s (pass the one the app
        already has: it is computed once for every stack).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mesh: Mesh,
        domain: DomainConfig,
        removal_policy: RemovalPolicy,
        blueprint: Blueprint | None = None,
    ) -> None:
        cfg = mesh.config
        super().__init__(
            scope,
            id,
            mesh=mesh,
            domain=domain,
            account=cfg.governance_account,
            purpose="catalog and grants",
            confidentiality=producer_level(mesh, domain),
            removal_policy=removal_policy,
        )
        bp = blueprint or blueprint_of(mesh)
        catalog = cfg.governance_account
        self.data_location = lf.CfnResource(
            self,
            "DataLocation",
            resource_arn=bp.data_locations[domain.name],
            role_arn=naming.role_arn(catalog, naming.registration_role(cfg.name)),
            use_service_linked_role=False,
        )
        # The producer's own grants (on each database, and on every table in it), and each consumer's, by product.
        own = {(g.product, bool(g.resource.table)): g for g in bp.producer_grants_of(domain.name)}
        shares: dict[str, dict[str, list[GrantSpec]]] = {}
        filters = {(f.consumer, f.database, f.table): f for f in bp.data_filters_of(domain.name)}
        for grant in bp.grants_of(domain.name):
            shares.setdefault(grant.product, {}).setdefault(grant.consumer, []).append(grant)
        entries: dict[str, DataProductCatalogEntry] = {}
        for database in bp.databases_of(domain.name):
            product = f"{database.domain}.{database.product}"
            entry = DataProductCatalogEntry(
                self,
                construct_id(database.product),
                catalog_id=catalog,
                database=database,
                tags=self.resource_tags,
                removal_policy=removal_policy,
            )
            Grant(entry, "ProducerDatabaseGrant", grant=own[product, False], database=entry.database_ref)
            producer_tables = Grant(
                entry, "ProducerTablesGrant", grant=own[product, True], database=entry.database_ref
            ).permissions
            for table in entry.tables:
                producer_tables.add_resource_dependency(table)
            for consumer, grants in shares.get(product, {}).items():
                self._share(entry, database.product, consumer, grants, filters)
            entries[database.product] = entry
        self._monitor(mesh, bp, domain, entries)

    def _monitor(
        self, mesh: Mesh, bp: Blueprint, domain: DomainConfig, entries: dict[str, DataProductCatalogEntry]
    ) -> None:
        """The domain's alerts topic and quality schedules; per product the quality role's grants and its freshness watch."""
        alerts = bp.alerts_of(domain.name)
        if alerts is None:
            return
        cfg = mesh.config
        notify = DomainAlerts(
            self,
            "Alerts",
            alerts=alerts,
            account=cfg.governance_account,
            region=cfg.region,
            key_alias=naming.catalog_key_alias(cfg.name),
            tags=self.resource_tags,
            standalone=cfg.organization is None,
        )
        evaluations = QualityEvaluations(
            self,
            "QualityEvaluations",
            mesh_name=cfg.name,
            alerts=alerts,
            account=cfg.governance_account,
            region=cfg.region,
            tags=self.resource_tags,
        )
        crawlers = (
            PartitionCrawlers(
                self,
                "PartitionCrawlers",
                alerts=alerts,
                scheduler_role=evaluations.scheduler_role,
                mesh_name=cfg.name,
                account=cfg.governance_account,
                region=cfg.region,
                tags=self.resource_tags,
                removal_policy=self.removal_policy,
            )
            if alerts.crawled
            else None
        )
        grants: dict[str, list[tuple[str, GrantSpec]]] = {}
        for grant in bp.quality_grants_of(domain.name):
            grants.setdefault(grant.product, []).append(("Quality", grant))
        for grant in bp.partition_grants_of(domain.name):
            if grant.resource.location:
                Grant(crawlers, "DataLocationGrant", grant=grant).node.add_dependency(crawlers.role, self.data_location)
            else:
                grants.setdefault(grant.product, []).append(("Partitions", grant))
        for watch in alerts.watches:
            entry = entries[watch.product]
            scope = Construct(entry, "Monitoring")
            for evaluation in watch.evaluations:
                if evaluation.crawler:  # its target is the table by name: the crawler waits for it
                    tables = dict(zip(entry.table_refs, entry.tables, strict=True))  # both in the tables' order
                    crawlers.crawlers[evaluation.crawler].add_dependency(tables[evaluation.table])
            for role, grant in grants.get(f"{watch.domain}.{watch.product}", []):
                table = grant.resource.table
                # The role's ARN as a name, not its token, so that the PiiWithheld rule can tell the grantee;
                # the dependency makes the grant wait for the role.
                Grant(
                    scope,
                    f"{role}-{table}" if table else f"{role}Database",
                    grant=grant,
                    database=entry.database_ref,
                    table=entry.table_refs[table] if table else None,
                ).node.add_dependency(evaluations.quality_role if role == "Quality" else crawlers.role)
            if watch.rule:
                FreshnessWatch(
                    scope,
                    "Freshness",
                    watch=watch,
                    bucket=alerts.bucket,
                    topic=notify.topic_ref,
                    tags=self.resource_tags,
                )

    @staticmethod
    def _share(
        entry: DataProductCatalogEntry,
        product: str,
        consumer: str,
        grants: list[GrantSpec],
        filters: dict[tuple[str, str, str], DataFilter],
    ) -> None:
        """One consumer's grants on one product: DESCRIBE on the database, then per table as the blueprint lists them;
        SELECT on an approval's slice of a table is a grant on the data cells filter made beside it."""
        scope = Construct(entry, f"Share{naming.pascal(consumer)}")
        tables: dict[str, Construct] = {}
        for grant in grants:
            table = grant.resource.table
            if not table:
                Grant(scope, "Database", grant=grant, database=entry.database_ref)
                continue
            if table not in tables:
                tables[table] = scope if table == product else Construct(scope, f"Table-{table}")
            made = Grant(
                tables[table], grant.on_table, grant=grant, database=entry.database_ref, table=entry.table_refs[table]
            )
            if grant.resource.data_filter:
                data_filter = DataCellsFilter(
                    tables[table],
                    "DataFilter",
                    data_filter=filters[consumer, grant.resource.database, table],
                    database=entry.database_ref,
                    table=entry.table_refs[table],
                )
                made.permissions.add_resource_dependency(data_filter.filter)
