"""Small CloudFormation resources for the local AWS's model tests."""

from __future__ import annotations

from typing import Any

REGION = "eu-west-1"
GOV = "111111111111"
PRODUCER = "222222222222"
CONSUMER = "444444444444"


def database(name: str, catalog: str = GOV, **extra: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::Glue::Database",
        "Properties": {"CatalogId": catalog, "DatabaseInput": {"Name": name, **extra}},
    }


def table(database_name: Any, name: str, columns: list[str], catalog: str = GOV) -> dict[str, Any]:
    return {
        "Type": "AWS::Glue::Table",
        "Properties": {
            "CatalogId": catalog,
            "DatabaseName": database_name,
            "TableInput": {
                "Name": name,
                "TableType": "EXTERNAL_TABLE",
                "StorageDescriptor": {"Columns": [{"Name": c, "Type": "string"} for c in columns]},
            },
        },
    }


def grant(
    catalog: str, principal: str, resource: dict[str, Any], permissions: list[str], grantable: list[str] = ()
) -> dict[str, Any]:
    return {
        "Type": "AWS::LakeFormation::PrincipalPermissions",
        "Properties": {
            "Catalog": catalog,
            "Principal": {"DataLakePrincipalIdentifier": principal},
            "Resource": resource,
            "Permissions": permissions,
            "PermissionsWithGrantOption": list(grantable),
        },
    }
