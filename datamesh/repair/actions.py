"""What ``meshctl repair`` does for each drift finding it can repair, from the blueprint, never deleting anything.

CloudFormation does not restore a resource removed outside it: a stack whose template did not change is not
updated, so ``cdk deploy`` leaves a revoked grant revoked and a deleted resource link deleted. A repair
re-applies, through the API the deploy's own step or CloudFormation's handler calls, exactly what the blueprint
says for the resource a finding names, in the mesh's own resources only:

- ``grant`` (governance account) and ``analyst-grant`` (a consumer account): ``GrantPermissions`` of the
  blueprint's grant with that subject; a grant held beyond it (``extra``) is left to a person.
- ``resource-link``: ``CreateDatabase`` of the link, pointing at the product's database.
- ``key-access`` of a role to the catalog key: ``PutKeyPolicy`` with the blueprint's statement put back
  (the rest of the policy kept); a role whose own IAM policy lacks the key is left (its stack owns it).
- ``ram-invitation``: ``AcceptResourceShareInvitation``, as ``meshctl deploy`` does between its waves.
- ``lf-settings`` and ``iam-allowed-principals``: ``meshctl deploy``'s settings step for that account.

Lake Formation lets only a data lake admin grant on a catalog's resources and create databases there once
the defaults are cleared, so the caller is made an admin of the account for the grants and links, and
removed after (:func:`datamesh.doctor.iam_allowed.as_admin`, as the settings step does).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from datamesh.doctor import iam_allowed, lake_settings
from datamesh.doctor.findings import Finding, Status
from datamesh.doctor.grants import principal_grant_subject, share_grant_subject
from datamesh.names import naming

if TYPE_CHECKING:
    from datamesh.blueprint import Blueprint

Client = Callable[[str, str], Any]  # (account, service) -> boto3 client in that account

REPAIRED = (
    "lf-settings",
    "iam-allowed-principals",
    "ram-invitation",
    "key-access",
    "grant",
    "resource-link",
    "analyst-grant",
)
"""The checks a repair acts on, in the order it acts: what lets a grant take effect first, the governance
catalog's grant to an account before the account's link, the link before the grants on it."""


@dataclass(frozen=True)
class Action:
    """One call (or a few) that puts back what ``finding`` found missing or different."""

    finding: Finding
    summary: str
    apply: Callable[[Client], None]

    @property
    def account(self) -> str:
        return self.finding.account


def _order(action: Action) -> int:
    return REPAIRED.index(action.finding.check)


def _grant(catalog: str, grant: Any, resource_catalog: str) -> Callable[[Client], None]:
    def apply(client: Client) -> None:
        lakeformation = client(catalog, "lakeformation")
        with iam_allowed.as_admin(lakeformation, client(catalog, "sts"), catalog):
            lakeformation.grant_permissions(
                CatalogId=catalog,
                Principal={"DataLakePrincipalIdentifier": grant.principal},
                Resource=grant.resource.api(resource_catalog),
                Permissions=list(grant.permissions),
                PermissionsWithGrantOption=list(grant.grantable),
            )

    return apply


def _share_grants(blueprint: Blueprint, finding: Finding) -> list[Action]:
    catalog = blueprint.mesh.config.governance_account
    names = {d.account: d.name for d in blueprint.mesh.domains}
    return [
        Action(finding, f"grant {', '.join(g.permissions)} with grant option", _grant(catalog, g, catalog))
        for g in blueprint.grants
        if share_grant_subject(names[g.principal], g.principal, g.resource) == finding.resource
    ]


def _principal_grants(blueprint: Blueprint, finding: Finding) -> list[Action]:
    account = finding.account
    domain = next(d for d in blueprint.mesh.domains if d.account == account)
    return [
        Action(finding, f"grant {', '.join(g.permissions)}", _grant(account, g, g.resource.catalog))
        for g in blueprint.principal_grants(domain.name)
        if principal_grant_subject(g.principal.rsplit("/", 1)[-1], g.resource, g.resource.catalog, account)
        == finding.resource
    ]


def _resource_link(blueprint: Blueprint, finding: Finding) -> list[Action]:
    account = finding.account
    links = [link for link in blueprint.resource_links if link.account == account and link.name == finding.resource]

    def apply(client: Client, link: Any) -> None:
        lakeformation = client(account, "lakeformation")
        with iam_allowed.as_admin(lakeformation, client(account, "sts"), account):
            client(account, "glue").create_database(
                CatalogId=account,
                DatabaseInput={
                    "Name": link.name,
                    "TargetDatabase": {"CatalogId": link.target_catalog, "DatabaseName": link.target_database},
                },
            )

    return [
        Action(
            finding,
            f"create the resource link {link.name} to {link.target_catalog}:{link.target_database}",
            lambda client, link=link: apply(client, link),
        )
        for link in links
    ]


def _catalog_key(blueprint: Blueprint, finding: Finding, key_policy: Callable[[], dict[str, Any]]) -> list[Action]:
    """The catalog key's statement for the mesh's accounts, put back when the key policy lacks it or holds another."""
    cfg = blueprint.mesh.config
    alias = naming.catalog_key_alias(cfg.name)
    if f" with {alias} via " not in finding.resource:
        return []
    from datamesh.blueprint.accounts import catalog_key_use

    wanted = catalog_key_use(blueprint.mesh).policy()
    policy = key_policy()
    statements = policy.get("Statement", [])
    if wanted in statements:
        return []  # the key policy is as the blueprint says: the role's own IAM policy lacks the key

    def apply(client: Client) -> None:
        kms = client(cfg.governance_account, "kms")
        key = kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
        now = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
        kept = [s for s in now.get("Statement", []) if s.get("Sid") != wanted["Sid"]]
        kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps({**now, "Statement": [*kept, wanted]}))

    return [Action(finding, f"put statement {wanted['Sid']} back into the key policy of {alias}", apply)]


def plan(blueprint: Blueprint, findings: list[Finding], client: Client) -> tuple[list[Action], list[Finding]]:
    """The actions that repair ``findings`` (drift only), in the order to take them, and the drift findings no
    action repairs. ``client`` reads what an action depends on (the catalog key's policy)."""
    cfg = blueprint.mesh.config
    owned = iam_allowed.owned(blueprint)
    actions: list[Action] = []
    left: list[Finding] = []
    for finding in findings:
        if not finding.drift:
            continue
        found: list[Action] = []
        if finding.status is not Status.EXTRA:
            if finding.check == "grant":
                found = _share_grants(blueprint, finding)
            elif finding.check == "analyst-grant":
                found = _principal_grants(blueprint, finding)
            elif finding.check == "resource-link" and finding.status is Status.MISSING:
                found = _resource_link(blueprint, finding)
            elif finding.check == "key-access":
                found = _catalog_key(blueprint, finding, lambda: _key_policy(client, cfg.governance_account, cfg.name))
            elif finding.check == "ram-invitation":
                found = [_accept(finding, cfg.governance_account)]
            elif finding.check == "lf-settings":
                found = [_settings(finding)]
            elif finding.check == "iam-allowed-principals":
                found = [_iam_allowed(finding, owned.get(finding.account, {}))]
        if found:
            actions += found
        else:
            left.append(finding)
    return _unique(sorted(actions, key=_order)), left


def _unique(actions: list[Action]) -> list[Action]:
    """One settings step per account however many of its findings ask for it."""
    seen: set[tuple[str, str]] = set()
    found = []
    for action in actions:
        key = (action.account, action.summary)
        if action.finding.check in {"lf-settings", "iam-allowed-principals", "ram-invitation"} and key in seen:
            continue
        seen.add(key)
        found.append(action)
    return found


def _key_policy(client: Client, account: str, mesh: str) -> dict[str, Any]:
    kms = client(account, "kms")
    key = kms.describe_key(KeyId=naming.catalog_key_alias(mesh))["KeyMetadata"]["Arn"]
    return json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])


def _accept(finding: Finding, sender: str) -> Action:
    from datamesh.deploy.invitations import accept_invitations

    return Action(
        finding,
        f"accept the AWS RAM invitations from {sender} to Lake Formation shares",
        lambda client: accept_invitations(client(finding.account, "ram"), sender),
    )


def _settings(finding: Finding) -> Action:
    return Action(
        finding,
        "clear the default permissions and set cross-account version 3 (meshctl deploy's settings step)",
        lambda client: lake_settings.prepare(client(finding.account, "lakeformation"), finding.account),
    )


def _iam_allowed(finding: Finding, mine: iam_allowed.Owned) -> Action:
    return Action(
        finding,
        "revoke IAMAllowedPrincipals' permissions on the mesh's databases and tables (meshctl deploy's settings step)",
        lambda client: iam_allowed.revoke(
            client(finding.account, "lakeformation"), client(finding.account, "sts"), finding.account, mine
        ),
    )


def apply(actions: list[Action], client: Client) -> None:
    """Take ``actions`` in order; the first that fails raises (the rest are not taken)."""
    for action in actions:
        action.apply(client)
