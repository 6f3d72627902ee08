"""Puts into moto what ``cdk deploy`` of a mesh would create, with plain boto3 calls, account by account.

Written from the stacks' behaviour (catalog, access and storage stacks), independently of
meshctl's own derivation, so that doctor's tests can catch a wrong expectation.
"""

from __future__ import annotations

import boto3

from datamesh.config import Mesh, Permission

REGION = "eu-west-1"
ROLE = "OrganizationAccountAccessRole"


def session(account: str) -> boto3.Session:
    """Credentials in ``account``, as moto hands them out on sts:AssumeRole."""
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="test")["Credentials"]
    return boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                         aws_secret_access_key=credentials["SecretAccessKey"],
                         aws_session_token=credentials["SessionToken"], region_name=REGION)


def grant(lakeformation, catalog: str, principal: str, resource: dict, permissions: list[str],
          grantable: bool = True) -> None:
    lakeformation.grant_permissions(CatalogId=catalog, Principal={"DataLakePrincipalIdentifier": principal},
                                    Resource=resource, Permissions=permissions,
                                    PermissionsWithGrantOption=permissions if grantable else [])


def analyst(mesh: Mesh, consumer: str) -> str:
    """The ARN of a consumer's analyst role (the access stack's ``AnalystRole``)."""
    return f"arn:aws:iam::{mesh.domain(consumer).account}:role/{mesh.config.name}-{consumer}-analyst"


def deploy(mesh: Mesh) -> None:
    cfg = mesh.config
    gov = cfg.governance_account
    governance = session(gov)
    glue, lakeformation = governance.client("glue"), governance.client("lakeformation")
    lakeformation.create_lf_tag(CatalogId=gov, TagKey="domain", TagValues=[d.name for d in mesh.domains])
    lakeformation.create_lf_tag(CatalogId=gov, TagKey="confidentiality", TagValues=cfg.taxonomy.confidentiality)
    lakeformation.create_lf_tag(CatalogId=gov, TagKey="pii", TagValues=["true", "false"])
    for domain in mesh.producers:
        bucket = f"{cfg.name}-{domain.name}-data-{domain.account}-{cfg.region}"
        session(domain.account).client("s3").create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        lakeformation.register_resource(ResourceArn=f"arn:aws:s3:::{bucket}",
                                        RoleArn=f"arn:aws:iam::{gov}:role/{cfg.name}-lakeformation-data-access")
        for product in domain.products:
            database = f"{domain.name}_{product.name}".replace("-", "_")
            location = f"s3://{bucket}/{product.name}/"
            glue.create_database(CatalogId=gov, DatabaseInput={
                "Name": database, "Description": product.description, "LocationUri": location,
                "Parameters": {"datamesh:domain": domain.name, "datamesh:product": product.name}})
            glue.create_table(CatalogId=gov, DatabaseName=database, TableInput={
                "Name": product.name, "Description": product.description, "TableType": "EXTERNAL_TABLE",
                "Parameters": {"classification": product.format.value,
                               "datamesh:confidentiality": product.confidentiality},
                "PartitionKeys": [{"Name": c.name, "Type": c.type} for c in product.partition_keys],
                "StorageDescriptor": {"Location": location, "Columns": [
                    {"Name": c.name, "Type": c.type, "Comment": c.description} for c in product.columns]}})
            lakeformation.add_lf_tags_to_resource(
                CatalogId=gov, Resource={"Database": {"CatalogId": gov, "Name": database}},
                LFTags=[{"TagKey": "domain", "TagValues": [domain.name]},
                        {"TagKey": "confidentiality", "TagValues": [product.confidentiality]}])
            pii = [c.name for c in product.columns if c.pii]
            if pii:
                lakeformation.add_lf_tags_to_resource(
                    CatalogId=gov, Resource={"TableWithColumns": {"CatalogId": gov, "DatabaseName": database,
                                                                  "Name": product.name, "ColumnNames": pii}},
                    LFTags=[{"TagKey": "pii", "TagValues": ["true"]}])
            grant(lakeformation, gov, domain.account, {"Database": {"CatalogId": gov, "Name": database}},
                  ["ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"])
    for share in mesh.granted_shares():
        account = mesh.domain(share.consumer).account
        product = mesh.product(share.producer, share.product)
        database = f"{share.producer}_{share.product}".replace("-", "_")
        table = {"CatalogId": gov, "DatabaseName": database, "Name": product.name}
        pii = [c.name for c in product.columns if c.pii]
        select = ({"TableWithColumns": {**table, "ColumnWildcard": {"ExcludedColumnNames": pii}}}
                  if pii else {"Table": table})
        grant(lakeformation, gov, account, {"Database": {"CatalogId": gov, "Name": database}}, ["DESCRIBE"])
        if Permission.DESCRIBE in share.permissions:
            grant(lakeformation, gov, account, {"Table": table}, ["DESCRIBE"])
        if Permission.SELECT in share.permissions:
            grant(lakeformation, gov, account, select, ["SELECT"])
        consumer = session(account)
        consumer.client("glue").create_database(CatalogId=account, DatabaseInput={
            "Name": database, "TargetDatabase": {"CatalogId": gov, "DatabaseName": database}})
        # the access stack: the analyst role's grants in the consumer's catalog, without grant option
        local, role = consumer.client("lakeformation"), analyst(mesh, share.consumer)
        grant(local, account, role, {"Database": {"CatalogId": account, "Name": database}}, ["DESCRIBE"], False)
        if Permission.DESCRIBE in share.permissions:
            grant(local, account, role, {"Table": table}, ["DESCRIBE"], False)
        if Permission.SELECT in share.permissions:
            grant(local, account, role, select, ["SELECT"], False)
