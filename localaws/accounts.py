"""Credentials for each account of the local AWS, obtained as on real AWS.

The base credentials belong to moto's default account, which plays the organisation's
identity account; every mesh account is reached by ``sts:AssumeRole`` into its
``OrganizationAccountAccessRole``, and moto issues credentials in that account.
"""

from __future__ import annotations

import boto3

from datamesh.config import Mesh

BASE_ACCESS_KEY = "localaws"
ACCESS_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "localaws"


def base_session(region: str) -> boto3.Session:
    return boto3.Session(aws_access_key_id=BASE_ACCESS_KEY, aws_secret_access_key=BASE_ACCESS_KEY, region_name=region)


def credentials(endpoint: str, account: str, region: str) -> dict[str, str]:
    """Temporary credentials in ``account`` (access key, secret, session token)."""
    sts = base_session(region).client("sts", endpoint_url=endpoint)
    issued = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ACCESS_ROLE}", RoleSessionName=SESSION_NAME)
    return {
        "AWS_ACCESS_KEY_ID": issued["Credentials"]["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": issued["Credentials"]["SecretAccessKey"],
        "AWS_SESSION_TOKEN": issued["Credentials"]["SessionToken"],
    }


def environment(endpoint: str, account: str, region: str) -> dict[str, str]:
    """The variables that point the AWS CLI, boto3 and the CDK CLI at ``account`` locally."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EC2_METADATA_DISABLED": "true",
        **credentials(endpoint, account, region),
    }


def session(endpoint: str, account: str, region: str) -> boto3.Session:
    """A boto3 session in ``account``; pass ``endpoint_url=endpoint`` to its clients."""
    issued = credentials(endpoint, account, region)
    return boto3.Session(
        aws_access_key_id=issued["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=issued["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=issued["AWS_SESSION_TOKEN"],
        region_name=region,
    )


def mesh_accounts(mesh: Mesh) -> list[str]:
    """The governance account, then every domain account."""
    return [mesh.config.governance_account, *sorted({d.account for d in mesh.domains})]
