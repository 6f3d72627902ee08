"""AWS RAM invitations to the mesh's Lake Formation shares: read, and judged by doctor between standalone accounts.

Between accounts of no common organization, a Lake Formation grant to another account reaches it through an
AWS RAM resource share whose invitation the receiving account must accept before it can use the shared
resources (Lake Formation guide: "Cross-account data sharing in Lake Formation", "Accepting a resource share
invitation from AWS RAM"). ``meshctl deploy`` accepts them between its waves; :func:`check` is doctor's finding
for an invitation left pending.
"""

from __future__ import annotations

from typing import Any

from datamesh.aws.sessions import items
from datamesh.doctor.findings import Finding, Status

# Lake Formation names the AWS RAM resource shares it creates for its grants "LakeFormation-..." (an
# assumption from the shares the RAM console lists; RAM's API has no field saying which service made a share).
LAKE_FORMATION_SHARE = "LakeFormation-"


def lake_formation_invitations(ram: Any, sender: str) -> list[dict[str, Any]]:
    """The account's invitations, in any status, from ``sender`` to a Lake Formation share."""
    return [
        i
        for i in items(ram, "get_resource_share_invitations", "resourceShareInvitations")
        if i["senderAccountId"] == sender and i.get("resourceShareName", "").startswith(LAKE_FORMATION_SHARE)
    ]


def check(ram: Any, domain: str, sender: str) -> list[Finding]:
    """One finding per invitation from ``sender`` to a Lake Formation share: ok once accepted, ``different`` while
    pending (the account cannot use what the share holds)."""
    return [
        Finding(domain, "", "ram-invitation", i["resourceShareName"], Status.OK)
        if i["status"] != "PENDING"
        else Finding(
            domain,
            "",
            "ram-invitation",
            i["resourceShareName"],
            Status.DIFFERENT,
            f"the invitation from {sender} is pending: the account cannot use the shared databases and tables "
            "(meshctl repair, or meshctl deploy, accepts it)",
        )
        for i in lake_formation_invitations(ram, sender)
    ]
