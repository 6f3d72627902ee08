"""The Lake Formation admins every account of the mesh gets."""

from __future__ import annotations

from datamesh import naming
from datamesh.config import Mesh


def lake_formation_admin_arns(mesh: Mesh, account: str) -> list[str]:
    """The mesh's admin roles in ``account`` plus the CDK execution role that deploys grants."""
    settings = mesh.config.lake_formation
    return [
        *(naming.role_arn(account, name) for name in settings.admin_role_names),
        naming.cdk_exec_role_arn(settings.cdk_qualifier, account, mesh.config.region),
    ]
