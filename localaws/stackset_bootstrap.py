"""Bootstrap accounts for the CDK through one CloudFormation StackSet, not one `cdk bootstrap` each.

The StackSet holds the template ``cdk bootstrap --show-template`` prints, with parameters
that trust one deploying account, as ``cdk bootstrap --trust`` would. Two permission models
(CloudFormation User Guide, "StackSets concepts"):

- service-managed, when the accounts are in an AWS Organizations OU: created in the
  organisation's management account, targeted at the OU with automatic deployment, so an
  account that joins the OU is bootstrapped without anyone running anything;
- self-managed, for standalone accounts: the administrator account assumes an execution
  role in each listed account ("Grant self-managed permissions").
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from functools import cache
from typing import Any

from botocore.exceptions import ClientError

from localaws import cdk_cli
from localaws.accounts import Accounts
from localaws.control import REPO_ROOT, LocalAwsError

ADMINISTRATION_ROLE = "AWSCloudFormationStackSetAdministrationRole"
EXECUTION_ROLE = "AWSCloudFormationStackSetExecutionRole"
CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
RETAIN_ON_REMOVAL = True  # an account leaving the OU keeps its bootstrap: its stacks still need it to be removed


@cache
def bootstrap_template() -> str:
    """The CDK bootstrap template of the pinned CLI (``cdk bootstrap --show-template``)."""
    done = subprocess.run([str(cdk_cli.executable()), "bootstrap", "--show-template", "--no-notices"], cwd=REPO_ROOT,
                          env=cdk_cli.environment({}), capture_output=True, text=True, check=False)
    if done.returncode:
        raise LocalAwsError(f"cdk bootstrap --show-template failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def is_bootstrapped(aws: Accounts, account: str, qualifier: str) -> bool:
    """Whether ``account`` holds the bootstrap version parameter of ``qualifier`` (what the CDK CLI checks)."""
    try:
        aws.client("ssm", account).get_parameter(Name=f"/cdk-bootstrap/{qualifier}/version")
    except ClientError as error:
        if error.response["Error"]["Code"] == "ParameterNotFound":
            return False
        raise
    return True


def parameters(trust: str, qualifier: str) -> list[dict[str, str]]:
    """What `cdk bootstrap --trust TRUST --cloudformation-execution-policies ... --qualifier Q` sets."""
    values = {"TrustedAccounts": trust, "CloudFormationExecutionPolicies": cdk_cli.EXECUTION_POLICY, "Qualifier": qualifier}
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def _trust_policy(principal: dict[str, str]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})


def grant_self_managed_permissions(aws: Accounts, administrator: str, targets: Sequence[str]) -> None:
    """The roles a self-managed StackSet needs, as an account vending process creates them in new accounts."""
    iam = aws.client("iam", administrator)
    if not any(r["RoleName"] == ADMINISTRATION_ROLE for r in iam.list_roles()["Roles"]):
        iam.create_role(RoleName=ADMINISTRATION_ROLE, AssumeRolePolicyDocument=_trust_policy({"Service": "cloudformation.amazonaws.com"}))
    for account in targets:
        target = aws.client("iam", account)
        if not any(r["RoleName"] == EXECUTION_ROLE for r in target.list_roles()["Roles"]):
            target.create_role(RoleName=EXECUTION_ROLE,
                               AssumeRolePolicyDocument=_trust_policy({"AWS": f"arn:aws:iam::{administrator}:root"}))
            # AWS's sample template attaches AdministratorAccess; moto loads no AWS managed policies.
            target.put_role_policy(RoleName=EXECUTION_ROLE, PolicyName="AdministratorAccess", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))


def _stack_set(cloudformation: Any, name: str, **settings: Any) -> None:
    """Create the StackSet unless it exists (its template and parameters are the bootstrap's either way)."""
    existing = {s["StackSetName"] for s in cloudformation.list_stack_sets(Status="ACTIVE")["Summaries"]}
    if name not in existing:
        cloudformation.create_stack_set(StackSetName=name, TemplateBody=bootstrap_template(), Capabilities=CAPABILITIES,
                                        Description="CDK bootstrap of every account of the data mesh", **settings)


def _failures(cloudformation: Any, name: str) -> list[str]:
    return [f"{i['Account']}: {i.get('StatusReason', i['Status'])}"
            for i in cloudformation.list_stack_instances(StackSetName=name)["Summaries"] if i["Status"] != "CURRENT"]


def bootstrap_accounts(aws: Accounts, name: str, *, administrator: str, accounts: Sequence[str], trust: str,
                       qualifier: str) -> None:
    """Self-managed: bootstrap ``accounts`` (standalone) from ``administrator``, trusting ``trust``."""
    cloudformation = aws.client("cloudformation", administrator)
    _stack_set(cloudformation, name, PermissionModel="SELF_MANAGED", Parameters=parameters(trust, qualifier),
               AdministrationRoleARN=f"arn:aws:iam::{administrator}:role/{ADMINISTRATION_ROLE}", ExecutionRoleName=EXECUTION_ROLE)
    cloudformation.create_stack_instances(StackSetName=name, Accounts=list(accounts), Regions=[aws.region])
    failed = _failures(cloudformation, name)
    if failed:
        raise LocalAwsError(f"StackSet {name} could not bootstrap: {'; '.join(failed)}")


def bootstrap_organizational_unit(aws: Accounts, name: str, *, management: str, organizational_unit: str, trust: str,
                                  qualifier: str) -> None:
    """Service-managed: bootstrap every account in ``organizational_unit`` now and every one that joins it later."""
    cloudformation = aws.client("cloudformation", management)
    _stack_set(cloudformation, name, PermissionModel="SERVICE_MANAGED", Parameters=parameters(trust, qualifier),
               AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": RETAIN_ON_REMOVAL})
    cloudformation.create_stack_instances(StackSetName=name, DeploymentTargets={"OrganizationalUnitIds": [organizational_unit]},
                                          Regions=[aws.region])
    failed = _failures(cloudformation, name)
    if failed:
        raise LocalAwsError(f"StackSet {name} could not bootstrap: {'; '.join(failed)}")

