"""Governance stack: Lake Formation admins, LF-tags, catalog encryption, registration role."""

from __future__ import annotations

from aws_cdk.assertions import Match

GOV = "111111111111"


def test_admins_are_appended_not_replaced(templates):
    templates["Governance"].has_resource_properties(
        "AWS::LakeFormation::DataLakeSettings",
        {
            "MutationType": "APPEND",
            "Admins": [
                {"DataLakePrincipalIdentifier": f"arn:aws:iam::{GOV}:role/cdk-hnb659fds-cfn-exec-role-{GOV}-eu-west-1"}
            ],
        },
    )


def test_taxonomy_tags(templates, example_mesh):
    t = templates["Governance"]
    t.resource_count_is("AWS::LakeFormation::Tag", 4)
    t.has_resource_properties(
        "AWS::LakeFormation::Tag",
        {"CatalogId": GOV, "TagKey": "domain", "TagValues": ["analytics", "finance", "marketing", "sales"]},
    )
    t.has_resource_properties(
        "AWS::LakeFormation::Tag",
        {"TagKey": "confidentiality", "TagValues": ["public", "internal", "confidential", "restricted"]},
    )
    t.has_resource_properties("AWS::LakeFormation::Tag", {"TagKey": "pii", "TagValues": ["true", "false"]})
    t.has_resource_properties(
        "AWS::LakeFormation::Tag", {"TagKey": "retention", "TagValues": ["short", "standard", "long"]}
    )


def test_catalog_encrypted_with_retained_rotating_key(templates):
    t = templates["Governance"]
    t.has_resource_properties(
        "AWS::Glue::DataCatalogEncryptionSettings",
        {
            "CatalogId": GOV,
            "DataCatalogEncryptionSettings": {
                "EncryptionAtRest": {"CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": Match.any_value()},
                "ConnectionPasswordEncryption": {
                    "ReturnConnectionPasswordEncrypted": True,
                    "KmsKeyId": Match.any_value(),
                },
            },
        },
    )
    t.has_resource(
        "AWS::KMS::Key",
        {
            "Properties": {"EnableKeyRotation": True},
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
        },
    )


def test_catalog_key_lets_mesh_accounts_use_it_only_through_glue_as_athena_needs(templates, example_mesh):
    templates["Governance"].has_resource_properties(
        "AWS::KMS::Key",
        {
            "KeyPolicy": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "MeshAccountsUseCatalogThroughGlue",
                                "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
                                "Condition": {
                                    "StringEquals": {
                                        "kms:ViaService": "glue.eu-west-1.amazonaws.com",
                                        "kms:CallerAccount": [d.account for d in example_mesh.domains],
                                    }
                                },
                            }
                        )
                    ]
                )
            },
        },
    )


def test_registration_role_is_named_and_reads_only_mesh_buckets(templates):
    t = templates["Governance"]
    t.has_resource_properties(
        "AWS::IAM::Role",
        {
            "RoleName": "acme-lakeformation-data-access",
            "AssumeRolePolicyDocument": {
                "Statement": [Match.object_like({"Principal": {"Service": "lakeformation.amazonaws.com"}})]
            },
        },
    )
    t.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                                "Resource": "arn:aws:s3:::acme-*-data-*-eu-west-1/*",
                            }
                        ),
                        Match.object_like(
                            {
                                "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
                                "Resource": "arn:aws:s3:::acme-*-data-*-eu-west-1",
                            }
                        ),
                    ]
                )
            }
        },
    )
