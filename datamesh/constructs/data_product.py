"""A data product's entry in the central catalog: the blueprint's database, its tables and their LF-tags."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh.blueprint import CONFIDENTIALITY_TAG, PII_TAG, Column, Database, Table
from datamesh.blueprint.lake import columns


def _glue_columns(found: tuple[Column, ...]) -> list[glue.CfnTable.ColumnProperty]:
    return [glue.CfnTable.ColumnProperty(name=c.name, type=c.type, comment=c.comment or None) for c in found]


class DataProductCatalogEntry(Construct):
    """Glue database (retained) and the tables of one product, tagged for Lake Formation.

    Renders one :class:`datamesh.blueprint.Database`: the database carries its LF-tags (the
    domain's key first, then ``confidentiality``; its tables inherit them); pii columns carry
    ``pii=true``, columns classified apart from their product their own ``confidentiality``.
    Each table has its own Glue Data Quality ruleset when its contract states rules. The
    table named after the product sits where a single-table product's table always did
    (construct ``Table``); every other table under ``Table-<name>``.

    :param catalog_id: governance account id (the central catalog).
    :param database: the blueprint's database of the product.
    :param tags: the stack's tags (``MeshStack.resource_tags``), for the quality rulesets. Defaults to none.
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
        database: Database,
        tags: Mapping[str, str] | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        self.catalog_id = catalog_id
        self._tags = dict(tags or {})
        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=catalog_id,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=database.name,
                description=database.description or None,
                location_uri=database.location,
                parameters={"datamesh:domain": database.domain, "datamesh:product": database.product},
                # Empty: new tables get no IAM_ALLOWED_PRINCIPALS grant, whatever the account's defaults.
                create_table_default_permissions=[],
            ),
        )
        self.database.apply_removal_policy(removal_policy)
        self.database_ref = self.database.ref
        tags = dict(database.lf_tags)
        confidentiality = tags.pop(CONFIDENTIALITY_TAG)
        self._tag(
            "DatabaseTags",
            self,
            [*tags.items(), (CONFIDENTIALITY_TAG, confidentiality)],
            {"database": {"catalogId": catalog_id, "name": self.database_ref}},
        )
        self.tables: list[glue.CfnTable] = []
        self.table_refs: dict[str, str] = {}
        for table in database.tables:
            # The table named after its product keeps a single-table product's construct path.
            scope = self if table.primary else Construct(self, f"Table-{table.name}")
            resource, self.table_refs[table.name] = self._table(scope, table)
            resource.apply_removal_policy(removal_policy)
            self.tables.append(resource)
        self.table = self.tables[0]
        self.table_ref = self.table_refs[database.tables[0].name]

    def _tag(self, id: str, scope: Construct, tags: list[tuple[str, str]], resource: dict) -> None:
        lf.CfnTagAssociation(
            scope,
            id,
            lf_tags=[
                lf.CfnTagAssociation.LFTagPairProperty(catalog_id=self.catalog_id, tag_key=key, tag_values=[value])
                for key, value in tags
            ],
            resource=resource,
        )

    def _table(self, scope: Construct, table: Table) -> tuple[glue.CfnTable, str]:
        """One table with its column tags and quality rules, in ``scope``, and its ``Ref``."""
        storage = table.storage
        table_columns, partition_keys = columns(table)
        resource = glue.CfnTable(
            scope,
            "Table",
            catalog_id=self.catalog_id,
            database_name=self.database_ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=table.name,
                description=table.description or None,
                table_type="EXTERNAL_TABLE",
                parameters=dict(table.parameters),
                partition_keys=_glue_columns(partition_keys) or None,
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    columns=_glue_columns(table_columns),
                    location=table.location,
                    input_format=storage.input_format,
                    output_format=storage.output_format,
                    serde_info=glue.CfnTable.SerdeInfoProperty(
                        serialization_library=storage.serde, parameters=dict(storage.serde_parameters) or None
                    ),
                ),
            ),
        )
        name = resource.ref
        for level, level_columns in table.column_levels:
            self._tag(
                f"Confidentiality{level.capitalize()}ColumnTags",
                scope,
                [(CONFIDENTIALITY_TAG, level)],
                self._columns(name, level_columns),
            )
        if table.quality is not None:
            glue.CfnDataQualityRuleset(
                scope,
                "QualityRules",
                name=table.quality.name,
                description=table.quality.description,
                ruleset=table.quality.rules,
                target_table=glue.CfnDataQualityRuleset.DataQualityTargetTableProperty(
                    database_name=self.database_ref, table_name=name
                ),
                tags=self._tags or None,
            )
        if table.pii_columns:
            self._tag("PiiColumnTags", scope, [(PII_TAG, "true")], self._columns(name, table.pii_columns))
        return resource, name

    def _columns(self, table: str, names: tuple[str, ...]) -> dict:
        return {
            "tableWithColumns": {
                "catalogId": self.catalog_id,
                "databaseName": self.database_ref,
                "name": table,
                "columnNames": list(names),
            }
        }
