"""A data product's entry in the central catalog: database, table and LF-tags."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh.config.models import Column, Product, StorageFormat

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


def _glue_columns(columns: list[Column]) -> list[glue.CfnTable.ColumnProperty]:
    return [glue.CfnTable.ColumnProperty(name=c.name, type=c.type, comment=c.description or None) for c in columns]


class DataProductCatalogEntry(Construct):
    """Glue database (retained) and table for one product, tagged for Lake Formation.

    The database carries the ``domain`` and ``confidentiality`` LF-tags (its table
    inherits them); columns flagged ``pii`` carry ``pii=true``.

    :param catalog_id: governance account id (the central catalog).
    :param database_name: derived name, see :mod:`datamesh.naming`.
    :param location: ``s3://`` URI of the product's prefix in the producer's bucket.
    :param removal_policy: of the database; defaults to ``RETAIN``.
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
        input_format, output_format, serde, serde_parameters = _FORMATS[product.format]
        self.table = glue.CfnTable(
            self,
            "Table",
            catalog_id=catalog_id,
            database_name=self.database.ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=product.name,
                description=product.description,
                table_type="EXTERNAL_TABLE",
                parameters={"classification": product.format.value, "datamesh:confidentiality": product.confidentiality},
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
        lf.CfnTagAssociation(
            self,
            "DatabaseTags",
            lf_tags=[
                lf.CfnTagAssociation.LFTagPairProperty(catalog_id=catalog_id, tag_key="domain", tag_values=[domain]),
                lf.CfnTagAssociation.LFTagPairProperty(
                    catalog_id=catalog_id, tag_key="confidentiality", tag_values=[product.confidentiality]
                ),
            ],
            resource={"database": {"catalogId": catalog_id, "name": self.database.ref}},
        )
        self.pii_columns = [c.name for c in product.columns if c.pii]
        if self.pii_columns:
            lf.CfnTagAssociation(
                self,
                "PiiColumnTags",
                lf_tags=[lf.CfnTagAssociation.LFTagPairProperty(catalog_id=catalog_id, tag_key="pii", tag_values=["true"])],
                resource={
                    "tableWithColumns": {
                        "catalogId": catalog_id,
                        "databaseName": self.database.ref,
                        "name": self.table.ref,
                        "columnNames": self.pii_columns,
                    }
                },
            )
