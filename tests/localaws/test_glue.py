"""Glue models of the local AWS: databases, resource links, tables, catalog encryption."""

from __future__ import annotations

import pytest

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER, GOV, database, grant, table

LINK = {
    "Type": "AWS::Glue::Database",
    "Properties": {
        "CatalogId": CONSUMER,
        "DatabaseInput": {"Name": "sales_orders", "TargetDatabase": {"CatalogId": GOV, "DatabaseName": "sales_orders"}},
    },
}


def test_database_is_created_updated_and_deleted(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    assert aws.deploy(GOV, "db", {"Db": database("sales_orders", Description="v1")}).status == "CREATE_COMPLETE"
    assert glue.get_database(Name="sales_orders")["Database"]["Description"] == "v1"

    assert aws.deploy(GOV, "db", {"Db": database("sales_orders", Description="v2")}).status == "UPDATE_COMPLETE"
    assert glue.get_database(Name="sales_orders")["Database"]["Description"] == "v2"

    aws.deploy(GOV, "db", {"Other": database("other")})
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]] == ["other"]


def test_renaming_a_table_replaces_it(aws: LocalAws) -> None:
    """``TableInput/Name`` is create-only in the table's schema: a new table, the old one deleted."""
    aws.deploy(GOV, "db", {"Db": database("sales"), "Table": table({"Ref": "Db"}, "old_name", ["id"])})
    assert (
        aws.deploy(GOV, "db", {"Db": database("sales"), "Table": table({"Ref": "Db"}, "new_name", ["id"])}).status
        == "UPDATE_COMPLETE"
    )
    assert [t["Name"] for t in aws.client("glue", GOV).get_tables(DatabaseName="sales")["TableList"]] == ["new_name"]


def test_a_database_in_another_accounts_catalog_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(CONSUMER, "db", {"Db": database("sales_orders", catalog=GOV)})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert f"Account {CONSUMER} cannot create a database in the catalog of account {GOV}" in deployed.reason


def test_resource_link_to_a_shared_database_is_created(aws: LocalAws, admins: None) -> None:
    aws.deploy(
        GOV,
        "catalog",
        {
            "Db": database("sales_orders"),
            "Share": grant(
                GOV, CONSUMER, {"Database": {"CatalogId": GOV, "Name": {"Ref": "Db"}}}, ["DESCRIBE"], ["DESCRIBE"]
            ),
        },
    )
    assert aws.accept_invitations(CONSUMER) == [GOV]
    assert aws.deploy(CONSUMER, "access", {"Link": LINK}).status == "CREATE_COMPLETE"
    link = aws.client("glue", CONSUMER).get_database(Name="sales_orders")["Database"]
    assert link["TargetDatabase"] == {"CatalogId": GOV, "DatabaseName": "sales_orders"}


def test_resource_link_to_a_database_not_shared_with_the_account_is_rejected(aws: LocalAws) -> None:
    aws.deploy(GOV, "catalog", {"Db": database("sales_orders")})
    deployed = aws.deploy(CONSUMER, "access", {"Link": LINK})
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert deployed.failures == [
        "AccessDeniedException: Resource link sales_orders cannot target database sales_orders of catalog "
        f"{GOV}: it is not shared with account {CONSUMER} (no Lake Formation grant to the account)"
    ]


def test_resource_link_to_a_missing_database_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(CONSUMER, "access", {"Link": LINK})
    assert deployed.failures == [f"EntityNotFoundException: Database sales_orders not found in catalog {GOV}"]


def test_table_is_created_updated_and_deleted(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    aws.deploy(GOV, "t", {"Db": database("sales_orders"), "T": table({"Ref": "Db"}, "orders", ["order_id"])})
    columns = glue.get_table(DatabaseName="sales_orders", Name="orders")["Table"]["StorageDescriptor"]["Columns"]
    assert [c["Name"] for c in columns] == ["order_id"]

    aws.deploy(GOV, "t", {"Db": database("sales_orders"), "T": table({"Ref": "Db"}, "orders", ["order_id", "amount"])})
    columns = glue.get_table(DatabaseName="sales_orders", Name="orders")["Table"]["StorageDescriptor"]["Columns"]
    assert [c["Name"] for c in columns] == ["order_id", "amount"]

    aws.deploy(GOV, "t", {"Db": database("sales_orders")})
    assert glue.get_tables(DatabaseName="sales_orders")["TableList"] == []


def test_table_in_a_missing_database_is_rejected(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "t", {"T": table("nowhere", "orders", ["order_id"])})
    assert deployed.failures == [f"EntityNotFoundException: Database nowhere not found in catalog {GOV}"]


def _encryption(key: object) -> dict:
    return {
        "Type": "AWS::Glue::DataCatalogEncryptionSettings",
        "Properties": {
            "CatalogId": GOV,
            "DataCatalogEncryptionSettings": {
                "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": key}
            },
        },
    }


def test_catalog_encryption_is_set_and_reset(aws: LocalAws) -> None:
    key = {"Type": "AWS::KMS::Key", "Properties": {}}
    aws.deploy(GOV, "enc", {"Key": key, "Enc": _encryption({"Fn::GetAtt": ["Key", "Arn"]})})
    glue = aws.client("glue", GOV)
    at_rest = glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]["EncryptionAtRest"]
    assert at_rest["CatalogEncryptionMode"] == "SSE-KMS"
    assert at_rest["SseAwsKmsKeyId"].startswith(f"arn:aws:kms:eu-west-1:{GOV}:key/")

    aws.deploy(GOV, "enc", {"Key": key})
    at_rest = glue.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]["EncryptionAtRest"]
    assert at_rest["CatalogEncryptionMode"] == "DISABLED"


@pytest.mark.parametrize(
    "key", [f"arn:aws:kms:eu-west-1:{GOV}:key/00000000-0000-0000-0000-000000000000", "alias/nothing"]
)
def test_catalog_encryption_with_a_missing_key_is_rejected(aws: LocalAws, key: str) -> None:
    deployed = aws.deploy(GOV, "enc", {"Enc": _encryption(key)})
    assert deployed.failures == [f"EntityNotFoundException: KMS key {key} does not exist"]
