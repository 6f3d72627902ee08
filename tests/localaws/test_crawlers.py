"""Glue crawlers with Lake Formation credentials in the local AWS: what CreateCrawler accepts and refuses, through
CloudFormation and through the API alike (Glue guide, "Configuring a crawler to use Lake Formation credentials")."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import GOV, PRODUCER, database, table

LOCATION = "s3://acme-sales-data-222222222222-eu-west-1/orders/"
LAKE_FORMATION = {"UseLakeFormationCredentials": True}


def located(location: str | None) -> dict[str, Any]:
    found = table({"Ref": "Db"}, "orders", ["order_id"])
    if location is not None:
        found["Properties"]["TableInput"]["StorageDescriptor"]["Location"] = location
    return found


def crawler(tables: list[str], lake_formation: dict[str, Any] = LAKE_FORMATION, **extra: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Glue::Crawler",
        "Properties": {
            "Name": "acme-sales-orders-partitions",
            "Role": f"arn:aws:iam::{GOV}:role/acme-sales-partitions",
            "Targets": {"CatalogTargets": [{"DatabaseName": "sales_orders", "Tables": tables}]},
            "SchemaChangePolicy": {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"},
            "LakeFormationConfiguration": lake_formation,
            **extra,
        },
        "DependsOn": ["Table"],
    }


def catalog(location: str | None = LOCATION, **crawler_args: Any) -> dict[str, Any]:
    return {
        "Db": database("sales_orders"),
        "Table": located(location),
        "Crawler": crawler(**{"tables": ["orders"], **crawler_args}),
    }


def test_a_crawler_of_its_own_accounts_s3_table_is_created_read_back_and_deleted(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    assert aws.deploy(GOV, "crawl", catalog()).status == "CREATE_COMPLETE"
    found = glue.get_crawler(Name="acme-sales-orders-partitions")["Crawler"]
    assert found["Targets"]["CatalogTargets"] == [{"DatabaseName": "sales_orders", "Tables": ["orders"]}]
    assert found["LakeFormationConfiguration"] == LAKE_FORMATION
    aws.deploy(GOV, "crawl", {"Db": database("sales_orders")})
    with pytest.raises(ClientError) as gone:
        glue.get_crawler(Name="acme-sales-orders-partitions")
    assert gone.value.response["Error"]["Code"] == "EntityNotFoundException"


def test_two_tables_with_lake_formation_credentials_are_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "crawl", catalog(tables=["orders", "orders"]))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "takes a single catalog target with a single table" in deployed.reason


def test_two_tables_without_lake_formation_credentials_are_accepted(aws: LocalAws) -> None:
    assert aws.deploy(GOV, "crawl", catalog(tables=["orders", "orders"], lake_formation={})).status == (
        "CREATE_COMPLETE"
    )


def test_a_table_outside_s3_is_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "crawl", catalog(location=None))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "is not located in Amazon S3" in deployed.reason


def test_another_accounts_lake_formation_is_refused_for_a_catalog_target(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "crawl", catalog(lake_formation={**LAKE_FORMATION, "AccountId": PRODUCER}))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "only in its own account" in deployed.reason


def test_the_api_holds_the_same_rules(aws: LocalAws) -> None:
    glue = aws.client("glue", GOV)
    aws.deploy(GOV, "crawl", {"Db": database("sales_orders"), "Table": located(LOCATION)})
    request = {
        "Name": "by-hand",
        "Role": f"arn:aws:iam::{GOV}:role/acme-sales-partitions",
        "LakeFormationConfiguration": LAKE_FORMATION,
    }
    with pytest.raises(ClientError) as refused:
        glue.create_crawler(
            **request, Targets={"CatalogTargets": [{"DatabaseName": "sales_orders", "Tables": ["orders", "x"]}]}
        )
    assert refused.value.response["Error"]["Code"] == "InvalidInputException"
    with pytest.raises(ClientError) as missing:
        glue.create_crawler(**request, Targets={"CatalogTargets": [{"DatabaseName": "sales_orders", "Tables": ["x"]}]})
    assert missing.value.response["Error"]["Code"] == "EntityNotFoundException"
    glue.create_crawler(**request, Targets={"CatalogTargets": [{"DatabaseName": "sales_orders", "Tables": ["orders"]}]})
    assert glue.get_crawler(Name="by-hand")["Crawler"]["LakeFormationConfiguration"] == LAKE_FORMATION


def test_a_crawler_naming_a_missing_security_configuration_is_refused(aws: LocalAws) -> None:
    deployed = aws.deploy(GOV, "crawl", catalog(CrawlerSecurityConfiguration="none"))
    assert deployed.status == "ROLLBACK_COMPLETE"
    assert "Security configuration none not found" in deployed.reason


def test_a_security_configuration_is_created_and_named_by_its_crawler(aws: LocalAws) -> None:
    resources = catalog(CrawlerSecurityConfiguration={"Ref": "Security"})
    resources["Security"] = {
        "Type": "AWS::Glue::SecurityConfiguration",
        "Properties": {
            "Name": "acme-sales-crawlers",
            "EncryptionConfiguration": {
                "CloudWatchEncryption": {"CloudWatchEncryptionMode": "DISABLED"},
                "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "DISABLED"},
                "S3Encryptions": [{"S3EncryptionMode": "DISABLED"}],
            },
        },
    }
    resources["Crawler"]["DependsOn"] = ["Table", "Security"]
    assert aws.deploy(GOV, "crawl", resources).status == "CREATE_COMPLETE"
    glue = aws.client("glue", GOV)
    assert glue.get_crawler(Name="acme-sales-orders-partitions")["Crawler"]["CrawlerSecurityConfiguration"] == (
        "acme-sales-crawlers"
    )
    assert glue.get_security_configuration(Name="acme-sales-crawlers")["SecurityConfiguration"]["Name"] == (
        "acme-sales-crawlers"
    )
