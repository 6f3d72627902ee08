"""A data product's entry in the central catalog: database, table and LF-tags."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh import naming
from datamesh.blueprint.catalog import FORMATS, contract_parameters
from datamesh.config.models import Column, Product, ProductTable
from datamesh.contracts import dqdl
from datamesh.contracts.projection import projection_parameters

def _glue_columns(columns: list[Column]) -> list[glue.CfnTable.ColumnProperty]:
    return [glue.CfnTable.ColumnProperty(name=c.name, type=c.type, comment=c.description or None) for c in columns]


class DataProductCatalogEntry(Construct):
    """Glue database (retained) and the tables of one product, tagged for Lake Formation.

    The database carries the domain's LF-tag (see :func:`datamesh.naming.domain_tag_key`)
    and ``confidentiality`` (its tables inherit them); columns flagged ``pii`` carry
    ``pii=true``. Each table has its own Glue Data Quality ruleset when its contract
    states rules. The table named after the product sits where a single-table product's
    table always did (construct ``Table``); every other table under ``Table-<name>``.

    :param catalog_id: governance account id (the central catalog).
    :param database_name: derived name, see :mod:`datamesh.naming`.
    :param location: ``s3://`` URI of the product's prefix in the producer's bucket, ending in ``/``;
        a partitioned table is projected by Athena over ``<location><key>=<value>/``.
    :param domain_tag_key: the LF-tag key of the domain's value; defaults to ``domain``
        (a mesh of at most 50 domains).
    :param removal_policy: of the database and its tables; defaults to ``RETAIN``.

    ``database_ref``, ``table_refs`` (by table name) and ``table_ref`` (the first table's) are
    the resources' ``Ref`` (names as tokens), read once: each read of ``.ref`` is a round trip to jsii.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        catalog_id: str,
        domain: str,
        product: Product,
        database_name: str,
        location: str,
        domain_tag_key: str = "domain",
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=catalog_id,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=database_name,
                description=product.description,
                location_uri=location,
                parameters={"datamesh:domain": domain, "datamesh:product": product.name},
            ),
        )
        self.database.apply_removal_policy(removal_policy)
        self.database_ref = self.database.ref
        self.database_name = database_name
        lf.CfnTagAssociation(
            self,
            "DatabaseTags",
            lf_tags=[
                lf.CfnTagAssociation.LFTagPairProperty(catalog_id=catalog_id, tag_key=domain_tag_key, tag_values=[domain]),
                lf.CfnTagAssociation.LFTagPairProperty(
                    catalog_id=catalog_id, tag_key="confidentiality", tag_values=[product.confidentiality]
                ),
            ],
            resource={"database": {"catalogId": catalog_id, "name": self.database_ref}},
        )
        self.tables: list[glue.CfnTable] = []
        self.table_refs: dict[str, str] = {}
        for table in product.tables:
            # The table named after its product keeps a single-table product's construct path.
            scope = self if table.name == product.name else Construct(self, f"Table-{table.name}")
            resource = self._table(scope, catalog_id, domain, product, table, location + table.folder)
            resource.apply_removal_policy(removal_policy)
            self.tables.append(resource)
            self.table_refs[table.name] = resource.ref
        self.table = self.tables[0]
        self.table_ref = self.table_refs[product.tables[0].name]

    def _table(self, scope: Construct, catalog_id: str, domain: str, product: Product, table: ProductTable,
               location: str) -> glue.CfnTable:
        """One table with its column tags and quality rules, in ``scope``."""
        storage = FORMATS[product.format]
        resource = glue.CfnTable(
            scope,
            "Table",
            catalog_id=catalog_id,
            database_name=self.database_ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=table.name,
                description=table.description,
                table_type="EXTERNAL_TABLE",
                parameters={
                    "classification": product.format.value,
                    "datamesh:confidentiality": product.confidentiality,
                    **contract_parameters(product),
                    **projection_parameters(table, location),
                },
                partition_keys=_glue_columns(table.partition_keys) or None,
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    columns=_glue_columns(table.columns),
                    location=location,
                    input_format=storage.input_format,
                    output_format=storage.output_format,
                    serde_info=glue.CfnTable.SerdeInfoProperty(
                        serialization_library=storage.serde, parameters=dict(storage.serde_parameters) or None
                    ),
                ),
            ),
        )
        name = resource.ref
        self._column_levels(scope, catalog_id, product.confidentiality, table, name)
        self._quality_rules(scope, domain, product, table, name)
        if table.pii_columns:
            lf.CfnTagAssociation(
                scope,
                "PiiColumnTags",
                lf_tags=[lf.CfnTagAssociation.LFTagPairProperty(catalog_id=catalog_id, tag_key="pii", tag_values=["true"])],
                resource={
                    "tableWithColumns": {
                        "catalogId": catalog_id,
                        "databaseName": self.database_ref,
                        "name": name,
                        "columnNames": table.pii_columns,
                    }
                },
            )
        return resource

    def _column_levels(self, scope: Construct, catalog_id: str, confidentiality: str, table: ProductTable,
                       name: str) -> None:
        """Columns classified differently from their product carry their own confidentiality tag."""
        levels: dict[str, list[str]] = {}
        for column in [*table.columns, *table.partition_keys]:
            if column.confidentiality and column.confidentiality != confidentiality:
                levels.setdefault(column.confidentiality, []).append(column.name)
        for level, columns in sorted(levels.items()):
            lf.CfnTagAssociation(
                scope,
                f"Confidentiality{level.capitalize()}ColumnTags",
                lf_tags=[lf.CfnTagAssociation.LFTagPairProperty(
                    catalog_id=catalog_id, tag_key="confidentiality", tag_values=[level])],
                resource={
                    "tableWithColumns": {
                        "catalogId": catalog_id,
                        "databaseName": self.database_ref,
                        "name": name,
                        "columnNames": columns,
                    }
                },
            )

    def _quality_rules(self, scope: Construct, domain: str, product: Product, table: ProductTable, name: str) -> None:
        """The contract's quality rules of ``table`` as a Glue Data Quality ruleset on it."""
        contract = product.data_contract
        rules = dqdl.ruleset(table.source) if contract and table.source else None
        if rules is None:
            return
        glue.CfnDataQualityRuleset(
            scope,
            "QualityRules",
            name=naming.quality_ruleset(self.database_name, product.name, table.name),
            description=f"Quality rules of contract {contract.id} version {contract.version}",
            ruleset=rules,
            target_table=glue.CfnDataQualityRuleset.DataQualityTargetTableProperty(
                database_name=self.database_ref, table_name=name
            ),
        )
