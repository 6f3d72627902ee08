"""Consumer access stack: resource links, analyst grants, Athena workgroup."""

from __future__ import annotations

from aws_cdk.assertions import Match

GOV = "111111111111"


def test_resource_links_only_for_granted_subscriptions(templates):
    links = templates["Marketing-Access"].find_resources("AWS::Glue::Database")
    targets = {
        (r["Properties"]["DatabaseInput"]["Name"], r["Properties"]["DatabaseInput"]["TargetDatabase"]["CatalogId"])
        for r in links.values()
    }
    assert targets == {("sales_customers", GOV), ("sales_orders", GOV)}  # finance.invoices is pending


def test_resource_link_points_at_the_central_database(templates):
    templates["Analytics-Access"].has_resource_properties(
        "AWS::Glue::Database",
        {
            "CatalogId": "555555555555",
            "DatabaseInput": {
                "Name": "finance_invoices",
                "TargetDatabase": {"CatalogId": GOV, "DatabaseName": "finance_invoices"},
            },
        },
    )


def test_analyst_role_gets_the_subscribed_permissions(templates):
    t = templates["Marketing-Access"]
    t.has_resource_properties("AWS::IAM::Role", {"RoleName": "acme-marketing-analyst"})
    found = [r["Properties"] for r in t.find_resources("AWS::LakeFormation::PrincipalPermissions").values()]
    analyst = [g for g in found if not isinstance(g["Principal"]["DataLakePrincipalIdentifier"], str)]
    on_target = sorted(
        (tuple(g["Permissions"]), kind)
        for g in analyst
        for kind, spec in g["Resource"].items()
        if (spec.get("CatalogId") or spec.get("TableCatalogId")) == GOV
    )
    # each linked database (a grant on a link grants nothing on its target); customers: DESCRIBE on the
    # table and SELECT on the approval's data filter (French rows, columns but email); orders: DESCRIBE only
    assert on_target == [
        (("DESCRIBE",), "Database"),
        (("DESCRIBE",), "Database"),
        (("DESCRIBE",), "Table"),
        (("DESCRIBE",), "Table"),
        (("SELECT",), "DataCellsFilter"),
    ]
    on_links = [g for g in analyst if next(iter(g["Resource"].values())).get("CatalogId") == "444444444444"]
    assert len(on_links) == 2 and all(g["Permissions"] == ["DESCRIBE"] for g in on_links)
    assert all(g["Catalog"] == "444444444444" and g["PermissionsWithGrantOption"] == [] for g in found)


def test_analyst_is_granted_describe_on_each_linked_database_of_the_governance_catalog(templates):
    t = templates["Analytics-Access"]  # analytics subscribed to sales.orders and finance.invoices
    targets = sorted(
        g["Properties"]["Resource"]["Database"]["Name"]
        for g in t.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        if g["Properties"]["Resource"].get("Database", {}).get("CatalogId") == GOV
    )
    assert targets == ["finance_invoices", "sales_orders"]


def test_resource_links_wait_for_the_accounts_lake_formation_admins(templates):
    """Creating a database (a resource link is one) needs a data lake admin, as granting does."""
    t = templates["Analytics-Access"]
    (settings,) = t.find_resources("AWS::LakeFormation::DataLakeSettings")
    links = [
        r
        for r in t.find_resources("AWS::Glue::Database").values()
        if "TargetDatabase" in r["Properties"]["DatabaseInput"]
    ]
    assert len(links) == 2 and all(settings in r.get("DependsOn", []) for r in links)


def test_the_analyst_may_browse_and_query_in_its_workgroup_as_athenas_guide_lists(templates):
    """Athena user guide, "Example workgroup policies": a user running queries in one workgroup; the catalog
    actions on the account's own catalog (the resource links), the listing ones on every resource."""
    statements = {
        s["Sid"]: s
        for p in templates["Marketing-Access"].find_resources("AWS::IAM::Policy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if "Sid" in s
    }
    athena = "arn:aws:athena:eu-west-1:444444444444"
    assert (sorted(statements["QueryInWorkgroup"]["Action"]), statements["QueryInWorkgroup"]["Resource"]) == (
        sorted(
            [
                "athena:BatchGetNamedQuery",
                "athena:BatchGetQueryExecution",
                "athena:CreateNamedQuery",
                "athena:DeleteNamedQuery",
                "athena:GetNamedQuery",
                "athena:GetQueryExecution",
                "athena:GetQueryResults",
                "athena:GetQueryResultsStream",
                "athena:GetWorkGroup",
                "athena:ListNamedQueries",
                "athena:ListQueryExecutions",
                "athena:StartQueryExecution",
                "athena:StopQueryExecution",
            ]
        ),
        f"{athena}:workgroup/acme-marketing",
    )
    assert (sorted(statements["BrowseInAthena"]["Action"]), statements["BrowseInAthena"]["Resource"]) == (
        ["athena:GetDatabase", "athena:GetTableMetadata", "athena:ListDatabases", "athena:ListTableMetadata"],
        f"{athena}:datacatalog/AwsDataCatalog",
    )
    assert (sorted(statements["ListInAthena"]["Action"]), statements["ListInAthena"]["Resource"]) == (
        ["athena:ListDataCatalogs", "athena:ListEngineVersions", "athena:ListWorkGroups"],
        "*",
    )
    assert not [
        a
        for s in statements.values()
        for a in s["Action"]
        if a.startswith("athena:")
        and a
        not in (
            *statements["QueryInWorkgroup"]["Action"],
            *statements["BrowseInAthena"]["Action"],
            *statements["ListInAthena"]["Action"],
        )
    ]


def test_workgroup_enforces_encrypted_results(templates):
    templates["Analytics-Access"].has_resource_properties(
        "AWS::Athena::WorkGroup",
        {
            "Name": "acme-analytics",
            "WorkGroupConfiguration": Match.object_like(
                {
                    "EnforceWorkGroupConfiguration": True,
                    "ResultConfiguration": {
                        "OutputLocation": Match.any_value(),
                        "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": Match.any_value()},
                    },
                }
            ),
        },
    )
    templates["Analytics-Access"].has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": Match.object_like({"BucketName": "acme-analytics-athena-555555555555-eu-west-1"}),
            "DeletionPolicy": "Retain",
        },
    )


def test_consumer_only_account_gets_lake_formation_admins_in_its_access_stack(templates):
    templates["Analytics-Access"].resource_count_is("AWS::LakeFormation::DataLakeSettings", 1)
    templates["Finance-Access"].resource_count_is("AWS::LakeFormation::DataLakeSettings", 0)  # set by Finance-Storage


def test_a_consumer_naming_identity_center_principals_gets_the_execution_role_of_their_workgroup(templates):
    # marketing's campaigns group (domains/marketing.yaml): Athena assumes the role and sets the user's context
    templates["Marketing-Access"].has_resource_properties(
        "AWS::IAM::Role",
        {
            "RoleName": "acme-marketing-identity-center-queries",
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {
                        "Action": ["sts:AssumeRole", "sts:SetContext"],
                        "Effect": "Allow",
                        "Principal": {"Service": "athena.amazonaws.com"},
                    }
                ]
            },
        },
    )
    names = {
        r["Properties"]["RoleName"] for r in templates["Analytics-Access"].find_resources("AWS::IAM::Role").values()
    }
    assert "acme-analytics-identity-center-queries" not in names  # analytics names no Identity Center principal


def test_its_identity_center_principals_get_access_grants_on_the_identity_center_results(templates):
    t = templates["Marketing-Access"]
    t.has_resource_properties(
        "AWS::S3::AccessGrantsInstance",
        {"IdentityCenterArn": "arn:aws:sso:::instance/ssoins-78c7a38466c2f165"},  # mesh.yaml
    )
    (grant,) = t.find_resources("AWS::S3::AccessGrant").values()
    assert grant["Properties"]["Grantee"] == {
        "GranteeIdentifier": "8ec076ae-3f0d-5e69-9083-d716ec11412f",  # the campaigns group, domains/marketing.yaml
        "GranteeType": "DIRECTORY_GROUP",
    }
    assert grant["Properties"]["Permission"] == "READWRITE"
    assert grant["Properties"]["AccessGrantsLocationConfiguration"] == {"S3SubPrefix": "results/identity-center/*"}
    assert templates["Analytics-Access"].find_resources("AWS::S3::AccessGrant") == {}


def test_access_grants_keep_their_properties_when_the_stacks_tags_change(mesh_copy, templates):
    """Their Tags are create-only (the types' resource schemas), and an account holds one Access Grants instance:
    a changed tag would replace it, and the new one would be refused. Revoking marketing's confidential
    subscription lowers its stack's confidentiality tag; the Access Grants resources stay as they were."""
    from aws_cdk import App

    from datamesh.app.mesh_app import build_mesh
    from datamesh.config import load_mesh

    def revoke_customers(data):
        data["consumes"] = [c for c in data["consumes"] if c["product"] != "sales.customers"]
        return data

    app = App()
    build_mesh(app, load_mesh(mesh_copy(("domains/marketing.yaml", revoke_customers))))
    [after] = [s.template for s in app.synth().stacks if s.stack_name.endswith("Marketing-Access")]
    before = templates["Marketing-Access"].to_json()
    kinds = {"AWS::S3::AccessGrantsInstance", "AWS::S3::AccessGrantsLocation", "AWS::S3::AccessGrant"}
    grants = {k: r for k, r in before["Resources"].items() if r["Type"] in kinds}
    assert len(grants) == 3
    tags = {t["Key"]: t["Value"] for t in before["Resources"][next(iter(grants))]["Properties"]["Tags"]}
    assert tags == {"datamesh:mesh": "acme", "datamesh:domain": "marketing"}
    assert {k: after["Resources"][k] for k in grants} == grants
