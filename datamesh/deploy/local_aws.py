"""Deploy a mesh to the local AWS (``localaws``) with the real CDK CLI, as on real accounts.

The steps are those of a real deployment: bootstrap every account of the mesh through one
StackSet trusting the deploying account, then ``cdk deploy`` from the governance account,
whose deploy roles reach the others. Lake Formation shares the producers' databases with
consumer accounts through AWS RAM: a mesh whose mesh.yaml names an ``organization`` gets
one on the local AWS (the governance account plays the management account, invites every
other account of the mesh, which the local AWS adds at once, and enables RAM sharing with
it; its id is generated, not compared with mesh.yaml's) and one ``cdk deploy --all``
deploys the mesh. A mesh of standalone accounts is deployed in waves, as ``meshctl
deploy`` does: Governance, Storage and Catalog stacks, then each domain account accepts
its invitations, then the Access stacks.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from datamesh.aws import answers
from datamesh.aws import sessions as aws
from datamesh.blueprint import blueprint
from datamesh.config import Mesh
from datamesh.config.app_context import ALLOW_DESTROY_CONTEXT, MESH_CONTEXT, TODAY_CONTEXT
from datamesh.config.models import IdentityCenter, Principal
from datamesh.delivery import bootstrap_template
from datamesh.deploy.invitations import accept_invitations, waves
from datamesh.doctor import iam_allowed, identity_center, identity_center_workgroups, lake_settings
from datamesh.doctor.findings import Finding
from datamesh.doctor.run import run_checks
from datamesh.names import naming
from localaws import cdk_cli, stackset_bootstrap
from localaws.accounts import BASE_ACCESS_KEY, Accounts
from localaws.control import REPO_ROOT, LocalAwsError, Server

QUALIFIER_CONTEXT = "@aws-cdk/core:bootstrapQualifier"


def mesh_accounts(mesh: Mesh) -> list[str]:
    """The governance account, then every domain account."""
    return [mesh.config.governance_account, *sorted({d.account for d in mesh.domains})]


def local_accounts(mesh: Mesh, server: Server) -> Accounts:
    """Clients per account of the local AWS in the mesh's region."""
    return Accounts(server.endpoint, mesh.config.region)


def base_session(mesh: Mesh) -> boto3.Session:
    """The local AWS's base credentials (its identity account), from which every account's role is assumed."""
    return boto3.Session(
        aws_access_key_id=BASE_ACCESS_KEY, aws_secret_access_key=BASE_ACCESS_KEY, region_name=mesh.config.region
    )


def check(mesh: Mesh, server: Server, today: date | None = None) -> tuple[list[Finding], list[str]]:
    """``meshctl doctor``'s findings on the local AWS (shares judged on ``today``, default the current date),
    and one line per account it could not read."""
    settings = aws.Settings(mesh.config.region, server.endpoint)
    return run_checks(mesh, settings, today or date.today(), base_session(mesh))


def bootstrap_mesh(aws: Accounts, mesh: Mesh, targets: Sequence[str], *, management: str | None = None) -> str:
    """Bootstrap ``targets`` (accounts of ``mesh``) through the mesh's StackSet, trusting its deploying account.

    Service-managed, from the organisation's ``management`` account, when mesh.yaml names the
    mesh's OU (``organization.ou``); the management account itself, which such a StackSet never
    deploys to, with a bootstrap stack of its own. Otherwise self-managed from the deploying
    account, after creating the StackSet roles an account vending process would. The template is
    the mesh's (:mod:`datamesh.delivery.bootstrap_template`): with ``delivery`` each account trusts
    only the pipeline's deploy build role in the tooling account. Returns the StackSet's name.
    """
    cfg = mesh.config
    name = naming.bootstrap_stack_set(cfg.name)
    qualifier, trust = cfg.lake_formation.cdk_qualifier, cfg.deploying_account
    bootstrap = {
        "trust": trust,
        "qualifier": qualifier,
        "template": bootstrap_template.template_text(),
        "extra": {bootstrap_template.PARAMETER: naming.pipeline_deploy_role_arn(cfg.name, trust)}
        if cfg.delivery
        else {},
    }
    ou = cfg.organization.ou if cfg.organization else None
    if ou is not None:
        if management is None:
            raise LocalAwsError(
                "mesh.yaml names an organizational unit: the organisation's management account is needed"
            )
        if management in targets:
            stackset_bootstrap.bootstrap_stack(aws, management, **bootstrap)
        stackset_bootstrap.bootstrap_organizational_unit(
            aws, name, management=management, organizational_unit=ou, **bootstrap
        )
    else:
        stackset_bootstrap.grant_self_managed_permissions(aws, trust, targets)
        stackset_bootstrap.bootstrap_accounts(aws, name, administrator=trust, accounts=targets, **bootstrap)
    return name


def bootstrap(mesh: Mesh, server: Server) -> None:
    """Bootstrap every account of the mesh not bootstrapped yet, through the mesh's StackSet (one line each), and
    make the roles and Identity Center groups and users the consumers name (:func:`existing_principals`), so that
    any command deploys after it (``meshctl deploy`` as ``make demo``)."""
    cfg = mesh.config
    aws = local_accounts(mesh, server)
    todo = []
    for account in mesh_accounts(mesh):
        if stackset_bootstrap.is_bootstrapped(aws, account, cfg.lake_formation.cdk_qualifier):
            print(f"  aws://{account}/{cfg.region}: already bootstrapped")
        else:
            todo.append(account)
    if todo:
        name = bootstrap_mesh(aws, mesh, todo)
        for account in todo:
            print(f"  aws://{account}/{cfg.region}: bootstrapped by StackSet {name} (trusts {cfg.deploying_account})")
    for line in existing_principals(mesh, aws):
        print(f"  {line} created, as its platform team would have it", flush=True)


def deploy(
    mesh: Mesh,
    server: Server,
    state_dir: Path,
    *,
    app: Path | None = None,
    stacks: tuple[str, ...] = (),
    log: Path | None = None,
    allow_destroy: bool = True,
    method: str | None = None,
    today: date | None = None,
) -> int:
    """``cdk deploy`` (every stack unless ``stacks`` names some) from the governance account.

    :param app: a cloud assembly to deploy; by default the app is synthesized into
        ``state_dir/cdk.out``.
    :param log: file for the CLI's output; by default it goes to the terminal.
    :param allow_destroy: synthesize with ``-c allow-destroy=true``, so a demo can be torn down.
    :param method: the CLI's ``--method`` (``change-set``, its default, or ``direct``).
    :param today: synthesize the shares as on this day (``-c today=``).
    """
    cfg = mesh.config
    env = cdk_cli.environment(local_accounts(mesh, server).environment(cfg.governance_account))
    context = {MESH_CONTEXT: str(mesh.source.resolve())}
    if allow_destroy:
        context[ALLOW_DESTROY_CONTEXT] = "true"
    if today is not None:
        context[TODAY_CONTEXT] = today.isoformat()
    if cfg.lake_formation.cdk_qualifier != cdk_cli.DEFAULT_QUALIFIER:
        context[QUALIFIER_CONTEXT] = cfg.lake_formation.cdk_qualifier
    output = None if app else state_dir / "cdk.out"
    command = cdk_cli.deploy_command(app=app, output=output, context=context, stacks=stacks, method=method)
    return cdk_cli.run(command, env, cwd=REPO_ROOT, log=log)


def existing_principals(mesh: Mesh, aws: Accounts) -> list[str]:
    """Create the roles and the Identity Center groups and users the consumers' principals name, as a platform
    team would have them before the mesh grants them anything (the mesh makes none it does not own); what is
    there already is left alone. An Identity Center group or user is named ``<domain>-<principal>``, and the
    local AWS gives it the id the domain file names (:func:`localaws.resources.identity_center.entity_id`).
    One line per principal made."""
    made = []
    idc = mesh.config.identity_center
    for domain in mesh.consumers:
        iam = aws.client("iam", domain.account)
        for principal in domain.principals:
            if principal.role is not None and not _exists(functools.partial(iam.get_role, RoleName=principal.role)):
                trust = {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Principal": {"AWS": f"arn:aws:iam::{domain.account}:root"},
                        }
                    ],
                }
                iam.create_role(RoleName=principal.role, AssumeRolePolicyDocument=json.dumps(trust))
                made.append(f"{domain.name} ({domain.account}): role {principal.role}")
            if principal.identity_center is not None and idc is not None:
                home = idc.account or mesh.config.governance_account
                made += _identity_center_entity(aws.client("identitystore", home), idc, domain.name, principal)
    return made


def _exists(read: Callable[[], object]) -> bool:
    try:
        read()
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchEntity", "ResourceNotFoundException"):
            return False
        raise
    return True


def _identity_center_entity(store: Any, idc: IdentityCenter, domain: str, principal: Principal) -> list[str]:
    kind, entity = principal.identity_center or ("", "")
    name = f"{domain}-{principal.name}"
    if kind == "group":
        if _exists(functools.partial(store.describe_group, IdentityStoreId=idc.identity_store_id, GroupId=entity)):
            return []
        made = store.create_group(IdentityStoreId=idc.identity_store_id, DisplayName=name)["GroupId"]
    else:
        if _exists(functools.partial(store.describe_user, IdentityStoreId=idc.identity_store_id, UserId=entity)):
            return []
        made = store.create_user(
            IdentityStoreId=idc.identity_store_id,
            UserName=name,
            DisplayName=name,
            Name={"GivenName": principal.name, "FamilyName": domain},
        )["UserId"]
    if made != entity:
        raise LocalAwsError(f"{domain}: Identity Center {kind} {name} got id {made}, the domain file names {entity}")
    return [f"{domain}: Identity Center {kind} {name} ({entity})"]


def form_organization(mesh: Mesh, aws: Accounts) -> str:
    """Create (or reuse) the organization of ``mesh``'s accounts; returns its local id."""
    management = mesh.config.governance_account
    organizations = aws.client("organizations", management)
    try:
        organizations.create_organization(FeatureSet="ALL")
    except ClientError as error:
        if error.response["Error"]["Code"] != "AlreadyInOrganizationException":
            raise
    for account in mesh_accounts(mesh):
        if account != management:
            organizations.invite_account_to_organization(Target={"Id": account, "Type": "ACCOUNT"})
    aws.client("ram", management).enable_sharing_with_aws_organization()
    return organizations.describe_organization()["Organization"]["Id"]


def deploy_mesh(
    mesh: Mesh,
    server: Server,
    state_dir: Path,
    *,
    log: Path | None = None,
    allow_destroy: bool = True,
    method: str | None = None,
    today: date | None = None,
) -> int:
    """Deploy every stack of ``mesh`` (in one go or in waves, see the module's docstring); the CDK CLI's exit code.

    ``allow_destroy``, ``method`` and ``today`` go to every ``cdk deploy`` (see :func:`deploy`).
    """
    aws = local_accounts(mesh, server)
    run = functools.partial(deploy, mesh, server, state_dir, allow_destroy=allow_destroy, method=method, today=today)
    owned = iam_allowed.owned(blueprint(mesh, today))
    for line in existing_principals(mesh, aws):
        print(f"  {line} created, as its platform team would have it", flush=True)
    recipients = identity_center.wanted(mesh)
    for account in mesh_accounts(mesh):  # the step before the first wave, as meshctl deploy takes it
        lake_settings.prepare(aws.client("lakeformation", account), account)
        iam_allowed.revoke(
            aws.client("lakeformation", account), aws.client("sts", account), account, owned.get(account, {})
        )
        if mesh.config.identity_center is not None and account in recipients:
            identity_center.prepare(
                answers.watch(aws.client("lakeformation", account)),
                account,
                mesh.config.identity_center.instance_arn,
                recipients[account],
            )
    if mesh.config.organization is not None:
        print(f"  accounts in organization {form_organization(mesh, aws)}, AWS RAM sharing with it enabled", flush=True)
        return _create_workgroups(mesh, aws, run(log=log))
    before, after = waves(mesh)
    code = run(stacks=tuple(before), log=log)
    if code != 0 or not after:
        return _create_workgroups(mesh, aws, code)
    for domain in mesh.domains:
        accepted = accept_invitations(aws.client("ram", domain.account), mesh.config.governance_account)
        print(f"  {domain.name} ({domain.account}) accepted {len(accepted)} AWS RAM invitation(s)", flush=True)
    return _create_workgroups(mesh, aws, run(stacks=tuple(after), log=log.with_suffix(".access.log") if log else None))


def _create_workgroups(mesh: Mesh, aws: Accounts, code: int) -> int:
    """The step after the last wave, as meshctl deploy takes it: each Identity Center workgroup, once the
    deploy succeeded (``code``, returned)."""
    if code == 0:
        for domain in identity_center_workgroups.domains(mesh):
            made = identity_center_workgroups.prepare(answers.watch(aws.client("athena", domain.account)), mesh, domain)
            if made:
                print(f"  {domain.name} ({domain.account}): {made}", flush=True)
    return code


def destroy(mesh: Mesh, server: Server, state_dir: Path, stacks: tuple[str, ...], *, log: Path | None = None) -> int:
    """``cdk destroy`` of ``stacks`` of the last deployed assembly (``state_dir/cdk.out``).

    :param stacks: the app's stack ids (``Hr-Access``), which the CLI selects by; not the
        deployed stack names (``acme-Hr-Access``).
    """
    env = cdk_cli.environment(local_accounts(mesh, server).environment(mesh.config.governance_account))
    return cdk_cli.run(cdk_cli.destroy_command(app=state_dir / "cdk.out", stacks=stacks), env, cwd=REPO_ROOT, log=log)


def stack_accounts(assembly: Path) -> dict[str, str]:
    """Stack name -> account, from a cloud assembly's manifest."""
    manifest = json.loads((assembly / "manifest.json").read_text())
    return {
        a["properties"]["stackName"]: a["environment"].split("/")[2]
        for a in manifest["artifacts"].values()
        if a["type"] == "aws:cloudformation:stack"
    }


def failures(mesh: Mesh, server: Server, assembly: Path, since: datetime) -> list[str]:
    """One line per resource that failed since ``since``: stack, resource, type and reason."""
    aws = local_accounts(mesh, server)
    found = []
    for name, account in stack_accounts(assembly).items():
        try:
            events = aws.client("cloudformation", account).describe_stack_events(StackName=name)["StackEvents"]
        except ClientError:
            continue  # never created
        for event in reversed(events):
            if (
                event["Timestamp"] >= since
                and event["ResourceStatus"].endswith("_FAILED")
                and event["LogicalResourceId"] != name
            ):
                found.append(
                    f"{name}: {event['LogicalResourceId']} ({event['ResourceType']}) "
                    f"{event['ResourceStatus']}: {event.get('ResourceStatusReason', '')}"
                )
    return found
