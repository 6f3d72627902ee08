"""Bootstrap through a StackSet on the local AWS: self-managed for listed accounts, service-managed with
automatic deployment for an organisation's OU; then the real CDK CLI deploys through the bootstrap trust.

Expected values come from the CDK bootstrap template (its role and parameter names) and from
CloudFormation's documented StackSet behaviour (API Reference: AutoDeployment; User Guide:
"Grant self-managed permissions"), read back with boto3 in each account.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import boto3
import pytest

from datamesh.deploy.local_aws import bootstrap_mesh, mesh_accounts
from datamesh.names import naming
from localaws import cdk_cli
from localaws.accounts import BASE_ACCESS_KEY, Accounts
from localaws.control import LocalAwsError
from localaws.stackset_bootstrap import (
    ADMINISTRATION_ROLE,
    EXECUTION_ROLE,
    TOOLKIT_STACK,
    bootstrap_accounts,
    bootstrap_organizational_unit,
    grant_self_managed_permissions,
)

REGION = "eu-west-1"
QUALIFIER = "hnb659fds"
DEPLOYER = "999999999999"  # the tooling account every bootstrap trusts
NAME = "acme-cdk-bootstrap"

# Every test bootstraps with the CDK CLI's own template (`cdk bootstrap --show-template`, run once per process).
pytestmark = pytest.mark.slow


@pytest.fixture
def aws(aws) -> Accounts:
    """Clients per account of the reset local AWS (conftest's ``aws``), as the demo has them."""
    return Accounts(aws.endpoint, REGION)


def bootstrap_version(aws: Accounts, account: str) -> str | None:
    try:
        return aws.client("ssm", account).get_parameter(Name=f"/cdk-bootstrap/{QUALIFIER}/version")["Parameter"][
            "Value"
        ]
    except aws.client("ssm", account).exceptions.ParameterNotFound:
        return None


def stack_set_stacks(aws: Accounts, account: str) -> list[dict]:
    return [
        s
        for s in aws.client("cloudformation", account).describe_stacks()["Stacks"]
        if s["StackName"].startswith(f"StackSet-{NAME}-")
    ]


def assert_bootstrapped(aws: Accounts, account: str) -> None:
    """The bootstrap version parameter, the stack instance's stack, and a deploy role the deployer may assume."""
    assert bootstrap_version(aws, account) is not None
    assert len(stack_set_stacks(aws, account)) == 1
    role = aws.client("iam", account).get_role(RoleName=f"cdk-{QUALIFIER}-deploy-role-{account}-{REGION}")["Role"]
    principals = [s["Principal"].get("AWS") for s in role["AssumeRolePolicyDocument"]["Statement"]]
    assert any(DEPLOYER in json.dumps(p) for p in principals if p)


class TestSelfManaged:
    ACCOUNTS = ["222222222222", "333333333333"]

    def test_bootstraps_every_listed_account_trusting_the_deployer(self, aws):
        grant_self_managed_permissions(aws, DEPLOYER, self.ACCOUNTS)
        bootstrap_accounts(
            aws, NAME, administrator=DEPLOYER, accounts=self.ACCOUNTS, trust=DEPLOYER, qualifier=QUALIFIER
        )
        for account in self.ACCOUNTS:
            assert_bootstrapped(aws, account)
        assert bootstrap_version(aws, "444444444444") is None

    def test_an_account_without_the_execution_role_is_not_bootstrapped(self, aws):
        grant_self_managed_permissions(aws, DEPLOYER, self.ACCOUNTS[:1])
        with pytest.raises(LocalAwsError) as raised:
            bootstrap_accounts(
                aws, NAME, administrator=DEPLOYER, accounts=self.ACCOUNTS, trust=DEPLOYER, qualifier=QUALIFIER
            )
        assert f"{self.ACCOUNTS[1]}: Account {self.ACCOUNTS[1]} should have '{EXECUTION_ROLE}' role" in str(
            raised.value
        )
        assert bootstrap_version(aws, self.ACCOUNTS[1]) is None
        cloudformation = aws.client("cloudformation", DEPLOYER)
        (operation,) = cloudformation.list_stack_set_operations(StackSetName=NAME)["Summaries"]
        assert operation["Status"] == "FAILED"

    @pytest.mark.parametrize(
        "policy",
        [
            None,  # a trust policy alone
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::*:role/SomeOtherRole"},
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::*:role/{EXECUTION_ROLE}",
                # No organization here: the key is not in the request context, so the condition fails (IAM User Guide).
                "Condition": {"StringEquals": {"aws:ResourceOrgID": "o-exampleorg1"}},
            },
        ],
    )
    def test_an_administration_role_that_may_not_assume_the_execution_role_bootstraps_nothing(self, aws, policy):
        """ "Grant self-managed permissions": the administration role needs a policy allowing sts:AssumeRole
        on AWSCloudFormationStackSetExecutionRole in the target accounts, not only a trust policy."""
        iam = aws.client("iam", DEPLOYER)
        iam.create_role(
            RoleName=ADMINISTRATION_ROLE,
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudformation.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )
        if policy is not None:
            iam.put_role_policy(
                RoleName=ADMINISTRATION_ROLE,
                PolicyName="Assume",
                PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [policy]}),
            )
        grant_self_managed_permissions(
            aws, DEPLOYER, self.ACCOUNTS[:1]
        )  # the execution role; the existing role is kept
        with pytest.raises(LocalAwsError) as raised:
            bootstrap_accounts(
                aws, NAME, administrator=DEPLOYER, accounts=self.ACCOUNTS[:1], trust=DEPLOYER, qualifier=QUALIFIER
            )
        assert (
            f"Account {self.ACCOUNTS[0]} should have '{EXECUTION_ROLE}' role with trust relationship to Role "
            f"'{ADMINISTRATION_ROLE}'"
        ) in str(raised.value)
        assert bootstrap_version(aws, self.ACCOUNTS[0]) is None

    def test_the_administration_policy_may_come_from_a_managed_policy(self, aws):
        iam = aws.client("iam", DEPLOYER)
        iam.create_role(
            RoleName=ADMINISTRATION_ROLE,
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "cloudformation.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )
        arn = iam.create_policy(
            PolicyName="StackSetAdministration",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:*",
                            "Resource": f"arn:aws:iam::{self.ACCOUNTS[0]}:role/{EXECUTION_ROLE}",
                        }
                    ],
                }
            ),
        )["Policy"]["Arn"]
        iam.attach_role_policy(RoleName=ADMINISTRATION_ROLE, PolicyArn=arn)
        grant_self_managed_permissions(aws, DEPLOYER, self.ACCOUNTS[:1])
        bootstrap_accounts(
            aws, NAME, administrator=DEPLOYER, accounts=self.ACCOUNTS[:1], trust=DEPLOYER, qualifier=QUALIFIER
        )
        assert_bootstrapped(aws, self.ACCOUNTS[0])

    def test_a_template_the_account_cannot_create_fails_its_instance(self, aws):
        grant_self_managed_permissions(aws, DEPLOYER, self.ACCOUNTS[:1])
        cloudformation = aws.client("cloudformation", DEPLOYER)
        cloudformation.create_stack_set(
            StackSetName="broken",
            PermissionModel="SELF_MANAGED",
            TemplateBody=json.dumps({"Resources": {"Thing": {"Type": "AWS::Nowhere::Thing"}}}),
        )
        cloudformation.create_stack_instances(StackSetName="broken", Accounts=self.ACCOUNTS[:1], Regions=[REGION])
        (instance,) = cloudformation.list_stack_instances(StackSetName="broken")["Summaries"]
        assert (instance["Status"], instance["StackInstanceStatus"]["DetailedStatus"]) == ("OUTDATED", "FAILED")
        assert "AWS::Nowhere::Thing" in instance["StatusReason"]
        assert cloudformation.list_stack_set_operations(StackSetName="broken")["Summaries"][0]["Status"] == "FAILED"


class TestServiceManaged:
    @pytest.fixture
    def organization(self, aws) -> tuple[boto3.client, str, str]:
        """The organisation of the base (management) account: its root and the mesh's OU."""
        org = boto3.client(
            "organizations",
            endpoint_url=aws.endpoint,
            region_name=REGION,
            aws_access_key_id=BASE_ACCESS_KEY,
            aws_secret_access_key=BASE_ACCESS_KEY,
        )
        org.create_organization(FeatureSet="ALL")
        root = org.list_roots()["Roots"][0]["Id"]
        ou = org.create_organizational_unit(ParentId=root, Name="data-mesh")["OrganizationalUnit"]["Id"]
        return org, root, ou

    @staticmethod
    def new_account(org, name: str) -> str:
        return org.describe_create_account_status(
            CreateAccountRequestId=org.create_account(AccountName=name, Email=f"{name}@example.com")[
                "CreateAccountStatus"
            ]["Id"]
        )["CreateAccountStatus"]["AccountId"]

    def test_accounts_joining_the_ou_are_bootstrapped_and_leaving_keeps_their_stack(self, aws, organization):
        org, root, ou = organization
        management = org.describe_organization()["Organization"]["MasterAccountId"]
        early, late, outside = (self.new_account(org, n) for n in ("early", "late", "outside"))
        org.move_account(AccountId=early, SourceParentId=root, DestinationParentId=ou)
        bootstrap_organizational_unit(
            aws, NAME, management=management, organizational_unit=ou, trust=DEPLOYER, qualifier=QUALIFIER
        )
        assert_bootstrapped(aws, early)
        assert bootstrap_version(aws, late) is None

        nested = org.create_organizational_unit(ParentId=ou, Name="sales")["OrganizationalUnit"]["Id"]
        org.move_account(AccountId=late, SourceParentId=root, DestinationParentId=nested)  # joins below the OU
        assert_bootstrapped(aws, late)
        assert bootstrap_version(aws, outside) is None

        cloudformation = aws.client("cloudformation", management)
        described = cloudformation.describe_stack_set(StackSetName=NAME)["StackSet"]
        assert described["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": True}
        assert (described["PermissionModel"], described["OrganizationalUnitIds"]) == ("SERVICE_MANAGED", [ou])
        instances = cloudformation.list_stack_instances(StackSetName=NAME)["Summaries"]
        assert sorted(i["Account"] for i in instances) == sorted([early, late])

        org.move_account(AccountId=late, SourceParentId=nested, DestinationParentId=root)  # leaves
        instances = cloudformation.list_stack_instances(StackSetName=NAME)["Summaries"]
        assert [i["Account"] for i in instances] == [early]
        assert bootstrap_version(aws, late) is not None  # RetainStacksOnAccountRemoval: its stack stays

    def test_the_management_account_never_gets_an_instance_even_inside_the_ou(self, aws, organization):
        """API Reference, DeploymentTargets: StackSets doesn't deploy stack instances to the organization
        management account, even if it is in an OU of the organization."""
        org, root, ou = organization
        management = org.describe_organization()["Organization"]["MasterAccountId"]
        member = self.new_account(org, "member")
        for account in (management, member):
            org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
        bootstrap_organizational_unit(
            aws, NAME, management=management, organizational_unit=ou, trust=DEPLOYER, qualifier=QUALIFIER
        )
        instances = aws.client("cloudformation", management).list_stack_instances(StackSetName=NAME)["Summaries"]
        assert [i["Account"] for i in instances] == [member]
        assert bootstrap_version(aws, management) is None
        assert_bootstrapped(aws, member)

    def test_a_mesh_whose_governance_account_is_the_management_account_has_it_bootstrapped_on_its_own(
        self, aws, organization, tmp_path, delivered_mesh
    ):
        """The StackSet bootstraps the OU's accounts; the management account (here the governance account)
        gets the same template and parameters as a stack of its own, trusting only the pipeline's deploy role."""
        org, root, ou = organization
        management = org.describe_organization()["Organization"]["MasterAccountId"]
        mesh = mesh_in_organization(delivered_mesh, tmp_path, governance=management, ou=ou)
        members = [a for a in mesh_accounts(mesh) if a != management]
        for account in members:
            org.invite_account_to_organization(
                Target={"Id": account, "Type": "ACCOUNT"}
            )  # the local AWS adds it at once
            org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
        bootstrap_mesh(aws, mesh, mesh_accounts(mesh), management=management)

        instances = aws.client("cloudformation", management).list_stack_instances(StackSetName=NAME)["Summaries"]
        assert sorted(i["Account"] for i in instances) == sorted(members)
        toolkit = aws.client("cloudformation", management).describe_stacks(StackName=TOOLKIT_STACK)["Stacks"][0]
        assert toolkit["StackStatus"] == "CREATE_COMPLETE"
        deploy_role = naming.pipeline_deploy_role_arn("acme", DEPLOYER)
        for account in mesh_accounts(mesh):
            assert bootstrap_version(aws, account) is not None
            assert trusted_principal_arns(aws, account) == [deploy_role]


def deploy_hello(aws: Accounts, folder: Path, target: str) -> None:
    """The real CDK CLI, with the deployer's credentials, deploys a one-parameter stack into ``target``."""
    (folder / "app.py").write_text(
        "from aws_cdk import App, Environment, Stack\n"
        "from aws_cdk import aws_ssm as ssm\n"
        "app = App()\n"
        f"stack = Stack(app, 'Hello', env=Environment(account='{target}', region='{REGION}'))\n"
        "ssm.StringParameter(stack, 'Greeting', parameter_name='/delivery/greeting', string_value='deployed')\n"
        "app.synth()\n"
    )
    command = [*cdk_cli.deploy_command(app=None, output=folder / "cdk.out", context={}, stacks=["Hello"])]
    command += ["--app", "python3 app.py"]
    done = subprocess.run(
        command,
        cwd=folder,
        env=cdk_cli.environment(aws.environment(DEPLOYER)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert aws.client("ssm", target).get_parameter(Name="/delivery/greeting")["Parameter"]["Value"] == "deployed"
    assert (
        aws.client("cloudformation", target).describe_stacks(StackName="Hello")["Stacks"][0]["StackStatus"]
        == "CREATE_COMPLETE"
    )


@pytest.mark.e2e
def test_cdk_cli_deploys_into_an_account_bootstrapped_by_the_stackset(aws, tmp_path):
    target = "222222222222"
    grant_self_managed_permissions(aws, DEPLOYER, [target])
    bootstrap_accounts(aws, NAME, administrator=DEPLOYER, accounts=[target], trust=DEPLOYER, qualifier=QUALIFIER)
    deploy_hello(aws, tmp_path, target)


@pytest.mark.e2e
def test_cdk_cli_deploys_into_the_management_account_bootstrapped_on_its_own(aws, tmp_path, delivered_mesh):
    """The management account, left out by the service-managed StackSet, takes a deploy from the tooling account."""
    org = boto3.client(
        "organizations",
        endpoint_url=aws.endpoint,
        region_name=REGION,
        aws_access_key_id=BASE_ACCESS_KEY,
        aws_secret_access_key=BASE_ACCESS_KEY,
    )
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root, Name="data-mesh")["OrganizationalUnit"]["Id"]
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    mesh = mesh_in_organization(delivered_mesh, tmp_path, governance=management, ou=ou)
    bootstrap_mesh(aws, mesh, [management], management=management)
    assert aws.client("cloudformation", management).list_stack_instances(StackSetName=NAME)["Summaries"] == []
    deploy_hello(aws, tmp_path, management)


def mesh_in_organization(delivered_mesh, folder: Path, *, governance: str, ou: str):
    """The example mesh delivered from DEPLOYER, in the local organization: its governance account and the mesh's OU."""
    mesh = delivered_mesh(tooling_account=DEPLOYER)
    config = mesh.config.model_copy(
        update={
            "governance_account": governance,
            "organization": mesh.config.organization.model_copy(update={"ou": ou}),
        }
    )
    return type(mesh)(config=config, domains=mesh.domains, source=mesh.source)


def trusted_principal_arns(aws: Accounts, account: str) -> list[str]:
    """The principal ARNs the deploy role's trust in other accounts requires (aws:PrincipalArn), read back from IAM."""
    role = aws.client("iam", account).get_role(RoleName=f"cdk-{QUALIFIER}-deploy-role-{account}-{REGION}")["Role"]
    found = []
    for statement in role["AssumeRolePolicyDocument"]["Statement"]:
        if statement["Action"] in ("sts:AssumeRole", ["sts:AssumeRole"]) and DEPLOYER in json.dumps(
            statement["Principal"]
        ):
            arns = statement.get("Condition", {}).get("ArnLike", {}).get("aws:PrincipalArn", [])
            found += arns if isinstance(arns, list) else [arns]
    return found


def test_every_account_of_the_example_mesh_is_bootstrapped_trusting_its_deploying_account(aws, example_mesh):
    """No tooling account in the example: the governance account administers the StackSet and deploys."""
    targets = mesh_accounts(example_mesh)
    name = bootstrap_mesh(aws, example_mesh, targets)
    deployer = example_mesh.config.governance_account
    assert name == "acme-cdk-bootstrap"
    for account in targets:
        role = aws.client("iam", account).get_role(RoleName=f"cdk-{QUALIFIER}-deploy-role-{account}-{REGION}")["Role"]
        assert deployer in json.dumps(role["AssumeRolePolicyDocument"])
    summaries = aws.client("cloudformation", deployer).list_stack_instances(StackSetName=name)["Summaries"]
    assert sorted(i["Account"] for i in summaries) == sorted(targets)


def test_without_delivery_the_bootstrap_trusts_any_principal_of_the_deploying_account(aws, example_mesh):
    targets = mesh_accounts(example_mesh)
    bootstrap_mesh(aws, example_mesh, targets)
    role = aws.client("iam", targets[1]).get_role(RoleName=f"cdk-{QUALIFIER}-deploy-role-{targets[1]}-{REGION}")["Role"]
    assert "aws:PrincipalArn" not in json.dumps(role["AssumeRolePolicyDocument"])
