"""Who may change Lake Formation permissions and tags: its data lake admins, or holders of a grant option.

Lake Formation refuses ``GrantPermissions``, ``AddLFTagsToResource`` and ``CreateLFTag``
from a principal that is neither a data lake administrator of the account nor holds the
permission with grant option (Lake Formation guide: "Lake Formation personas and IAM
permissions reference", "Granting permissions on Data Catalog resources"). Being an IAM
administrator is not enough.

A stack that makes its deployer an admin (``AWS::LakeFormation::DataLakeSettings``) and
grants in the same deploy must order the two with ``DependsOn``: CloudFormation creates
resources that do not depend on each other in parallel, so such a grant is refused here
as if it had run first.
"""

from __future__ import annotations

from typing import Any

from moto.lakeformation.models import LakeFormationBackend

from localaws.resources import backends, deployer
from localaws.resources.errors import Rejected


def _sources(lf: LakeFormationBackend) -> dict[str, deployer.Deployer]:
    """Admin ARN -> the DataLakeSettings deploy that made it an admin."""
    return lf.__dict__.setdefault("_localaws_admin_sources", {})


def record_admins(account_id: str, region: str, added: list[str]) -> None:
    """Remember which stack operation (and resource) made ``added`` admins."""
    sources = _sources(backends.lakeformation(account_id, region))
    acting = deployer.current(account_id)
    for admin in added:
        sources[admin] = acting


def admins(account_id: str, region: str) -> list[str]:
    settings = backends.lakeformation(account_id, region).get_data_lake_settings(account_id)
    return [a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]]


def is_admin(account_id: str, region: str) -> bool:
    """Whether the current deployer is a data lake admin of ``account_id``, and not only through
    a DataLakeSettings of its own stack operation that the resource being deployed does not depend on."""
    acting = deployer.current(account_id)
    if acting.principal not in admins(account_id, region):
        return False
    source = _sources(backends.lakeformation(account_id, region)).get(acting.principal)
    racing = (
        source is not None
        and acting.stack_id
        and source.stack_id == acting.stack_id
        and source.operation == acting.operation
        and source.logical_id not in acting.depends_on
    )
    if racing:
        raise Rejected(
            "AccessDeniedException",
            f"Insufficient Lake Formation permission(s): {acting.principal} becomes a data lake administrator "
            f"through {source.logical_id} of the same stack, which {acting.logical_id} does not depend on "
            "(CloudFormation may create them in either order; add DependsOn)",
        )
    return True


def require(account_id: str, region: str, action: str, grant_option_held: Any = None) -> None:
    """Refuse ``action`` unless the deployer is an admin of ``account_id`` or, when
    ``grant_option_held`` is given, it returns True for the deployer's principal."""
    if is_admin(account_id, region):
        return
    principal = deployer.current(account_id).principal
    if grant_option_held is not None and grant_option_held(principal):
        return
    raise Rejected(
        "AccessDeniedException",
        f"Insufficient Lake Formation permission(s): {principal} is not a data lake administrator of account "
        f"{account_id} and holds no grant option to {action}",
    )
