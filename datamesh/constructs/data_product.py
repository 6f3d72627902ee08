"""A data product's entry in the central catalog: database, table and LF-tags."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh.config.models import Column, Product, StorageFormat
from datamesh.contracts import dqdl
from datamesh.contracts.projection import projection_parameters

# (input format, output format, SerDe, SerDe parameters) per storage format.
_TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
_FORMATS: dict[StorageFormat, tuple[str, str, str, dict[str, str]]] = {
    StorageFormat.PARQUET: (
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        {},
    ),
    StorageFormat.ORC: (
        "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
        {},
    ),
    StorageFormat.AVRO: (
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
        "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
        {},
    ),
    StorageFormat.JSON: (_TEXT_IN, _TEXT_OUT, "org.openx.data.jsonserde.JsonSerDe", {}),
    StorageFormat.CSV: (
        _TEXT_IN,
        _TEXT_OUT,
        "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        {"field.delim": ",", "skip.header.line.count": "1"},
    ),
}


def _contract_parameters(product: Product) -> dict[str, str]:
    """Contract id and version, freshness SLA and owner, shown with the table in the catalog."""
    contract = product.data_contract
    if contract is None:
        return {}
    found = {
        "datamesh:contract-id": contract.id,
        "datamesh:contract-version": contract.version,
        "datamesh:contract-status": contract.status,
        "datamesh:freshness": contract.freshness,
        "datamesh:owner": contract.owner,
    }
    return {key: value for key, value in found.items() if value}


def _glue_columns(columns: list[Column]) -> list[glue.CfnTable.ColumnProperty]:
    return [glue.CfnTable.ColumnProperty(name=c.name, type=c.type, comment=c.description or None) for c in columns]


class DataProductCatalogEntry(Construct):
    """Glue database (retained) and table for one product, tagged for Lake Formation.

    The database carries the domain's LF-tag (see :func:`datamesh.naming.domain_tag_key`)
    and ``confidentiality`` (its table inherits them); columns flagged ``pii`` carry
    ``pii=true``.

    :param catalog_id: governance account id (the central catalog).
    :param database_name: derived name, see :mod:`datamesh.naming`.
    :param location: ``s3://`` URI of the product's prefix in the producer's bucket, ending in ``/``;
        a partitioned table is projected by Athena over ``<location><key>=<value>/``.
    :param domain_tag_key: the LF-tag key of the domain's value; defaults to ``domain``
        (a mesh of at most 50 domains).
    :param removal_policy: of the database and its table; defaults to ``RETAIN``.

    ``database_ref`` and ``table_ref`` are the two resources' ``Ref`` (the database and
    table names as tokens), read once: each read of ``.ref`` is a round trip to jsii.
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
        input_format, output_format, serde, serde_parameters = _FORMATS[product.format]
        self.table = glue.CfnTable(
            self,
            "Table",
            catalog_id=catalog_id,
            database_name=self.database_ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=product.name,
                description=product.description,
                table_type="EXTERNAL_TABLE",
                parameters={
                    "classification": product.format.value,
                    "datamesh:confidentiality": product.confidentiality,
                    **_contract_parameters(product),
                    **projection_parameters(product, location),
                },
                partition_keys=_glue_columns(product.partition_keys) or None,
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    columns=_glue_columns(product.columns),
                    location=location,
                    input_format=input_format,
                    output_format=output_format,
                    serde_info=glue.CfnTable.SerdeInfoProperty(
                        serialization_library=serde, parameters=serde_parameters or None
                    ),
                ),
            ),
        )
        self.table.apply_removal_policy(removal_policy)
        self.table_ref = self.table.ref
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
        self._column_levels(catalog_id, product)
        self._quality_rules(database_name, product)
        self.pii_columns = product.pii_columns
        if self.pii_columns:
            lf.CfnTagAssociation(
                self,
                "PiiColumnTags",
                lf_tags=[lf.CfnTagAssociation.LFTagPairProperty(catalog_id=catalog_id, tag_key="pii", tag_values=["true"])],
                resource={
                    "tableWithColumns": {
                        "catalogId": catalog_id,
                        "databaseName": self.database_ref,
                        "name": self.table_ref,
                        "columnNames": self.pii_columns,
                    }
                },
            )

    def _column_levels(self, catalog_id: str, product: Product) -> None:
        """Columns classified differently from their product carry their own confidentiality tag."""
        levels: dict[str, list[str]] = {}
        for column in [*product.columns, *product.partition_keys]:
            if column.confidentiality and column.confidentiality != product.confidentiality:
                levels.setdefault(column.confidentiality, []).append(column.name)
        for level, columns in sorted(levels.items()):
            lf.CfnTagAssociation(
                self,
                f"Confidentiality{level.capitalize()}ColumnTags",
                lf_tags=[lf.CfnTagAssociation.LFTagPairProperty(
                    catalog_id=catalog_id, tag_key="confidentiality", tag_values=[level])],
                resource={
                    "tableWithColumns": {
                        "catalogId": catalog_id,
                        "databaseName": self.database_ref,
                        "name": self.table_ref,
                        "columnNames": columns,
                    }
                },
            )

    def _quality_rules(self, database_name: str, product: Product) -> None:
        """The contract's quality rules as a Glue Data Quality ruleset on the table."""
        contract = product.data_contract
        rules = dqdl.ruleset(contract) if contract else None
        if rules is None:
            return
        glue.CfnDataQualityRuleset(
            self,
            "QualityRules",
            name=database_name,
            description=f"Quality rules of contract {contract.id} version {contract.version}",
            ruleset=rules,
            target_table=glue.CfnDataQualityRuleset.DataQualityTargetTableProperty(
                database_name=self.database_ref, table_name=self.table_ref
            ),
        )
