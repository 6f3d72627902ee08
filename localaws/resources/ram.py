"""AWS RAM as Lake Formation uses it to share Data Catalog resources with other accounts.

A Lake Formation grant on a named database or table to another account (or to a
principal of one) shares the resource through a RAM resource share owned by the
granting catalog's account (Lake Formation guide: "Cross-account data sharing in Lake
Formation"; "Accepting a resource share invitation from AWS RAM"). Unless both accounts
are in one AWS Organization whose management account enabled sharing with it
(``EnableSharingWithAwsOrganization``), the receiving account gets an invitation and
cannot use the resource (resource links, grants to its own principals) until it accepts
(``GetResourceShareInvitations``, ``AcceptResourceShareInvitation``).

The local AWS keeps one resource share per pair of accounts, as Lake Formation's
cross-account version 3 reuses shares: once accepted, resources added later are usable
at once. moto's RAM and Organizations backends hold the state; this module adds the
invitation API and ``InviteAccountToOrganization`` (which the local AWS completes at
once, without a handshake).
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time, utcnow
from moto.moto_api._internal import mock_random
from moto.organizations import models as organizations
from moto.organizations.responses import OrganizationsResponse
from moto.ram import urls
from moto.ram.models import ResourceAccessManagerBackend, ResourceShare, ram_backends
from moto.ram.responses import ResourceAccessManagerResponse

from localaws.resources import grants
from localaws.resources.errors import Rejected

_ACCOUNT = re.compile(r"^(?:(?P<id>\d{12})|arn:aws:iam::(?P<arn>\d{12}):.+)$")


def _account(principal: str) -> str | None:
    match = _ACCOUNT.match(principal)
    return (match["id"] or match["arn"]) if match else None


def _resource_arn(resource: dict[str, Any], region: str) -> str | None:
    """The Glue ARN a named Lake Formation resource is shared as; None for other kinds."""
    kind, spec = grants.kind_of(resource)
    prefix = f"arn:aws:glue:{region}:{spec.get('CatalogId')}"
    if kind == "Database":
        return f"{prefix}:database/{spec['Name']}"
    if kind in ("Table", "TableWithColumns"):
        return f"{prefix}:table/{spec['DatabaseName']}/{spec.get('Name', '*')}"
    if kind == "DataCellsFilter":  # shared as its table (Lake Formation guide, "Data filters in Lake Formation")
        return f"arn:aws:glue:{region}:{spec['TableCatalogId']}:table/{spec['DatabaseName']}/{spec['TableName']}"
    return None


def _organization(account: str) -> str | None:
    """Id of the organization ``account`` belongs to, if any."""
    master = organizations.organizations_backends.master_accounts.get(account, (account, "aws"))
    org = organizations.organizations_backends[master[0]][master[1]].org
    return org.id if org else None


def _sharing_within_organization(owner: str, receiver: str, region: str) -> bool:
    org = _organization(owner)
    if org is None or org != _organization(receiver):
        return False
    master = organizations.organizations_backends.master_accounts.get(owner, (owner, "aws"))[0]
    return bool(ram_backends[master][region].__dict__.get("_localaws_sharing_with_organization"))


def _invitations(backend: ResourceAccessManagerBackend) -> list[dict[str, Any]]:
    """Invitations received by the backend's account."""
    return backend.__dict__.setdefault("_localaws_invitations", [])


def _share_with(owner: str, receiver: str, region: str) -> ResourceShare:
    backend = ram_backends[owner][region]
    name = f"LakeFormation-V3-{receiver}"
    found = next((s for s in backend.resource_shares if s.name == name and s.status == "ACTIVE"), None)
    if found is None:
        found = ResourceShare(owner, region, name=name)
        found.principals.append(receiver)
        backend.resource_shares.append(found)
        if not _sharing_within_organization(owner, receiver, region):
            _invitations(ram_backends[receiver][region]).append(
                {
                    "resourceShareInvitationArn": f"arn:aws:ram:{region}:{owner}:resource-share-invitation/{mock_random.uuid4()}",
                    "resourceShareName": name,
                    "resourceShareArn": found.arn,
                    "senderAccountId": owner,
                    "receiverAccountId": receiver,
                    "invitationTimestamp": unix_time(utcnow()),
                    "status": "PENDING",
                }
            )
    return found


def share(catalog_id: str, principal: str, resource: dict[str, Any], region: str) -> None:
    """Share ``resource`` of ``catalog_id`` with the account of ``principal`` (if another one)."""
    receiver = _account(principal)
    arn = _resource_arn(resource, region)
    if receiver is None or receiver == catalog_id or arn is None:
        return
    found = _share_with(catalog_id, receiver, region)
    if arn not in found.resource_arns:
        found.resource_arns.append(arn)


def pending(owner: str, receiver: str, region: str) -> dict[str, Any] | None:
    """The invitation of ``owner``'s share with ``receiver`` while it waits for acceptance."""
    arn = next(
        (
            s.arn
            for s in ram_backends[owner][region].resource_shares
            if s.status == "ACTIVE" and receiver in s.principals and s.name.startswith("LakeFormation-")
        ),
        None,
    )
    return next(
        (
            i
            for i in _invitations(ram_backends[receiver][region])
            if i["resourceShareArn"] == arn and i["status"] == "PENDING"
        ),
        None,
    )


def require_in_use(owner: str, receiver: str, resource: dict[str, Any], region: str) -> None:
    """Refuse to use ``owner``'s shared resource from ``receiver`` while its invitation is pending."""
    invitation = pending(owner, receiver, region)
    if invitation is not None:
        raise Rejected(
            "AccessDeniedException",
            f"Insufficient Lake Formation permission(s): account {receiver} has not accepted the AWS RAM invitation "
            f"{invitation['resourceShareInvitationArn']} from account {owner}, which shares {_resource_arn(resource, region)}",
        )


# The API moto lacks ------------------------------------------------------------------


def get_resource_share_invitations(self: ResourceAccessManagerResponse) -> str:
    wanted = self._get_param("resourceShareInvitationArns") or []
    shares = self._get_param("resourceShareArns") or []
    found = [
        i
        for i in _invitations(self.ram_backend)
        if (not wanted or i["resourceShareInvitationArn"] in wanted) and (not shares or i["resourceShareArn"] in shares)
    ]
    return json.dumps({"resourceShareInvitations": found})


def accept_resource_share_invitation(self: ResourceAccessManagerResponse) -> str:
    arn = self._get_param("resourceShareInvitationArn")
    invitation = next((i for i in _invitations(self.ram_backend) if i["resourceShareInvitationArn"] == arn), None)
    if invitation is None:
        raise JsonRESTError(
            "ResourceShareInvitationArnNotFoundException", f"ResourceShareInvitation {arn} could not be found."
        )
    if invitation["status"] == "ACCEPTED":
        raise JsonRESTError(
            "ResourceShareInvitationAlreadyAcceptedException", f"ResourceShareInvitation {arn} was already accepted."
        )
    invitation["status"] = "ACCEPTED"
    return json.dumps({"resourceShareInvitation": invitation})


def enable_sharing_with_aws_organization(self: ResourceAccessManagerBackend) -> dict[str, Any]:
    if not self.organizations_backend.org or self.organizations_backend.org.master_account_id != self.account_id:
        return {"returnValue": False}
    self._localaws_sharing_with_organization = True
    return {"returnValue": True}


def invite_account_to_organization(self: OrganizationsResponse) -> str:
    """Adds the target account to the caller's organization at once (no handshake locally)."""
    backend = self.organizations_backend
    target = self._get_param("Target")["Id"]
    if backend.org is None:
        raise organizations.AWSOrganizationsNotInUseException
    if target not in organizations.organizations_backends.master_accounts:
        account = organizations.FakeAccount(backend.org, AccountName=target, Email=f"{target}@example.com")
        account.id, account.joined_method = target, "INVITED"
        backend.accounts.append(account)
        organizations.organizations_backends.master_accounts[target] = (backend.account_id, backend.partition)
    handshake = {
        "Id": f"h-{mock_random.get_random_hex(10)}",
        "State": "ACCEPTED",
        "Action": "INVITE",
        "Parties": [{"Id": backend.org.id, "Type": "ORGANIZATION"}, {"Id": target, "Type": "ACCOUNT"}],
    }
    return json.dumps({"Handshake": handshake})


def install() -> None:
    urls.url_paths["{0}/getresourceshareinvitations$"] = ResourceAccessManagerResponse.dispatch
    urls.url_paths["{0}/acceptresourceshareinvitation$"] = ResourceAccessManagerResponse.dispatch
    ResourceAccessManagerResponse.get_resource_share_invitations = get_resource_share_invitations
    ResourceAccessManagerResponse.accept_resource_share_invitation = accept_resource_share_invitation
    ResourceAccessManagerBackend.enable_sharing_with_aws_organization = enable_sharing_with_aws_organization
    OrganizationsResponse.invite_account_to_organization = invite_account_to_organization
