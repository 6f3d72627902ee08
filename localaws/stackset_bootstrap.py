"""Bootstrap accounts for the CDK through one CloudFormation StackSet, not one `cdk bootstrap` each.

The StackSet holds the template ``cdk bootstrap --show-template`` prints, with parameters
that trust one deploying account, as ``cdk bootstrap --trust`` would. Two permission models
(CloudFormation User Guide, "StackSets concepts"):

- service-managed, when the accounts are in an AWS Organizations OU: created in the
  organisation's management account, targeted at the OU with automatic deployment, so an
  account that joins the OU is bootstrapped without anyone running anything;
- self-managed, for standalone accounts: the administrator account assumes an execution
  role in each listed account ("Grant self-managed permissions").

A service-managed StackSet never deploys to the organisation's management account
(API Reference: DeploymentTargets): :func:`bootstrap_stack` bootstraps it with a stack of
its own, as ``cdk bootstrap`` would. Each function takes the template to install (default:
the CLI's) and parameters beyond the CLI's, for a customised template.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from botocore.exceptions import ClientError

from localaws import cdk_cli
from localaws.accounts import Accounts
from localaws.control import REPO_ROOT, LocalAwsError

ADMINISTRATION_ROLE = "AWSCloudFormationStackSetAdministrationRole"
EXECUTION_ROLE = "AWSCloudFormationStackSetExecutionRole"
ADMINISTRATION_POLICY = f"AssumeRole-{EXECUTION_ROLE}"  # the policy AWS's sample template gives the administration role
CAPABILITIES = ["CAPABILITY_NAMED_IAM"]
TOOLKIT_STACK = "CDKToolkit"  # the stack `cdk bootstrap` deploys
RETAIN_ON_REMOVAL = True  # an account leaving the OU keeps its bootstrap: its stacks still need it to be removed


@cache
def bootstrap_template() -> str:
    """The CDK bootstrap template of the pinned CLI (``cdk bootstrap --show-template``)."""
    done = subprocess.run(
        [str(cdk_cli.executable()), "bootstrap", "--show-template", "--no-notices"],
        cwd=REPO_ROOT,
        env=cdk_cli.environment({}),
        capture_output=True,
        text=True,
        check=False,
    )
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


def parameters(trust: str, qualifier: str, extra: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """What `cdk bootstrap --trust TRUST --cloudformation-execution-policies ... --qualifier Q` sets, and ``extra``."""
    values = {
        "TrustedAccounts": trust,
        "CloudFormationExecutionPolicies": cdk_cli.EXECUTION_POLICY,
        "Qualifier": qualifier,
        **(extra or {}),
    }
    return [{"ParameterKey": key, "ParameterValue": value} for key, value in values.items()]


def _trust_policy(principal: dict[str, str]) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
        }
    )


def grant_self_managed_permissions(aws: Accounts, administrator: str, targets: Sequence[str]) -> None:
    """The roles a self-managed StackSet needs, as an account vending process creates them in new accounts."""
    iam = aws.client("iam", administrator)
    if not any(r["RoleName"] == ADMINISTRATION_ROLE for r in iam.list_roles()["Roles"]):
        iam.create_role(
            RoleName=ADMINISTRATION_ROLE,
            AssumeRolePolicyDocument=_trust_policy({"Service": "cloudformation.amazonaws.com"}),
        )
        iam.put_role_policy(
            RoleName=ADMINISTRATION_ROLE,
            PolicyName=ADMINISTRATION_POLICY,
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": f"arn:aws:iam::*:role/{EXECUTION_ROLE}",
                        }
                    ],
                }
            ),
        )
    for account in targets:
        target = aws.client("iam", account)
        if not any(r["RoleName"] == EXECUTION_ROLE for r in target.list_roles()["Roles"]):
            target.create_role(
                RoleName=EXECUTION_ROLE,
                AssumeRolePolicyDocument=_trust_policy({"AWS": f"arn:aws:iam::{administrator}:root"}),
            )
            # AWS's sample template attaches AdministratorAccess; moto loads no AWS managed policies.
            target.put_role_policy(
                RoleName=EXECUTION_ROLE,
                PolicyName="AdministratorAccess",
                PolicyDocument=json.dumps(
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
                ),
            )


def _stack_set(cloudformation: Any, name: str, template: str | None, **settings: Any) -> None:
    """Create the StackSet unless it exists (its template and parameters are the bootstrap's either way)."""
    existing = {s["StackSetName"] for s in cloudformation.list_stack_sets(Status="ACTIVE")["Summaries"]}
    if name not in existing:
        cloudformation.create_stack_set(
            StackSetName=name,
            TemplateBody=template or bootstrap_template(),
            Capabilities=CAPABILITIES,
            Description="CDK bootstrap of every account of the data mesh",
            **settings,
        )


def _failures(cloudformation: Any, name: str) -> list[str]:
    return [
        f"{i['Account']}: {i.get('StatusReason', i['Status'])}"
        for i in cloudformation.list_stack_instances(StackSetName=name)["Summaries"]
        if i["Status"] != "CURRENT"
    ]


def bootstrap_accounts(
    aws: Accounts,
    name: str,
    *,
    administrator: str,
    accounts: Sequence[str],
    trust: str,
    qualifier: str,
    template: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Self-managed: bootstrap ``accounts`` (standalone) from ``administrator``, trusting ``trust``."""
    cloudformation = aws.client("cloudformation", administrator)
    _stack_set(
        cloudformation,
        name,
        template,
        PermissionModel="SELF_MANAGED",
        Parameters=parameters(trust, qualifier, extra),
        AdministrationRoleARN=f"arn:aws:iam::{administrator}:role/{ADMINISTRATION_ROLE}",
        ExecutionRoleName=EXECUTION_ROLE,
    )
    cloudformation.create_stack_instances(StackSetName=name, Accounts=list(accounts), Regions=[aws.region])
    failed = _failures(cloudformation, name)
    if failed:
        raise LocalAwsError(f"StackSet {name} could not bootstrap: {'; '.join(failed)}")


def bootstrap_organizational_unit(
    aws: Accounts,
    name: str,
    *,
    management: str,
    organizational_unit: str,
    trust: str,
    qualifier: str,
    template: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Service-managed: bootstrap every account in ``organizational_unit`` now and every one that joins it later,
    but the management account."""
    cloudformation = aws.client("cloudformation", management)
    _stack_set(
        cloudformation,
        name,
        template,
        PermissionModel="SERVICE_MANAGED",
        Parameters=parameters(trust, qualifier, extra),
        AutoDeployment={"Enabled": True, "RetainStacksOnAccountRemoval": RETAIN_ON_REMOVAL},
    )
    cloudformation.create_stack_instances(
        StackSetName=name, DeploymentTargets={"OrganizationalUnitIds": [organizational_unit]}, Regions=[aws.region]
    )
    failed = _failures(cloudformation, name)
    if failed:
        raise LocalAwsError(f"StackSet {name} could not bootstrap: {'; '.join(failed)}")


def bootstrap_stack(
    aws: Accounts,
    account: str,
    *,
    trust: str,
    qualifier: str,
    template: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Bootstrap one ``account`` with a stack of its own (``CDKToolkit``, as ``cdk bootstrap`` names it)."""
    cloudformation = aws.client("cloudformation", account)
    cloudformation.create_stack(
        StackName=TOOLKIT_STACK,
        TemplateBody=template or bootstrap_template(),
        Parameters=parameters(trust, qualifier, extra),
        Capabilities=CAPABILITIES,
    )
    stack = cloudformation.describe_stacks(StackName=TOOLKIT_STACK)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        raise LocalAwsError(
            f"{TOOLKIT_STACK} in {account} could not bootstrap: {stack.get('StackStatusReason', stack['StackStatus'])}"
        )
