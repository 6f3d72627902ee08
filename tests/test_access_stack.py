"""Consumer access stack: resource links, analyst grants, Athena workgroup."""

from __future__ import annotations

from aws_cdk.assertions import Match

GOV = "111111111111"


def test_resource_links_only_for_granted_subscriptions(templates):
    links = templates["Marketing-Access"].find_resources("AWS::Glue::Database")
    targets = {(r["Properties"]["DatabaseInput"]["Name"], r["Properties"]["DatabaseInput"]["TargetDatabase"]["CatalogId"])
               for r in links.values()}
    assert targets == {("sales_customers", GOV), ("sales_orders", GOV)}  # finance.invoices is pending


def test_resource_link_points_at_the_central_database(templates):
    templates["Analytics-Access"].has_resource_properties("AWS::Glue::Database", {
        "CatalogId": "555555555555",
        "DatabaseInput": {"Name": "finance_invoices",
                          "TargetDatabase": {"CatalogId": GOV, "DatabaseName": "finance_invoices"}},
    })


def test_analyst_role_gets_the_subscribed_permissions(templates):
    t = templates["Marketing-Access"]
    t.has_resource_properties("AWS::IAM::Role", {"RoleName": "acme-marketing-analyst"})
    found = [r["Properties"] for r in t.find_resources("AWS::LakeFormation::PrincipalPermissions").values()]
    on_target = sorted((g["Permissions"][0], next(iter(g["Resource"]))) for g in found
                       if next(iter(g["Resource"].values()))["CatalogId"] == GOV)
    # customers: DESCRIBE table + SELECT without pii columns; orders: DESCRIBE only
    assert on_target == [("DESCRIBE", "Table"), ("DESCRIBE", "Table"), ("SELECT", "TableWithColumns")]
    on_links = [g for g in found if next(iter(g["Resource"].values()))["CatalogId"] == "444444444444"]
    assert len(on_links) == 2 and all(g["Permissions"] == ["DESCRIBE"] for g in on_links)
    assert all(g["Catalog"] == "444444444444" and g["PermissionsWithGrantOption"] == [] for g in found)


def test_workgroup_enforces_encrypted_results(templates):
    templates["Analytics-Access"].has_resource_properties("AWS::Athena::WorkGroup", {
        "Name": "acme-analytics",
        "WorkGroupConfiguration": Match.object_like({
            "EnforceWorkGroupConfiguration": True,
            "ResultConfiguration": {
                "OutputLocation": Match.any_value(),
                "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": Match.any_value()},
            },
        }),
    })
    templates["Analytics-Access"].has_resource("AWS::S3::Bucket", {
        "Properties": Match.object_like({"BucketName": "acme-analytics-athena-555555555555-eu-west-1"}),
        "DeletionPolicy": "Retain",
    })


def test_consumer_only_account_gets_lake_formation_admins_in_its_access_stack(templates):
    templates["Analytics-Access"].resource_count_is("AWS::LakeFormation::DataLakeSettings", 1)
    templates["Finance-Access"].resource_count_is("AWS::LakeFormation::DataLakeSettings", 0)  # set by Finance-Storage
