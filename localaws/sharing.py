"""Cross-account shares on the local demo, as on real accounts: an organization, or accepted invitations.

Lake Formation shares the producers' databases and tables with consumer accounts through
AWS RAM (see :mod:`localaws.resources.ram`). A mesh whose mesh.yaml names an
``organization`` gets one on the local AWS: the governance account plays the management
account, creates it, invites every other account of the mesh (the local AWS adds it at
once) and enables RAM sharing with it; one ``cdk deploy --all`` then deploys the mesh.
The local organization's id is generated; it is not compared with mesh.yaml's. A mesh of
standalone accounts is deployed as ``meshctl deploy`` does: Governance, Storage and
Catalog stacks, then each domain account accepts its invitations, then the Access stacks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from botocore.exceptions import ClientError

from datamesh.config import Mesh
from datamesh.meshctl.deploy import accept_invitations, waves

from localaws import demo
from localaws.accounts import Accounts, mesh_accounts
from localaws.control import Server


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


def deploy(
    mesh: Mesh,
    server: Server,
    state_dir: Path,
    *,
    log: Path | None = None,
    allow_destroy: bool = True,
    method: str | None = None,
    today: date | None = None,
) -> int:
    """Deploy every stack of ``mesh`` (see the module's docstring); the CDK CLI's exit code.

    ``allow_destroy``, ``method`` and ``today`` go to every ``cdk deploy`` (see :func:`localaws.demo.deploy`).
    """
    aws = Accounts(server.endpoint, mesh.config.region)
    if mesh.config.organization is not None:
        print(f"  accounts in organization {form_organization(mesh, aws)}, AWS RAM sharing with it enabled", flush=True)
        return demo.deploy(mesh, server, state_dir, log=log, allow_destroy=allow_destroy, method=method, today=today)
    before, after = waves(mesh)
    code = demo.deploy(mesh, server, state_dir, stacks=tuple(before), log=log, allow_destroy=allow_destroy, method=method, today=today)
    if code != 0 or not after:
        return code
    for domain in mesh.domains:
        accepted = accept_invitations(aws.client("ram", domain.account), mesh.config.governance_account)
        print(f"  {domain.name} ({domain.account}) accepted {len(accepted)} AWS RAM invitation(s)", flush=True)
    access_log = log.with_suffix(".access.log") if log else None
    return demo.deploy(mesh, server, state_dir, stacks=tuple(after), log=access_log, allow_destroy=allow_destroy, method=method, today=today)
