"""Producer catalog stack (governance account): databases, tables, tags, location, grants."""

from __future__ import annotations

from aws_cdk.assertions import Match

GOV = "111111111111"


def grants(template, principal):
    return [
        r["Properties"]
        for r in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        if r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == principal
    ]


def test_catalog_stacks_live_in_the_governance_account(example_stacks):
    assert {s.account for s in example_stacks.catalog.values()} == {GOV}


def test_database_per_product_named_and_retained(templates):
    t = templates["Sales-Catalog"]
    t.resource_count_is("AWS::Glue::Database", 2)
    t.has_resource(
        "AWS::Glue::Database",
        {
            "Properties": {
                "CatalogId": GOV,
                "DatabaseInput": Match.object_like(
                    {
                        "Name": "sales_orders",
                        "LocationUri": "s3://acme-sales-data-222222222222-eu-west-1/orders/",
                        "Description": "Every confirmed order, one row per order line.",
                    }
                ),
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_every_product_database_gives_its_new_tables_no_iam_allowed_principals_default(templates):
    """An explicit empty ``CreateTableDefaultPermissions``: Lake Formation, not IAM alone, guards the tables
    even in an account whose defaults came back ("Cross-account access prerequisites")."""
    databases = [
        d
        for name, t in templates.items()
        if name.endswith("-Catalog")
        for d in t.find_resources("AWS::Glue::Database").values()
    ]
    assert databases and all(d["Properties"]["DatabaseInput"]["CreateTableDefaultPermissions"] == [] for d in databases)


def test_table_is_retained_with_its_database(templates):
    """Removing a product (or its stack) keeps its table and data description, as its database."""
    t = templates["Sales-Catalog"]
    for table in t.find_resources("AWS::Glue::Table").values():
        assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


def test_table_built_from_the_contract(templates):
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::Glue::Table",
        {
            "CatalogId": GOV,
            "TableInput": Match.object_like(
                {
                    "Name": "orders",
                    "TableType": "EXTERNAL_TABLE",
                    "Parameters": {"classification": "parquet", "datamesh:confidentiality": "internal"},
                    "PartitionKeys": [{"Name": "order_date", "Type": "date", "Comment": "Day of the order"}],
                    "StorageDescriptor": Match.object_like(
                        {
                            "Columns": [
                                {"Name": "order_id", "Type": "string", "Comment": "Order identifier"},
                                {"Name": "line_number", "Type": "smallint", "Comment": "Line within the order"},
                                {"Name": "customer_id", "Type": "string", "Comment": "Buyer"},
                                {"Name": "amount", "Type": "decimal(12,2)", "Comment": "Line amount in EUR"},
                                {"Name": "ordered_at", "Type": "timestamp", "Comment": "When the order was placed"},
                            ],
                            "Location": "s3://acme-sales-data-222222222222-eu-west-1/orders/",
                            "SerdeInfo": {
                                "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
                            },
                        }
                    ),
                }
            ),
        },
    )


def test_location_registered_with_the_mesh_role(templates):
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::LakeFormation::Resource",
        {
            "ResourceArn": "arn:aws:s3:::acme-sales-data-222222222222-eu-west-1",
            "RoleArn": f"arn:aws:iam::{GOV}:role/acme-lakeformation-data-access",
            "UseServiceLinkedRole": False,
        },
    )


def test_lf_tags_on_databases_and_pii_columns(templates):
    t = templates["Sales-Catalog"]
    t.has_resource_properties(
        "AWS::LakeFormation::TagAssociation",
        {
            "LFTags": [
                {"CatalogId": GOV, "TagKey": "domain", "TagValues": ["sales"]},
                {"CatalogId": GOV, "TagKey": "confidentiality", "TagValues": ["confidential"]},
            ],
            "Resource": {"Database": {"CatalogId": GOV, "Name": Match.any_value()}},
        },
    )
    t.has_resource_properties(
        "AWS::LakeFormation::TagAssociation",
        {
            "LFTags": [{"CatalogId": GOV, "TagKey": "pii", "TagValues": ["true"]}],
            "Resource": {"TableWithColumns": Match.object_like({"ColumnNames": ["email"]})},
        },
    )
    assert len(t.find_resources("AWS::LakeFormation::TagAssociation")) == 4  # 2 databases, pii, segment level


def test_producer_account_manages_its_databases(templates):
    found = grants(templates["Sales-Catalog"], "222222222222")
    assert len(found) == 4
    database_grants = [g for g in found if "Database" in g["Resource"]]
    assert {tuple(g["Permissions"]) for g in database_grants} == {("ALTER", "CREATE_TABLE", "DESCRIBE", "DROP")}
    table_grants = [g for g in found if "Table" in g["Resource"]]
    assert all(g["Resource"]["Table"]["TableWildcard"] == {} for g in table_grants)
    assert all(g["PermissionsWithGrantOption"] == g["Permissions"] for g in found)


def test_each_approved_consumer_gets_what_it_asked_for(templates):
    t = templates["Sales-Catalog"]
    # sales.orders (no pii) with the default SELECT + DESCRIBE: the database, and one grant on the table
    analytics = grants(t, "555555555555")
    assert sorted(tuple(g["Permissions"]) for g in analytics) == [("DESCRIBE",), ("DESCRIBE", "SELECT")]
    # orders: DESCRIBE only; customers (email is pii): DESCRIBE on the table, SELECT on its other columns
    marketing = grants(t, "444444444444")
    assert sorted(tuple(g["Permissions"]) for g in marketing) == [("DESCRIBE",)] * 4 + [("SELECT",)]
    assert all(g["PermissionsWithGrantOption"] == g["Permissions"] for g in analytics + marketing)


def test_select_on_a_product_with_pii_leaves_the_pii_columns_out(templates):
    """Sales approves marketing's customers for French rows: a data filter whose include list is customers'
    columns but email, and SELECT on it with the grant option."""
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::LakeFormation::DataCellsFilter",
        {
            "TableCatalogId": GOV,
            "Name": "acme-marketing",
            "ColumnNames": ["customer_id", "segment", "country"],
            "RowFilter": {"FilterExpression": "country = 'FR'"},
        },
    )
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::LakeFormation::PrincipalPermissions",
        {
            "Principal": {"DataLakePrincipalIdentifier": "444444444444"},
            "Permissions": ["SELECT"],
            "PermissionsWithGrantOption": ["SELECT"],
            "Resource": {"DataCellsFilter": {"TableCatalogId": GOV, "Name": "acme-marketing"}},
        },
    )


def test_pending_subscription_grants_nothing(templates):
    # marketing asked for finance.invoices, which finance shares only with analytics.
    assert grants(templates["Finance-Catalog"], "444444444444") == []
    assert len(grants(templates["Finance-Catalog"], "555555555555")) == 2  # the database; the table


def test_table_records_its_contract_freshness_and_owner(templates):
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::Glue::Table",
        {
            "TableInput": Match.object_like(
                {
                    "Name": "customers",
                    "Parameters": {
                        "classification": "parquet",
                        "datamesh:confidentiality": "confidential",
                        "datamesh:contract-id": "7d3f6a1e-2c4b-4d8e-9f10-0a1b2c3d4e02",
                        "datamesh:contract-version": "2.1.0",
                        "datamesh:contract-status": "active",
                        "datamesh:freshness": "frequency=1d",
                        "datamesh:owner": "sales-data@example.com",
                    },
                }
            ),
        },
    )


def test_contract_quality_rules_become_a_ruleset_on_the_table(templates):
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::Glue::DataQualityRuleset",
        {
            "Name": "sales_customers",
            "Ruleset": 'Rules = [\n    IsUnique "customer_id",\n    ColumnValues "segment" in ["consumer", "smb", "enterprise"],\n'
            '    ColumnValues "country" matches "^[A-Z]{2}$"\n]',
            "TargetTable": {
                "DatabaseName": {"Ref": Match.string_like_regexp("CustomersDatabase")},
                "TableName": {"Ref": Match.string_like_regexp("CustomersTable")},
            },
        },
    )
    templates["Sales-Catalog"].resource_count_is("AWS::Glue::DataQualityRuleset", 2)


def test_a_column_classified_below_its_product_carries_its_own_level(templates):
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::LakeFormation::TagAssociation",
        {
            "LFTags": [{"CatalogId": GOV, "TagKey": "confidentiality", "TagValues": ["internal"]}],
            "Resource": {"TableWithColumns": Match.object_like({"ColumnNames": ["segment"]})},
        },
    )
