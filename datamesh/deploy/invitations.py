"""The two waves of a deploy between standalone accounts, and the AWS RAM invitations accepted between them.

Lake Formation shares a producer's databases and tables with a consumer account through AWS RAM;
between standalone accounts each consumer accepts the governance account's invitation before its
Access stack can link and grant the shared resources (see ``meshctl deploy``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from datamesh.doctor.invitations import lake_formation_invitations

if TYPE_CHECKING:
    from datamesh.config import Mesh


def waves(mesh: Mesh) -> tuple[list[str], list[str]]:
    """Stack ids to deploy before the consumers accept their invitations, and after."""
    from datamesh.blueprint import blueprint

    stacks = [s for s in blueprint(mesh).stacks if s.kind != "pipeline"]
    return [s.id for s in stacks if s.wave != "Access"], [s.id for s in stacks if s.wave == "Access"]


def _accept(ram: Any, invitations: list[dict[str, Any]]) -> list[str]:
    pending = [i["resourceShareInvitationArn"] for i in invitations if i["status"] == "PENDING"]
    for arn in pending:
        ram.accept_resource_share_invitation(resourceShareInvitationArn=arn)
    return pending


def accept_invitations(ram: Any, sender: str) -> list[str]:
    """Accept every pending AWS RAM invitation from account ``sender`` to a Lake Formation share; returns their
    ARNs. Invitations from other accounts, or to other shares, stay pending."""
    return _accept(ram, lake_formation_invitations(ram, sender))


def await_invitations(
    ram: Any,
    sender: str,
    *,
    timeout: float,
    interval: float = 10.0,
    progress: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Accept ``sender``'s Lake Formation share invitations (:func:`accept_invitations`), waiting up to ``timeout``
    seconds, ``interval`` apart, while the account has none from it yet (RAM may send one after the grant that
    created the share), telling ``progress`` each wait. Returns the ARNs accepted; empty when none arrived in time."""
    waited = 0.0
    while not (invitations := lake_formation_invitations(ram, sender)) and waited < timeout:
        progress(f"  no AWS RAM invitation from {sender} yet; waiting ({waited:.0f} of {timeout:.0f} s)")
        sleep(interval)
        waited += interval
    return _accept(ram, invitations)
