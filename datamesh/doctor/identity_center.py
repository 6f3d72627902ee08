"""IAM Identity Center principals: the Lake Formation Identity Center configuration they need, set and checked,
and the users and groups themselves, checked.

Lake Formation grants to an Identity Center user or group only in an account whose Lake Formation is connected
to the Identity Center instance ("Connecting Lake Formation with IAM Identity Center",
``CreateLakeFormationIdentityCenterConfiguration``); CloudFormation has no resource type for that connection,
so :func:`prepare` makes it through the API in the step before the first wave (as
:mod:`datamesh.doctor.lake_settings` sets the data lake settings): in every consumer account whose principals
name Identity Center users or groups, and in the governance account, whose configuration lists those accounts
as share recipients (the external accounts whose roles act for the users on the governance catalog's
resources). :func:`check` and :func:`check_principals` are what ``meshctl doctor`` judges.
"""

from __future__ import annotations

from typing import Any

from datamesh.aws.answers import NotFound
from datamesh.config import DomainConfig, Mesh
from datamesh.doctor.findings import Finding, Status


def consumer_accounts(mesh: Mesh) -> dict[str, str]:
    """Account -> domain of every domain whose principals name an Identity Center user or group."""
    return {d.account: d.name for d in mesh.domains if any(p.identity_center for p in d.principals)}


def wanted(mesh: Mesh) -> dict[str, list[str]]:
    """Account -> the share recipients its configuration lists: the governance account lists the consumer
    accounts; a consumer account none. Empty when no principal is an Identity Center user or group."""
    consumers = sorted(consumer_accounts(mesh))
    if not consumers or mesh.config.identity_center is None:
        return {}
    return {mesh.config.governance_account: consumers, **{a: [] for a in consumers}}


def _configuration(lakeformation: Any, account: str) -> dict[str, Any] | None:
    try:
        return lakeformation.describe_lake_formation_identity_center_configuration(CatalogId=account)
    except NotFound:
        return None


def _recipients(configuration: dict[str, Any]) -> set[str]:
    return {r["DataLakePrincipalIdentifier"] for r in configuration.get("ShareRecipients") or []}


def prepare(lakeformation: Any, account: str, instance_arn: str, recipients: list[str]) -> str | None:
    """Connect the account's Lake Formation to ``instance_arn`` sharing with ``recipients`` (adding them to an
    existing connection); what was done, None when nothing was. An existing connection to another instance is
    left alone (its instance cannot be changed: "Updating IAM Identity Center integration"), which doctor reports."""
    found = _configuration(lakeformation, account)
    shares = [{"DataLakePrincipalIdentifier": r} for r in recipients]
    if found is None:
        lakeformation.create_lake_formation_identity_center_configuration(
            CatalogId=account, InstanceArn=instance_arn, **({"ShareRecipients": shares} if shares else {})
        )
        return f"connected to Identity Center instance {instance_arn}"
    if found.get("InstanceArn") != instance_arn:
        return None
    have = _recipients(found)
    if set(recipients) <= have:
        return None
    every = sorted(have | set(recipients))
    lakeformation.update_lake_formation_identity_center_configuration(
        CatalogId=account, ShareRecipients=[{"DataLakePrincipalIdentifier": r} for r in every]
    )
    return f"Identity Center sharing with {', '.join(sorted(set(recipients) - have))}"


def check(lakeformation: Any, account: str, domain: str, instance_arn: str, recipients: list[str]) -> Finding:
    """Doctor's finding on the account's Lake Formation Identity Center configuration."""
    found = _configuration(lakeformation, account)
    if found is None:
        return Finding(
            domain, "", "lf-identity-center", account, Status.MISSING, f"expected {instance_arn} (meshctl deploy)"
        )
    problems = [] if found.get("InstanceArn") == instance_arn else [f"instance {found.get('InstanceArn')}"]
    absent = sorted(set(recipients) - _recipients(found))
    if absent:
        problems.append(f"shares with no {', '.join(absent)}")
    if problems:
        return Finding(domain, "", "lf-identity-center", account, Status.DIFFERENT, "; ".join(problems))
    return Finding(domain, "", "lf-identity-center", account, Status.OK)


def check_principals(identitystore: Any, store_id: str, domain: DomainConfig) -> list[Finding]:
    """One finding per Identity Center principal of ``domain``: ok, or missing when the identity store answers
    that it has no such user or group."""
    found = []
    for principal in domain.principals:
        if principal.identity_center is None:
            continue
        kind, entity = principal.identity_center
        try:
            if kind == "group":
                identitystore.describe_group(IdentityStoreId=store_id, GroupId=entity)
            else:
                identitystore.describe_user(IdentityStoreId=store_id, UserId=entity)
        except NotFound:
            found.append(
                Finding(
                    domain.name,
                    "",
                    f"identity-center-{kind}",
                    entity,
                    Status.MISSING,
                    f"principal {principal.name}: no such {kind} in identity store {store_id}",
                )
            )
            continue
        found.append(Finding(domain.name, "", f"identity-center-{kind}", entity, Status.OK))
    return found
