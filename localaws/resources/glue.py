"""Glue Data Catalog: databases (and resource links), tables, catalog encryption."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel

from localaws.resources import backends, catalog
from localaws.resources.errors import Rejected
from localaws.resources.kms import find_key
from localaws.resources.model import LocalResource


def _own_catalog(account_id: str, properties: dict[str, Any], what: str) -> str:
    catalog_id = properties.get("CatalogId", account_id)
    if catalog_id != account_id:
        raise Rejected(
            "AccessDeniedException", f"Account {account_id} cannot {what} in the catalog of account {catalog_id}"
        )
    return catalog_id


class Database(LocalResource, CloudFormationModel):
    """``AWS::Glue::Database``; with ``TargetDatabase`` it is a resource link.

    A resource link's target is checked by Glue's API, which this handler calls
    (:mod:`localaws.resources.glue_api`).
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::Database"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Database:
        _own_catalog(account_id, properties, "create a database")
        database_input = properties["DatabaseInput"]
        name = database_input["Name"]
        glue = backends.glue(account_id, region)
        if name in glue.databases:
            raise Rejected("AlreadyExistsException", f"Database {name} already exists in catalog {account_id}")
        glue.create_database(name, database_input)
        database = cls(account_id, region, properties)
        database.physical_id = name
        return database

    def update(self, properties: dict[str, Any]) -> None:
        backends.glue(self.account_id, self.region).update_database(self.physical_id, properties["DatabaseInput"])

    def delete(self, account_id: str, region_name: str) -> None:
        backends.glue(account_id, region_name).databases.pop(self.physical_id, None)


class Table(LocalResource, CloudFormationModel):
    """``AWS::Glue::Table`` in an existing database of the account's own catalog."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::Table"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Table:
        catalog_id = _own_catalog(account_id, properties, "create a table")
        database_name = properties["DatabaseName"]
        table_input = properties["TableInput"]
        name = table_input["Name"]
        if name in catalog.database(catalog_id, database_name, region).tables:
            raise Rejected(
                "AlreadyExistsException", f"Table {database_name}.{name} already exists in catalog {catalog_id}"
            )
        backends.glue(account_id, region).create_table(database_name, name, table_input)
        table = cls(account_id, region, properties)
        table.physical_id = name
        return table

    def update(self, properties: dict[str, Any]) -> None:
        backends.glue(self.account_id, self.region).update_table(
            properties["DatabaseName"], self.physical_id, properties["TableInput"]
        )

    def delete(self, account_id: str, region_name: str) -> None:
        database = backends.glue(account_id, region_name).databases.get(self.properties["DatabaseName"])
        if database is not None:
            database.tables.pop(self.physical_id, None)


class DataCatalogEncryptionSettings(LocalResource, CloudFormationModel):
    """``AWS::Glue::DataCatalogEncryptionSettings``; the KMS keys it names must exist.

    Deleting it turns catalog encryption off again.
    """

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::DataCatalogEncryptionSettings"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataCatalogEncryptionSettings:
        settings = cls(account_id, region, properties)
        settings.physical_id = _own_catalog(account_id, properties, "set encryption")
        settings.update(properties)
        return settings

    def update(self, properties: dict[str, Any]) -> None:
        _own_catalog(self.account_id, properties, "set encryption")
        settings = properties["DataCatalogEncryptionSettings"]
        keys = [
            settings.get("EncryptionAtRest", {}).get("SseAwsKmsKeyId"),
            settings.get("ConnectionPasswordEncryption", {}).get("KmsKeyId"),
        ]
        for key in filter(None, keys):
            if find_key(key, self.account_id, self.region) is None:
                raise Rejected("EntityNotFoundException", f"KMS key {key} does not exist")
        backends.glue(self.account_id, self.region).put_data_catalog_encryption_settings(self.physical_id, settings)

    def delete(self, account_id: str, region_name: str) -> None:
        backends.glue(account_id, region_name).put_data_catalog_encryption_settings(self.physical_id, {})
