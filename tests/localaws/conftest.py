"""An in-process local AWS for the model tests: deploy small templates, read back with boto3."""

from __future__ import annotations

import itertools
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from localaws.accounts import ACCESS_ROLE, Accounts
from localaws.server import LocalServer
from tests.support.templates import CONSUMER, GOV, PRODUCER, REGION


@dataclass(frozen=True)
class Deployed:
    status: str
    reason: str | None
    events: list[dict[str, Any]]

    @property
    def failures(self) -> list[str]:
        """Reasons of the resource events that failed, newest first."""
        return [e["ResourceStatusReason"] for e in self.events if e["ResourceStatus"].endswith("_FAILED")]


class LocalAws:
    """Clients per account of a reset local AWS, and CloudFormation deploys like the CDK CLI's."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._accounts = Accounts(endpoint, REGION)
        self._names = itertools.count()

    def client(self, service: str, account: str) -> Any:
        return self._accounts.client(service, account)

    def deploy(
        self, account: str, stack: str, resources: dict[str, Any], outputs: dict[str, Any] | None = None
    ) -> Deployed:
        """Create or update ``stack`` through a change set, as ``cdk deploy`` does."""
        cloudformation = self.client("cloudformation", account)
        existing = cloudformation.list_stacks()["StackSummaries"]
        exists = any(s["StackName"] == stack and s["StackStatus"] != "DELETE_COMPLETE" for s in existing)
        template = {"Resources": resources, **({"Outputs": outputs} if outputs else {})}
        change_set = cloudformation.create_change_set(
            StackName=stack,
            ChangeSetName=f"change-{next(self._names)}",
            TemplateBody=json.dumps(template),
            ChangeSetType="UPDATE" if exists else "CREATE",
        )
        cloudformation.execute_change_set(ChangeSetName=change_set["Id"])
        return self.described(account, stack)

    def described(self, account: str, stack: str) -> Deployed:
        cloudformation = self.client("cloudformation", account)
        found = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        events = cloudformation.describe_stack_events(StackName=stack)["StackEvents"]
        return Deployed(found["StackStatus"], found.get("StackStatusReason"), events)

    def role(self, account: str, name: str) -> str:
        """Create an IAM role; returns its ARN."""
        return self.client("iam", account).create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]

    def lake_formation_admin(self, account: str) -> str:
        """Make the caller (whom a stack without a service role deploys as) a data lake admin of ``account``."""
        caller = f"arn:aws:iam::{account}:role/{ACCESS_ROLE}"
        self.client("lakeformation", account).put_data_lake_settings(
            DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": caller}]}
        )
        return caller

    def accept_invitations(self, account: str) -> list[str]:
        """Accept every pending AWS RAM invitation of ``account``; returns the senders."""
        ram = self.client("ram", account)
        pending = [
            i for i in ram.get_resource_share_invitations()["resourceShareInvitations"] if i["status"] == "PENDING"
        ]
        for invitation in pending:
            ram.accept_resource_share_invitation(resourceShareInvitationArn=invitation["resourceShareInvitationArn"])
        return [i["senderAccountId"] for i in pending]


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.stop()


@pytest.fixture
def admins(aws: LocalAws) -> None:
    """The caller is a data lake admin of the governance, producer and consumer accounts."""
    for account in (GOV, PRODUCER, CONSUMER):
        aws.lake_formation_admin(account)


@pytest.fixture
def aws(local_server: LocalServer) -> LocalAws:
    """A local AWS with nothing in it."""
    request = urllib.request.Request(f"{local_server.endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    return LocalAws(local_server.endpoint)
