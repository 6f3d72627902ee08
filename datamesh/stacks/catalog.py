"""Wave 3, governance account: one producer's products in the central catalog, and grants."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh import naming
from datamesh.blueprint import PRODUCER_DATABASE_PERMISSIONS, PRODUCER_TABLE_PERMISSIONS
from datamesh.config import DomainConfig, Mesh, Permission, Share
from datamesh.config.models import Product
from datamesh.constructs.data_product import DataProductCatalogEntry
from datamesh.constructs.lake_formation import Grant, columns_resource, database_resource, table_resource
from datamesh.policies.classification import producer_level
from datamesh.stacks.base import DomainStack



class CatalogStack(DomainStack):
    """Databases, tables, LF-tags, the registered location and the grants of one producer.

    The producer account manages its own databases; each consumer whose subscription the
    producer approved gets what it asked for, with grant option so that its own Lake
    Formation admins can pass it on. ``SELECT`` leaves out columns flagged ``pii``.
    """

    def __init__(self, scope: Construct, id: str, *, mesh: Mesh, domain: DomainConfig, removal_policy: RemovalPolicy) -> None:
        cfg = mesh.config
        super().__init__(
            scope, id, mesh=mesh, domain=domain, account=cfg.governance_account, purpose="catalog and grants",
            confidentiality=producer_level(mesh, domain), removal_policy=removal_policy,
        )
        catalog = cfg.governance_account
        bucket = naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region)
        lf.CfnResource(
            self,
            "DataLocation",
            resource_arn=f"arn:aws:s3:::{bucket}",
            role_arn=naming.role_arn(catalog, naming.registration_role(cfg.name)),
            use_service_linked_role=False,
        )
        shares = mesh.granted_shares(producer=domain.name)
        domain_tag_key = naming.domain_tag_key(domain.name, len(mesh.domains))
        for product in domain.products:
            entry = DataProductCatalogEntry(
                self,
                naming.pascal(product.name.replace("_", "-")),
                catalog_id=catalog,
                domain=domain.name,
                domain_tag_key=domain_tag_key,
                product=product,
                database_name=naming.database(domain.name, product.name),
                location=f"s3://{bucket}/{product.name}/",
                removal_policy=removal_policy,
            )
            database = entry.database_ref
            Grant(
                entry,
                "ProducerDatabaseGrant",
                catalog_id=catalog,
                principal=domain.account,
                resource=database_resource(catalog, database),
                permissions=PRODUCER_DATABASE_PERMISSIONS,
                grantable=PRODUCER_DATABASE_PERMISSIONS,
            )
            producer_tables = Grant(
                entry,
                "ProducerTablesGrant",
                catalog_id=catalog,
                principal=domain.account,
                resource=table_resource(catalog, database),
                permissions=PRODUCER_TABLE_PERMISSIONS,
                grantable=PRODUCER_TABLE_PERMISSIONS,
            ).permissions
            for table in entry.tables:
                producer_tables.add_resource_dependency(table)
            for share in (s for s in shares if s.product == product.name):
                self._share(entry, product, share, mesh.domain(share.consumer).account, database)

    def _share(self, entry: DataProductCatalogEntry, product: Product, share: Share, account: str, database: str) -> None:
        catalog = self.mesh.config.governance_account
        scope = Construct(entry, f"Share{naming.pascal(share.consumer)}")
        Grant(
            scope,
            "Database",
            catalog_id=catalog,
            principal=account,
            resource=database_resource(catalog, database),
            permissions=["DESCRIBE"],
            grantable=["DESCRIBE"],
        )
        for table in product.tables_named(share.tables):
            grants = scope if table.name == product.name else Construct(scope, f"Table-{table.name}")
            name = entry.table_refs[table.name]
            if Permission.DESCRIBE in share.permissions:
                Grant(grants, "Describe", catalog_id=catalog, principal=account,
                      resource=table_resource(catalog, database, name), permissions=["DESCRIBE"], grantable=["DESCRIBE"])
            if Permission.SELECT in share.permissions:
                Grant(grants, "Select", catalog_id=catalog, principal=account,
                      resource=select_resource(catalog, database, name, table.pii_columns),
                      permissions=["SELECT"], grantable=["SELECT"])


def select_resource(catalog: str, database: str, table: str, pii_columns: list[str]) -> dict:
    """All columns of the table but the pii ones (if any).

    Always columns, never the table: a Lake Formation grant is identified by principal and
    resource, so a DESCRIBE grant on the table and a SELECT grant on the same table would be
    one identity in two CloudFormation resources (AlreadyExists; deleting one revokes both).
    """
    return columns_resource(catalog, database, table, pii_columns)
