"""Clients and credentials for each account of the local AWS, obtained as on real AWS.

The base credentials belong to moto's default account, which plays the organisation's
identity account; every other account is reached by ``sts:AssumeRole`` into its
``OrganizationAccountAccessRole``, and moto issues credentials in that account.
"""

from __future__ import annotations

from typing import Any

import boto3

BASE_ACCESS_KEY = "localaws"
ACCESS_ROLE = "OrganizationAccountAccessRole"
SESSION_NAME = "localaws"


class Accounts:
    """Credentials and boto3 clients per account; one boto3 session loads each service model once."""

    def __init__(self, endpoint: str, region: str) -> None:
        self.endpoint = endpoint
        self.region = region
        self._session = boto3.Session(
            aws_access_key_id=BASE_ACCESS_KEY, aws_secret_access_key=BASE_ACCESS_KEY, region_name=region
        )
        self._credentials: dict[str, dict[str, str]] = {}
        self._clients: dict[tuple[str, str], Any] = {}

    def credentials(self, account: str) -> dict[str, str]:
        """Temporary credentials in ``account`` (access key, secret, session token)."""
        if account not in self._credentials:
            sts = self._session.client("sts", endpoint_url=self.endpoint)
            issued = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ACCESS_ROLE}", RoleSessionName=SESSION_NAME)
            self._credentials[account] = {
                "AWS_ACCESS_KEY_ID": issued["Credentials"]["AccessKeyId"],
                "AWS_SECRET_ACCESS_KEY": issued["Credentials"]["SecretAccessKey"],
                "AWS_SESSION_TOKEN": issued["Credentials"]["SessionToken"],
            }
        return self._credentials[account]

    def client(self, service: str, account: str) -> Any:
        if (service, account) not in self._clients:
            issued = self.credentials(account)
            self._clients[service, account] = self._session.client(
                service,
                endpoint_url=self.endpoint,
                aws_access_key_id=issued["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=issued["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=issued["AWS_SESSION_TOKEN"],
            )
        return self._clients[service, account]

    def environment(self, account: str) -> dict[str, str]:
        """The variables that point the AWS CLI, boto3 and the CDK CLI at ``account`` locally."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_EC2_METADATA_DISABLED": "true",
            **self.credentials(account),
        }
