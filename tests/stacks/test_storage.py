"""Producer storage stack: key, buckets, policies for Lake Formation, producer role."""

from __future__ import annotations

from aws_cdk.assertions import Match

REGISTRATION_ROLE = "arn:aws:iam::111111111111:role/acme-lakeformation-data-access"


def test_only_producers_have_storage(templates):
    assert {name for name in templates if name.endswith("-Storage")} == {"Sales-Storage", "Finance-Storage"}


def test_data_bucket_is_named_encrypted_versioned_private_logged_and_retained(templates):
    templates["Sales-Storage"].has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": {
                "BucketName": "acme-sales-data-222222222222-eu-west-1",
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {
                            "BucketKeyEnabled": True,
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": Match.any_value(),
                            },
                        }
                    ]
                },
                "VersioningConfiguration": {"Status": "Enabled"},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "LoggingConfiguration": {
                    "DestinationBucketName": Match.any_value(),
                    "LogFilePrefix": "acme-sales-data-222222222222-eu-west-1/",
                },
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_log_bucket_is_retained_and_private(templates):
    templates["Sales-Storage"].has_resource(
        "AWS::S3::Bucket",
        {
            "Properties": Match.object_like(
                {
                    "BucketName": "acme-sales-logs-222222222222-eu-west-1",
                    "VersioningConfiguration": {"Status": "Enabled"},
                }
            ),
            "DeletionPolicy": "Retain",
        },
    )


def test_every_bucket_enforces_tls(templates):
    for name in ("Sales-Storage", "Finance-Storage"):
        policies = templates[name].find_resources("AWS::S3::BucketPolicy")
        assert len(policies) == 2
        for policy in policies.values():
            statements = policy["Properties"]["PolicyDocument"]["Statement"]
            assert any(
                s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
                for s in statements
            )


def test_bucket_policy_lets_lake_formation_role_read(templates):
    templates["Sales-Storage"].has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "LakeFormationListsData",
                                "Principal": {"AWS": REGISTRATION_ROLE},
                                "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
                            }
                        ),
                        Match.object_like(
                            {
                                "Sid": "LakeFormationReadsData",
                                "Effect": "Allow",
                                "Principal": {"AWS": REGISTRATION_ROLE},
                                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                            }
                        ),
                    ]
                )
            },
        },
    )


def test_key_rotates_is_retained_and_lets_lake_formation_decrypt_through_s3(templates):
    templates["Sales-Storage"].has_resource(
        "AWS::KMS::Key",
        {
            "Properties": {
                "EnableKeyRotation": True,
                "KeyPolicy": {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Sid": "LakeFormationDecryptsData",
                                    "Principal": {"AWS": REGISTRATION_ROLE},
                                    "Action": ["kms:Decrypt", "kms:DescribeKey"],
                                    "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
                                }
                            )
                        ]
                    )
                },
            },
            "DeletionPolicy": "Retain",
        },
    )
    templates["Sales-Storage"].has_resource_properties("AWS::KMS::Alias", {"AliasName": "alias/acme/sales/data"})


def test_producer_role_writes_only_its_product_prefixes(templates):
    t = templates["Sales-Storage"]
    t.has_resource_properties("AWS::IAM::Role", {"RoleName": "acme-sales-producer"})
    t.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "WriteProducts",
                                "Action": [
                                    "s3:AbortMultipartUpload",
                                    "s3:DeleteObject",
                                    "s3:GetObject",
                                    "s3:PutObject",
                                ],
                                "Resource": [
                                    {"Fn::Join": ["", [{"Fn::GetAtt": [Match.any_value(), "Arn"]}, "/customers/*"]]},
                                    {"Fn::Join": ["", [{"Fn::GetAtt": [Match.any_value(), "Arn"]}, "/orders/*"]]},
                                ],
                            }
                        ),
                    ]
                )
            }
        },
    )


def test_producer_account_gets_lake_formation_admins(templates):
    templates["Sales-Storage"].has_resource_properties(
        "AWS::LakeFormation::DataLakeSettings",
        {
            "MutationType": "APPEND",
            "Admins": [
                {
                    "DataLakePrincipalIdentifier": "arn:aws:iam::222222222222:role/cdk-hnb659fds-cfn-exec-role-222222222222-eu-west-1"
                }
            ],
        },
    )


def test_resources_are_tagged_with_mesh_domain_owner(templates):
    bucket = next(iter(templates["Sales-Storage"].find_resources("AWS::S3::Bucket").values()))
    assert {t["Key"]: t["Value"] for t in bucket["Properties"]["Tags"]} == {
        "datamesh:mesh": "acme",
        "datamesh:domain": "sales",
        "datamesh:owner": "sales-data@example.com",
        "datamesh:cost-centre": "CC-1001",
        "datamesh:confidentiality": "confidential",
    }
