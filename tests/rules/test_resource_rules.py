"""Each resource rule against a compliant and a non-compliant stack of the sales domain."""

from __future__ import annotations

import dataclasses

import pytest
from aws_cdk import CfnDeletionPolicy, RemovalPolicy, Stack, Tags
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lakeformation as lakeformation
from aws_cdk import aws_s3 as s3

from datamesh.blueprint import Grant as GrantSpec
from datamesh.blueprint import Resource, blueprint
from datamesh.config.models import PolicySettings
from datamesh.constructs.data_key import DataKey
from datamesh.constructs.data_product import DataProductCatalogEntry
from datamesh.constructs.lake_formation import Grant
from datamesh.constructs.logged_storage import LoggedStorage
from datamesh.constructs.policy_document import account_root, statement
from datamesh.constructs.query_workspace import QueryWorkspace
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.rules import (
    BucketAccessLogs,
    BucketEncryption,
    BucketPublicAccess,
    BucketTls,
    BucketVersioning,
    DataResidency,
    KeyRotation,
    LeastPrivilege,
    PiiColumnsTagged,
    PiiWithheld,
    QueryResultsEncryption,
    RequiredTags,
    RetainData,
    RuleContext,
)
from datamesh.rules.engine.cfn import text
from datamesh.rules.general.required_tags import is_taggable
from tests.rules.conftest import PRODUCER_ACCOUNT

REGISTRATION_ROLE = "arn:aws:iam::111111111111:role/acme-lakeformation-data-access"
GOV = "111111111111"


def storage(stack: Stack) -> SecureBucket:
    """What a producer's storage holds: key, access-log bucket and data bucket, as the mesh builds them."""
    key = DataKey(stack, "Key", account=PRODUCER_ACCOUNT, alias="alias/test/data", description="test", tags={})
    logs = SecureBucket(stack, "Logs", account=PRODUCER_ACCOUNT, bucket_name="test-logs", tags={})
    return SecureBucket(
        stack, "Data", account=PRODUCER_ACCOUNT, bucket_name="test-data", tags={}, encryption_key=key, access_logs=logs
    )


def only(messages: list[str], rule_id: str, reason: str, path: str = "Test/") -> None:
    """Exactly one error, naming the domain, the construct path, the rule and the reason."""
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"domain sales: {path}"), messages[0]
    assert reason in messages[0] and rule_id in messages[0], messages[0]


class TestBucketEncryption:
    def test_mesh_buckets_comply(self, findings):
        assert findings(BucketEncryption(), storage) == []

    def test_rejects_s3_managed_data_bucket(self, findings):
        messages = findings(
            BucketEncryption(), lambda st: s3.Bucket(st, "Plain", encryption=s3.BucketEncryption.S3_MANAGED)
        )
        only(
            messages,
            "DataMesh::BucketEncryption",
            "not encrypted with a customer-managed KMS key",
            "Test/Plain/Resource",
        )

    def test_rejects_aws_managed_key(self, findings):
        messages = findings(
            BucketEncryption(), lambda st: s3.Bucket(st, "Managed", encryption=s3.BucketEncryption.KMS_MANAGED)
        )
        only(messages, "DataMesh::BucketEncryption", "customer-managed KMS key", "Test/Managed/Resource")

    def test_access_log_bucket_must_use_sse_s3(self, findings):
        def build(stack):
            key = kms.Key(stack, "Key", enable_key_rotation=True)
            logs = s3.CfnBucket(
                stack,
                "Logs",
                bucket_encryption=s3.CfnBucket.BucketEncryptionProperty(
                    server_side_encryption_configuration=[
                        s3.CfnBucket.ServerSideEncryptionRuleProperty(
                            server_side_encryption_by_default=s3.CfnBucket.ServerSideEncryptionByDefaultProperty(
                                sse_algorithm="aws:kms", kms_master_key_id=key.key_arn
                            )
                        )
                    ]
                ),
            )
            s3.Bucket(
                stack, "Data", encryption_key=key
            ).node.default_child.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
                destination_bucket_name=logs.ref
            )

        only(findings(BucketEncryption(), build), "DataMesh::BucketEncryption", "must use SSE-S3", "Test/Logs")


class TestBucketVersioning:
    def test_mesh_buckets_comply(self, findings):
        assert findings(BucketVersioning(), storage) == []

    def test_rejects_unversioned_bucket(self, findings):
        messages = findings(BucketVersioning(), lambda st: s3.Bucket(st, "Plain", versioned=False))
        only(messages, "DataMesh::BucketVersioning", "versioning is not enabled", "Test/Plain/Resource")

    def test_sees_raw_overrides(self, findings):
        """The rules read the synthesized template, so an escape hatch cannot hide a violation."""

        def build(stack):
            bucket = SecureBucket(stack, "Data", account=PRODUCER_ACCOUNT, bucket_name="test-data", tags={}).bucket
            bucket.add_property_override("VersioningConfiguration.Status", "Suspended")

        only(
            findings(BucketVersioning(), build),
            "DataMesh::BucketVersioning",
            "versioning is not enabled",
            "Test/Data/Resource/Resource",
        )


class TestBucketPublicAccess:
    def test_mesh_buckets_comply(self, findings):
        assert findings(BucketPublicAccess(), storage) == []

    def test_rejects_partial_block(self, findings):
        partial = s3.BlockPublicAccess(block_public_acls=True, ignore_public_acls=True)
        messages = findings(BucketPublicAccess(), lambda st: s3.Bucket(st, "Open", block_public_access=partial))
        only(
            messages,
            "DataMesh::BucketPublicAccess",
            "BlockPublicPolicy, RestrictPublicBuckets not true",
            "Test/Open/Resource",
        )


class TestBucketTls:
    def test_mesh_buckets_comply(self, findings):
        assert findings(BucketTls(), storage) == []

    def test_rejects_bucket_without_tls_policy(self, findings):
        def build(stack):
            bucket = s3.Bucket(stack, "Plain", enforce_ssl=False)
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    principals=[iam.AccountRootPrincipal()],
                    actions=["s3:GetObject"],
                    resources=[bucket.arn_for_objects("*")],
                )
            )

        only(findings(BucketTls(), build), "DataMesh::BucketTls", "denies requests without TLS", "Test/Plain/Resource")

    @pytest.mark.parametrize(
        "principal, actions",
        [
            (iam.AccountRootPrincipal(), ["s3:*"]),  # denies plain HTTP to one account only
            (iam.AnyPrincipal(), ["s3:GetObject"]),  # denies plain HTTP for one action only
        ],
    )
    def test_rejects_a_tls_deny_that_does_not_cover_everyone_and_everything(self, findings, principal, actions):
        def build(stack):
            bucket = s3.Bucket(stack, "Plain", enforce_ssl=False)
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    effect=iam.Effect.DENY,
                    principals=[principal],
                    actions=actions,
                    resources=[bucket.bucket_arn, bucket.arn_for_objects("*")],
                    conditions={"Bool": {"aws:SecureTransport": "false"}},
                )
            )

        only(findings(BucketTls(), build), "DataMesh::BucketTls", "denies requests without TLS", "Test/Plain/Resource")

    def test_another_buckets_tls_policy_does_not_count(self, findings):
        def build(stack):
            s3.Bucket(stack, "Safe", enforce_ssl=True)
            s3.Bucket(stack, "Plain", enforce_ssl=False)

        only(findings(BucketTls(), build), "DataMesh::BucketTls", "denies requests without TLS", "Test/Plain/Resource")

    def test_rejects_a_deny_that_does_not_depend_on_tls(self, findings):
        def build(stack):
            bucket = s3.Bucket(stack, "Plain", enforce_ssl=False)
            bucket.add_to_resource_policy(
                iam.PolicyStatement(
                    effect=iam.Effect.DENY,
                    principals=[iam.AnyPrincipal()],
                    actions=["s3:*"],
                    resources=[bucket.bucket_arn, bucket.arn_for_objects("*")],
                )
            )

        only(findings(BucketTls(), build), "DataMesh::BucketTls", "denies requests without TLS", "Test/Plain/Resource")


class TestBucketAccessLogs:
    def test_data_bucket_logs_and_log_bucket_is_exempt(self, findings):
        assert findings(BucketAccessLogs(), storage) == []

    def test_rejects_bucket_without_logs(self, findings):
        messages = findings(BucketAccessLogs(), lambda st: s3.Bucket(st, "Plain"))
        only(messages, "DataMesh::BucketAccessLogs", "server access logging is off", "Test/Plain/Resource")


class TestKeyRotation:
    def test_data_key_complies(self, findings):
        assert (
            findings(
                KeyRotation(),
                lambda st: DataKey(
                    st, "Key", account=PRODUCER_ACCOUNT, alias="alias/test", description="test", tags={}
                ),
            )
            == []
        )

    def test_rejects_key_without_rotation(self, findings):
        messages = findings(KeyRotation(), lambda st: kms.Key(st, "Key", enable_key_rotation=False))
        only(messages, "DataMesh::KeyRotation", "rotation is not enabled", "Test/Key/Resource")


class TestQueryResultsEncryption:
    def test_query_workspace_complies(self, findings):
        def build(stack):
            storage = LoggedStorage(
                stack,
                account=PRODUCER_ACCOUNT,
                tags={},
                key_id="Key",
                key_alias="alias/test",
                key_description="test",
                logs_id="Logs",
                logs_bucket_name="test-logs",
            )
            QueryWorkspace(
                stack, "Queries", workgroup_name="test", results_bucket_name="test-results", storage=storage, tags={}
            )

        assert findings(QueryResultsEncryption(), build) == []

    def test_rejects_unenforced_unencrypted_workgroup(self, findings):
        def build(stack):
            athena.CfnWorkGroup(
                stack,
                "WorkGroup",
                name="test",
                work_group_configuration=(
                    athena.CfnWorkGroup.WorkGroupConfigurationProperty(enforce_work_group_configuration=False)
                ),
            )

        messages = findings(QueryResultsEncryption(), build)
        assert len(messages) == 2 and all(m.startswith("domain sales: Test/WorkGroup") for m in messages)
        assert "does not enforce its configuration" in messages[0] and "not encrypted with a KMS key" in messages[1]

    def test_rejects_kms_encryption_without_a_key(self, findings):
        def build(stack):
            athena.CfnWorkGroup(
                stack,
                "WorkGroup",
                name="test",
                work_group_configuration=(
                    athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                        enforce_work_group_configuration=True,
                        result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                            encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                                encryption_option="SSE_KMS"
                            )
                        ),
                    )
                ),
            )

        only(
            findings(QueryResultsEncryption(), build),
            "DataMesh::QueryResultsEncryption",
            "query results are not encrypted with a KMS key",
            "Test/WorkGroup",
        )


def tag(stack: Stack, *names: str) -> None:
    for name in names:
        Tags.of(stack).add(f"datamesh:{name}", "x")


class TestRequiredTags:
    def test_resources_with_every_tag_comply(self, findings):
        def build(stack):
            tag(stack, "mesh", "domain", "owner", "confidentiality", "cost-centre")
            storage(stack)

        assert findings(RequiredTags(), build) == []

    def test_rejects_missing_tags(self, findings):
        def build(stack):
            tag(stack, "mesh", "domain", "owner")
            kms.Key(stack, "Key", enable_key_rotation=True)

        messages = findings(RequiredTags(), build)
        only(
            messages,
            "DataMesh::RequiredTags",
            "missing tags datamesh:confidentiality, datamesh:cost-centre",
            "Test/Key",
        )

    @pytest.mark.parametrize(
        "cfn_type, taggable",
        [
            ("AWS::S3::Bucket", True),
            ("AWS::IAM::Policy", False),
            ("Custom::S3::Bucket", False),
            ("AWS::NoSuchService::Thing", False),
            ("AWS::S3", False),
        ],
    )
    def test_only_types_whose_cdk_class_takes_tags_need_them(self, cfn_type, taggable):
        assert is_taggable(cfn_type) is taggable

    def test_the_organisation_chooses_the_tags(self, findings, example_mesh):
        relaxed = example_mesh.config.model_copy(update={"policies": PolicySettings(required_tags=["mesh"])})
        mesh = dataclasses.replace(example_mesh, config=relaxed)

        def build(stack):
            tag(stack, "mesh")
            kms.Key(stack, "Key", enable_key_rotation=True)

        assert findings(RequiredTags(), build, mesh=mesh) == []


class TestDataResidency:
    def test_own_account_and_lake_formation_reads_comply(self, findings):
        def build(stack):
            bucket = storage(stack)
            bucket.add_to_resource_policy(
                statement(
                    principal={"AWS": REGISTRATION_ROLE},
                    actions=["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:GetBucketLocation"],
                    resources=[bucket.bucket_arn, bucket.arn_for_objects("*")],
                )
            )
            bucket.add_to_resource_policy(
                statement(
                    principal={"AWS": account_root(PRODUCER_ACCOUNT)},
                    actions=["s3:PutObject"],
                    resources=[bucket.arn_for_objects("*")],
                )
            )

        assert findings(DataResidency(), build) == []

    def test_rejects_another_account_writing(self, findings):
        def build(stack):
            bucket = storage(stack)
            bucket.add_to_resource_policy(
                statement(
                    principal={"AWS": account_root("999999999999")},
                    actions=["s3:PutObject"],
                    resources=[bucket.arn_for_objects("*")],
                )
            )

        only(
            findings(DataResidency(), build),
            "DataMesh::DataResidency",
            "lets account 999999999999 s3:PutObject",
            "Test/Data/Resource/Policy",
        )

    def test_rejects_lake_formation_role_writing(self, findings):
        def build(stack):
            bucket = storage(stack)
            bucket.add_to_resource_policy(
                statement(
                    principal={"AWS": REGISTRATION_ROLE},
                    actions=["s3:GetObject", "s3:DeleteObject"],
                    resources=[bucket.arn_for_objects("*")],
                )
            )

        only(
            findings(DataResidency(), build),
            "DataMesh::DataResidency",
            "lets account 111111111111 s3:DeleteObject, s3:GetObject",
        )

    def test_rejects_service_not_pinned_to_the_account(self, findings):
        def build(stack):
            bucket = storage(stack)
            bucket.add_to_resource_policy(
                statement(
                    principal={"Service": "logging.s3.amazonaws.com"},
                    actions=["s3:PutObject"],
                    resources=[bucket.arn_for_objects("*")],
                )
            )

        only(
            findings(DataResidency(), build),
            "DataMesh::DataResidency",
            "allows service logging.s3.amazonaws.com without aws:SourceAccount 222222222222",
        )


def role(stack: Stack, *statements: iam.PolicyStatement) -> None:
    analyst = iam.Role(stack, "Role", assumed_by=iam.AccountRootPrincipal())
    for each in statements:
        analyst.add_to_policy(each)


class TestLeastPrivilege:
    def test_named_actions_and_the_unscoped_exception_comply(self, findings):
        def build(stack):
            role(
                stack,
                iam.PolicyStatement(actions=["s3:GetObject"], resources=["arn:aws:s3:::bucket/prefix/*"]),
                iam.PolicyStatement(actions=["lakeformation:GetDataAccess"], resources=["*"]),
            )
            storage(stack)  # key policy: kms:* for the account root, the default delegation to IAM

        assert findings(LeastPrivilege(), build) == []

    def test_rejects_a_service_wildcard_in_a_roles_inline_policy(self, findings):
        def build(stack):
            iam.CfnRole(
                stack,
                "Inline",
                assume_role_policy_document={
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                        }
                    ],
                },
                policies=[
                    iam.CfnRole.PolicyProperty(
                        policy_name="all",
                        policy_document={
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Sid": "All",
                                    "Effect": "Allow",
                                    "Action": "glue:*",
                                    "Resource": "arn:aws:glue:eu-west-1:222222222222:catalog",
                                }
                            ],
                        },
                    )
                ],
            )

        only(
            findings(LeastPrivilege(), build),
            "DataMesh::LeastPrivilege",
            "statement 'All' allows every action of a service (glue:*)",
            "Test/Inline",
        )

    def test_rejects_service_wildcard(self, findings):
        messages = findings(
            LeastPrivilege(),
            lambda st: role(
                st,
                iam.PolicyStatement(
                    sid="All", actions=["glue:*"], resources=["arn:aws:glue:eu-west-1:222222222222:catalog"]
                ),
            ),
        )
        only(
            messages,
            "DataMesh::LeastPrivilege",
            "statement 'All' allows every action of a service (glue:*)",
            "Test/Role/DefaultPolicy/Resource",
        )

    def test_rejects_bare_star_resource_on_data(self, findings):
        messages = findings(
            LeastPrivilege(),
            lambda st: role(
                st, iam.PolicyStatement(actions=["s3:GetObject", "lakeformation:GetDataAccess"], resources=["*"])
            ),
        )
        only(messages, "DataMesh::LeastPrivilege", "allows s3:GetObject on every resource ('*')")

    def test_rejects_star_action_in_a_resource_policy(self, findings):
        def build(stack):
            key = kms.Key(stack, "Key", enable_key_rotation=True)
            key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="Everything", principals=[iam.AccountRootPrincipal()], actions=["*"], resources=["*"]
                )
            )

        only(
            findings(LeastPrivilege(), build),
            "DataMesh::LeastPrivilege",
            "statement 'Everything' allows every action ('*')",
            "Test/Key/Resource",
        )


def customers(mesh):
    """The database of sales.customers, as the blueprint of ``mesh`` has it."""
    return next(db for db in blueprint(mesh).databases_of("sales") if db.product == "customers")


def select(principal: str, resource: Resource) -> GrantSpec:
    return GrantSpec("", "sales.customers", principal, resource, ("SELECT",), catalog=GOV)


# The include list a share names: every column of sales.customers but email, and the partition keys.
CUSTOMERS_BUT_EMAIL = Resource.columns_of("sales_customers", "customers", ("customer_id", "segment", "country"), GOV)


@pytest.fixture
def mesh_with_pii_partition_key(example_mesh):
    """sales.customers partitioned by ``country``, flagged pii (its ``email`` column stays pii).

    The loader refuses such a product (Lake Formation cannot withhold a partition key), so it
    is made past the loader: the rules must still catch a template that exposes one.
    """
    sales = example_mesh.domain("sales")
    products = []
    for product in sales.products:
        if product.name == "customers":
            country = next(c for c in product.columns if c.name == "country")
            product = product.model_copy(
                update={
                    "columns": [c for c in product.columns if c is not country],
                    "partition_keys": [country.model_copy(update={"pii": True})],
                }
            )
        products.append(product)
    domains = tuple(d.model_copy(update={"products": products}) if d is sales else d for d in example_mesh.domains)
    return dataclasses.replace(example_mesh, domains=domains)


class TestPiiColumnsTagged:
    def test_catalog_entry_complies(self, findings, example_mesh):
        def build(stack):
            DataProductCatalogEntry(stack, "Customers", catalog_id=GOV, database=customers(example_mesh))

        assert findings(PiiColumnsTagged(), build) == []

    def test_rejects_untagged_pii_column(self, findings):
        def build(stack):
            database = glue.CfnDatabase(
                stack,
                "Database",
                catalog_id=GOV,
                database_input=glue.CfnDatabase.DatabaseInputProperty(name="sales_customers"),
            )
            glue.CfnTable(
                stack,
                "Table",
                catalog_id=GOV,
                database_name=database.ref,
                table_input=glue.CfnTable.TableInputProperty(name="customers"),
            )

        only(
            findings(PiiColumnsTagged(), build),
            "DataMesh::PiiColumnsTagged",
            "pii columns email do not carry the LF-tag pii=true",
            "Test/Table",
        )

    def test_rejects_a_pii_column_tagged_with_something_else(self, findings):
        def build(stack):
            database = glue.CfnDatabase(
                stack,
                "Database",
                catalog_id=GOV,
                database_input=glue.CfnDatabase.DatabaseInputProperty(name="sales_customers"),
            )
            table = glue.CfnTable(
                stack,
                "Table",
                catalog_id=GOV,
                database_name=database.ref,
                table_input=glue.CfnTable.TableInputProperty(name="customers"),
            )
            lakeformation.CfnTagAssociation(
                stack,
                "Restricted",
                lf_tags=[
                    lakeformation.CfnTagAssociation.LFTagPairProperty(
                        catalog_id=GOV, tag_key="confidentiality", tag_values=["restricted"]
                    )
                ],
                resource=lakeformation.CfnTagAssociation.ResourceProperty(
                    table_with_columns=lakeformation.CfnTagAssociation.TableWithColumnsResourceProperty(
                        catalog_id=GOV, database_name=database.ref, name=table.ref, column_names=["email"]
                    )
                ),
            )

        only(
            findings(PiiColumnsTagged(), build),
            "DataMesh::PiiColumnsTagged",
            "pii columns email do not carry the LF-tag pii=true",
            "Test/Table",
        )

    def test_rejects_an_untagged_pii_partition_key(self, findings, mesh_with_pii_partition_key):
        product = mesh_with_pii_partition_key.product("sales", "customers")
        assert [k.name for k in product.partition_keys] == ["country"]
        database = customers(mesh_with_pii_partition_key)

        def build(stack):  # the catalog entry tags the pii columns (email), not the partition keys
            DataProductCatalogEntry(stack, "Customers", catalog_id=GOV, database=database)

        only(
            findings(PiiColumnsTagged(), build, mesh=mesh_with_pii_partition_key),
            "DataMesh::PiiColumnsTagged",
            "pii columns country do not carry the LF-tag pii=true",
            "Test/Customers/Table",
        )


class TestPiiWithheld:
    def test_select_without_pii_columns_and_the_producers_own_grant_comply(self, findings):
        def build(stack):
            Grant(stack, "Consumer", grant=select("444444444444", CUSTOMERS_BUT_EMAIL))
            Grant(stack, "Producer", grant=select("222222222222", Resource("sales_customers", "*", catalog=GOV)))

        assert findings(PiiWithheld(), build) == []

    def test_select_on_another_table_of_the_products_database_is_not_about_the_product(self, findings):
        def build(stack):
            Grant(
                stack,
                "Consumer",
                grant=select("444444444444", Resource("sales_customers", "customers_summary", catalog=GOV)),
            )

        assert findings(PiiWithheld(), build) == []

    def test_rejects_select_on_the_whole_table(self, findings):
        def build(stack):
            Grant(
                stack, "Consumer", grant=select("444444444444", Resource("sales_customers", "customers", catalog=GOV))
            )

        only(
            findings(PiiWithheld(), build),
            "DataMesh::PiiWithheld",
            "grants SELECT on pii columns email of sales.customers",
            "Test/Consumer/Resource",
        )

    def test_rejects_select_that_leaves_out_pii_columns_but_not_a_pii_partition_key(
        self, findings, mesh_with_pii_partition_key
    ):
        def build(stack):
            Grant(stack, "Consumer", grant=select("444444444444", CUSTOMERS_BUT_EMAIL))

        only(
            findings(PiiWithheld(), build, mesh=mesh_with_pii_partition_key),
            "DataMesh::PiiWithheld",
            "grants SELECT on pii columns country of sales.customers",
            "Test/Consumer/Resource",
        )

    def test_rejects_select_naming_the_table_by_reference(self, findings, example_mesh):
        def build(stack):
            entry = DataProductCatalogEntry(stack, "Customers", catalog_id=GOV, database=customers(example_mesh))
            Grant(
                stack,
                "Consumer",
                grant=select("444444444444", Resource("sales_customers", "customers", catalog=GOV)),
                database=entry.database.ref,
                table=entry.table.ref,
            )

        only(
            findings(PiiWithheld(), build),
            "DataMesh::PiiWithheld",
            "grants SELECT on pii columns email of sales.customers",
            "Test/Consumer/Resource",
        )


class TestRetainData:
    def test_retained_resources_and_resource_links_comply(self, findings):
        def build(stack):
            storage(stack)
            glue.CfnDatabase(
                stack,
                "Link",
                catalog_id="444444444444",
                database_input=glue.CfnDatabase.DatabaseInputProperty(
                    name="sales_orders",
                    target_database=glue.CfnDatabase.DatabaseIdentifierProperty(
                        catalog_id=GOV, database_name="sales_orders"
                    ),
                ),
            )

        assert findings(RetainData(), build) == []

    def test_rejects_bucket_deleted_with_its_stack(self, findings):
        messages = findings(RetainData(), lambda st: s3.Bucket(st, "Doomed", removal_policy=RemovalPolicy.DESTROY))
        only(messages, "DataMesh::RetainData", "must both be Retain", "Test/Doomed/Resource")

    def test_rejects_a_bucket_retained_on_delete_but_not_on_replacement(self, findings):
        def build(stack):
            bucket = s3.CfnBucket(stack, "Half")
            bucket.cfn_options.deletion_policy = CfnDeletionPolicy.RETAIN
            bucket.cfn_options.update_replace_policy = CfnDeletionPolicy.DELETE

        only(findings(RetainData(), build), "DataMesh::RetainData", "must both be Retain", "Test/Half")

    def test_is_on_unless_the_context_says_otherwise(self, example_mesh):
        assert RuleContext(example_mesh).allow_destroy is False

    def test_is_off_when_destroying_data_is_allowed(self, findings):
        build = lambda st: s3.Bucket(st, "Doomed", removal_policy=RemovalPolicy.DESTROY)  # noqa: E731
        assert findings(RetainData(), build, allow_destroy=True) == []


class TestTemplateValues:
    def test_an_arn_joined_with_the_partition_reads_as_aws(self):
        joined = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::acme-sales-data"]]}
        assert text(joined) == "arn:aws:s3:::acme-sales-data"
        assert text({"Ref": "Bucket"}) == "${token}"
