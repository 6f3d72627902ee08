"""Puts into moto what ``cdk deploy`` of a mesh would create, with plain boto3 calls, account by account.

Written from the stacks' behaviour (governance, storage, catalog and access stacks), independently of
meshctl's own derivation, so that doctor's tests can catch a wrong expectation.
"""

from __future__ import annotations

import json

import boto3

from datamesh.config import Mesh, Permission
from datamesh.names import naming
from localaws import support

REGION = "eu-west-1"
ROLE = "OrganizationAccountAccessRole"
# The Athena partition projection of the test mesh's partitioned table (a date key without a
# first value: "injected", Athena user guide, "Supported types for partition projection").
PROJECTIONS = {
    ("sales_orders", "orders"): {
        "projection.enabled": "true",
        "projection.order_date.type": "injected",
        "storage.location.template": "s3://acme-sales-data-222222222222-eu-west-1/orders/order_date=${order_date}/",
    }
}


def session(account: str) -> boto3.Session:
    """Credentials in ``account``, as moto hands them out on sts:AssumeRole."""
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="test"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def grant(
    lakeformation, catalog: str, principal: str, resource: dict, permissions: list[str], grantable: bool = True
) -> None:
    lakeformation.grant_permissions(
        CatalogId=catalog,
        Principal={"DataLakePrincipalIdentifier": principal},
        Resource=resource,
        Permissions=permissions,
        PermissionsWithGrantOption=permissions if grantable else [],
    )


def analyst(mesh: Mesh, consumer: str) -> str:
    """The ARN of a consumer's analyst role (the access stack's ``AnalystRole``)."""
    return f"arn:aws:iam::{mesh.domain(consumer).account}:role/{mesh.config.name}-{consumer}-analyst"


def _policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _role(iam, name: str, trusted: str, *statements: dict) -> str:
    arn = iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=_policy(
            {"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"}
        ),
    )["Role"]["Arn"]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="Policy", PolicyDocument=_policy(*statements))
    return arn


def _key(kms, account: str, alias: str, *statements: dict) -> str:
    """A KMS key whose policy lets the account's IAM policies grant it, plus ``statements``."""
    root = {
        "Sid": "Account",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    arn = kms.create_key(Policy=_policy(root, *statements))["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=alias, TargetKeyId=arn)
    return arn


def _bucket(s3, name: str, key_arn: str | None = None, logs_to: str | None = None) -> None:
    """A bucket as the secure bucket construct makes it: versioned, public access blocked, SSE-KMS with
    ``key_arn`` or, without one (access-log buckets), SSE-S3; access logs to ``logs_to``, whose policy lets
    S3's logging service write."""
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn} if key_arn else {"SSEAlgorithm": "AES256"}
    s3.put_bucket_encryption(
        Bucket=name, ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": default}]}
    )
    if logs_to:
        s3.put_bucket_policy(
            Bucket=logs_to,
            Policy=_policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"arn:aws:s3:::{logs_to}/*",
                }
            ),
        )
        s3.put_bucket_logging(
            Bucket=name, BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs_to, "TargetPrefix": ""}}
        )


def _admins(session_: boto3.Session, account: str) -> None:
    """The CDK execution role (the test mesh names no admin roles) as Lake Formation admin, and the role these
    calls are made with, which deploys here as the execution role does (Lake Formation lets only admins create
    LF-tags and grant)."""
    session_.client("lakeformation").put_data_lake_settings(
        CatalogId=account,
        DataLakeSettings={
            "DataLakeAdmins": [
                {
                    "DataLakePrincipalIdentifier": f"arn:aws:iam::{account}:role/cdk-hnb659fds-cfn-exec-role-{account}-{REGION}"
                },
                {"DataLakePrincipalIdentifier": f"arn:aws:iam::{account}:role/{ROLE}"},
            ],
            # meshctl deploy's step before the first wave: Lake Formation permissions in effect, cross-account version 3
            "CreateDatabaseDefaultPermissions": [],
            "CreateTableDefaultPermissions": [],
            "Parameters": {"CROSS_ACCOUNT_VERSION": "3"},
        },
    )


def _accept_shares(session_: boto3.Session, gov: str) -> None:
    """Standalone accounts: accept the governance account's share, as ``meshctl deploy`` does between its waves."""
    ram = session_.client("ram")
    for invitation in ram.get_resource_share_invitations()["resourceShareInvitations"]:
        if invitation["status"] == "PENDING" and invitation["senderAccountId"] == gov:
            ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])


def deploy(mesh: Mesh) -> None:
    # The local AWS's Lake Formation and RAM rules (who may grant, shares to accept), whichever test ran first.
    support.install()
    cfg = mesh.config
    gov = cfg.governance_account
    governance = session(gov)
    glue, lakeformation = governance.client("glue"), governance.client("lakeformation")
    _admins(governance, gov)
    domain_accounts = sorted({d.account for d in mesh.domains})
    catalog_key = _key(
        governance.client("kms"),
        gov,
        f"alias/{cfg.name}/catalog",
        {
            "Sid": "MeshAccountsUseCatalogThroughGlue",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"kms:ViaService": f"glue.{REGION}.amazonaws.com", "kms:CallerAccount": domain_accounts}
            },
        },
    )
    glue.put_data_catalog_encryption_settings(
        CatalogId=gov,
        DataCatalogEncryptionSettings={
            "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": catalog_key}
        },
    )
    registration = _role(
        governance.client("iam"),
        f"{cfg.name}-lakeformation-data-access",
        "lakeformation.amazonaws.com",
        {
            "Sid": "DecryptProducerDataThroughS3",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": f"arn:aws:kms:{REGION}:*:key/*",
            "Condition": {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}},
        },
    )
    for key, values in naming.domain_tags(d.name for d in mesh.domains).items():  # split past 50 domains
        lakeformation.create_lf_tag(CatalogId=gov, TagKey=key, TagValues=values)
    lakeformation.create_lf_tag(CatalogId=gov, TagKey="confidentiality", TagValues=cfg.taxonomy.confidentiality)
    lakeformation.create_lf_tag(CatalogId=gov, TagKey="pii", TagValues=["true", "false"])
    for domain in mesh.domains:
        _admins(session(domain.account), domain.account)
    for domain in mesh.producers:
        bucket = f"{cfg.name}-{domain.name}-data-{domain.account}-{cfg.region}"
        producer = session(domain.account)
        data_key = _key(
            producer.client("kms"),
            domain.account,
            f"alias/{cfg.name}/{domain.name}/data",
            {
                "Sid": "LakeFormationDecryptsData",
                "Effect": "Allow",
                "Principal": {"AWS": registration},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"}},
            },
        )
        logs = f"{cfg.name}-{domain.name}-logs-{domain.account}-{cfg.region}"
        _bucket(producer.client("s3"), logs)
        _bucket(producer.client("s3"), bucket, data_key, logs)
        producer.client("s3").put_bucket_policy(
            Bucket=bucket,
            Policy=_policy(
                {
                    "Sid": "LakeFormationReadsData",
                    "Effect": "Allow",
                    "Principal": {"AWS": registration},
                    "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ),
        )
        _role(producer.client("iam"), f"{cfg.name}-{domain.name}-producer", domain.account)
        lakeformation.register_resource(ResourceArn=f"arn:aws:s3:::{bucket}", RoleArn=registration)
        for product in domain.products:
            database = f"{domain.name}_{product.name}".replace("-", "_")
            location = f"s3://{bucket}/{product.name}/"
            glue.create_database(
                CatalogId=gov,
                DatabaseInput={
                    "Name": database,
                    "Description": product.description,
                    "LocationUri": location,
                    "Parameters": {"datamesh:domain": domain.name, "datamesh:product": product.name},
                },
            )
            glue.create_table(
                CatalogId=gov,
                DatabaseName=database,
                TableInput={
                    "Name": product.name,
                    "Description": product.description,
                    "TableType": "EXTERNAL_TABLE",
                    "Parameters": {
                        "classification": product.format.value,
                        "datamesh:confidentiality": product.confidentiality,
                        **PROJECTIONS.get((database, product.name), {}),
                    },
                    "PartitionKeys": [{"Name": c.name, "Type": c.type} for c in product.partition_keys],
                    "StorageDescriptor": {
                        "Location": location,
                        "Columns": [
                            {"Name": c.name, "Type": c.type, "Comment": c.description} for c in product.columns
                        ],
                    },
                },
            )
            lakeformation.add_lf_tags_to_resource(
                CatalogId=gov,
                Resource={"Database": {"CatalogId": gov, "Name": database}},
                LFTags=[
                    {"TagKey": naming.domain_tag_key(domain.name, len(mesh.domains)), "TagValues": [domain.name]},
                    {"TagKey": "confidentiality", "TagValues": [product.confidentiality]},
                ],
            )
            pii = [c.name for c in product.columns if c.pii]
            if pii:
                lakeformation.add_lf_tags_to_resource(
                    CatalogId=gov,
                    Resource={
                        "TableWithColumns": {
                            "CatalogId": gov,
                            "DatabaseName": database,
                            "Name": product.name,
                            "ColumnNames": pii,
                        }
                    },
                    LFTags=[{"TagKey": "pii", "TagValues": ["true"]}],
                )
            grant(
                lakeformation,
                gov,
                domain.account,
                {"Database": {"CatalogId": gov, "Name": database}},
                ["ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"],
            )
            grant(
                lakeformation,
                gov,
                domain.account,
                {"Table": {"CatalogId": gov, "DatabaseName": database, "TableWildcard": {}}},
                ["ALTER", "DESCRIBE", "DROP", "SELECT"],
            )
        _accept_shares(producer, gov)
    for domain in mesh.consumers:
        consumer = session(domain.account)
        results = f"{cfg.name}-{domain.name}-athena-{domain.account}-{cfg.region}"
        results_logs = f"{cfg.name}-{domain.name}-athena-logs-{domain.account}-{cfg.region}"
        query_key = _key(consumer.client("kms"), domain.account, f"alias/{cfg.name}/{domain.name}/athena")
        _bucket(consumer.client("s3"), results_logs)
        _bucket(consumer.client("s3"), results, query_key, results_logs)
        consumer.client("athena").create_work_group(
            Name=f"{cfg.name}-{domain.name}",
            Configuration={
                "ResultConfiguration": {
                    "OutputLocation": f"s3://{results}/",
                    "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS"},
                }
            },
        )
        _role(
            consumer.client("iam"),
            f"{cfg.name}-{domain.name}-analyst",
            domain.account,
            {
                "Sid": "UseCatalogKeyThroughGlue",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": f"arn:aws:kms:{REGION}:{gov}:key/*",
                "Condition": {"StringEquals": {"kms:ViaService": f"glue.{REGION}.amazonaws.com"}},
            },
        )
    for share in mesh.granted_shares():
        account = mesh.domain(share.consumer).account
        product = mesh.product(share.producer, share.product)
        database = f"{share.producer}_{share.product}".replace("-", "_")
        table = {"CatalogId": gov, "DatabaseName": database, "Name": product.name}
        # with pii columns, SELECT names the others and the partition keys (an include list: the grant option
        # refuses an exclude list); without, it is on the table
        readable = [c.name for c in product.columns if not c.pii] + [k.name for k in product.partition_keys]
        select = (
            {"TableWithColumns": {**table, "ColumnNames": readable}}
            if any(c.pii for c in product.columns)
            else {"Table": table}
        )
        grant(lakeformation, gov, account, {"Database": {"CatalogId": gov, "Name": database}}, ["DESCRIBE"])
        if Permission.DESCRIBE in share.permissions:
            grant(lakeformation, gov, account, {"Table": table}, ["DESCRIBE"])
        if Permission.SELECT in share.permissions:
            grant(lakeformation, gov, account, select, ["SELECT"])
        consumer = session(account)
        _accept_shares(consumer, gov)
        consumer.client("glue").create_database(
            CatalogId=account,
            DatabaseInput={"Name": database, "TargetDatabase": {"CatalogId": gov, "DatabaseName": database}},
        )
        # the access stack: the analyst role's grants in the consumer's catalog, without grant option
        local, role = consumer.client("lakeformation"), analyst(mesh, share.consumer)
        grant(local, account, role, {"Database": {"CatalogId": account, "Name": database}}, ["DESCRIBE"], False)
        grant(
            local, account, role, {"Database": {"CatalogId": gov, "Name": database}}, ["DESCRIBE"], False
        )  # the target
        if Permission.DESCRIBE in share.permissions:
            grant(local, account, role, {"Table": table}, ["DESCRIBE"], False)
        if Permission.SELECT in share.permissions:
            grant(local, account, role, select, ["SELECT"], False)
