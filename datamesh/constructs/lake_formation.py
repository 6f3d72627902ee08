"""Small named wrappers around Lake Formation's L1 resources (aws-cdk-lib has no L2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import aws_lakeformation as lf
from constructs import Construct

from datamesh.blueprint import DataFilter
from datamesh.blueprint import Grant as GrantSpec


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
            admins=[
                lf.CfnDataLakeSettings.DataLakePrincipalProperty(data_lake_principal_identifier=a) for a in admin_arns
            ],
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
    """One of the blueprint's Lake Formation grants, as an ``AWS::LakeFormation::PrincipalPermissions``.

    :param grant: what to grant, to whom, in which catalog (see :class:`datamesh.blueprint.Grant`).
    :param principal: stands for the grant's principal; defaults to it. A role's ``Arn`` attribute
        here makes the grant wait for the role.
    :param database: stands for the resource's database name, and ``table`` for its table name
        (``Ref`` tokens make the grant wait for them); default to the names.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        grant: GrantSpec,
        principal: str | None = None,
        database: str | None = None,
        table: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        self.permissions = lf.CfnPrincipalPermissions(
            self,
            "Resource",
            catalog=grant.catalog,
            principal=lf.CfnPrincipalPermissions.DataLakePrincipalProperty(
                data_lake_principal_identifier=principal or grant.principal
            ),
            resource=grant.resource.cfn(database, table),
            permissions=sorted(grant.permissions),
            permissions_with_grant_option=sorted(grant.grantable),
        )


class DataCellsFilter(Construct):
    """One of the blueprint's data cells filters, as an ``AWS::LakeFormation::DataCellsFilter``.

    :param data_filter: the filter: table, name, row filter and include list (see
        :class:`datamesh.blueprint.DataFilter`).
    :param database: stands for the table's database name, and ``table`` for its name (``Ref`` tokens
        make the filter wait for them); default to the names.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        data_filter: DataFilter,
        database: str | None = None,
        table: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        rows = data_filter.rows
        self.filter = lf.CfnDataCellsFilter(
            self,
            "Resource",
            table_catalog_id=data_filter.catalog,
            database_name=database or data_filter.database,
            table_name=table or data_filter.table,
            name=data_filter.name,
            row_filter=lf.CfnDataCellsFilter.RowFilterProperty(
                filter_expression=rows, all_rows_wildcard=None if rows is not None else {}
            ),
            column_names=list(data_filter.columns) or None,
            column_wildcard=None if data_filter.columns else lf.CfnDataCellsFilter.ColumnWildcardProperty(),
        )
