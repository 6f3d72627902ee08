"""Small named wrappers around Lake Formation's L1 resources (aws-cdk-lib has no L2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import aws_lakeformation as lf
from constructs import Construct


class LakeFormationAdmins(Construct):
    """Adds Lake Formation admins to an account, keeping admins set outside the mesh.

    CloudFormation's ``DataLakeSettings`` replaces the admin list unless its mutation
    type is ``APPEND``; this construct always appends.

    :param admin_arns: IAM principal ARNs in the stack's account.
    """

    def __init__(self, scope: Construct, id: str, *, admin_arns: Sequence[str]) -> None:
        super().__init__(scope, id)
        self.settings = lf.CfnDataLakeSettings(
            self,
            "Resource",
            admins=[lf.CfnDataLakeSettings.DataLakePrincipalProperty(data_lake_principal_identifier=a) for a in admin_arns],
            mutation_type="APPEND",
        )


class LfTagTaxonomy(Construct):
    """The mesh's LF-tags (key to allowed values) in the governance catalog.

    :param catalog_id: the governance account id.
    :param tags: tag key to its values, created in the order given.
    """

    def __init__(self, scope: Construct, id: str, *, catalog_id: str, tags: Mapping[str, Sequence[str]]) -> None:
        super().__init__(scope, id)
        self.tags = {
            key: lf.CfnTag(self, key, catalog_id=catalog_id, tag_key=key, tag_values=list(values))
            for key, values in tags.items()
        }


class Grant(Construct):
    """One Lake Formation grant to a principal (an account id or an IAM ARN).

    :param catalog_id: the account whose catalog holds the resource.
    :param resource: a ``CfnPrincipalPermissions`` resource as a CloudFormation-shaped dict.
    :param permissions: permissions granted.
    :param grantable: permissions the principal may grant on. Defaults to none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        catalog_id: str,
        principal: str,
        resource: Mapping[str, Any],
        permissions: Sequence[str],
        grantable: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, id)
        self.permissions = lf.CfnPrincipalPermissions(
            self,
            "Resource",
            catalog=catalog_id,
            principal=lf.CfnPrincipalPermissions.DataLakePrincipalProperty(data_lake_principal_identifier=principal),
            resource=resource,
            permissions=sorted(permissions),
            permissions_with_grant_option=sorted(grantable),
        )


def database_resource(catalog_id: str, name: str) -> dict[str, Any]:
    return {"database": {"catalogId": catalog_id, "name": name}}


def table_resource(catalog_id: str, database: str, table: str | None = None) -> dict[str, Any]:
    """A table, or every table of the database when ``table`` is omitted."""
    spec: dict[str, Any] = {"catalogId": catalog_id, "databaseName": database}
    spec.update({"name": table} if table else {"tableWildcard": {}})
    return {"table": spec}


def columns_resource(catalog_id: str, database: str, table: str, excluded: Sequence[str]) -> dict[str, Any]:
    """Every column of a table except ``excluded`` (every column when it is empty)."""
    return {
        "tableWithColumns": {
            "catalogId": catalog_id,
            "databaseName": database,
            "name": table,
            "columnWildcard": {"excludedColumnNames": list(excluded)} if excluded else {},
        }
    }
