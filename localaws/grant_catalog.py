"""Lake Formation grants that can be revoked after being merged.

moto keeps a catalog's grants in a set and merges two grants to the same principal on
the same resource into one, changing its permission lists (and so its hash) while it
sits in the set; revoking it afterwards failed with a server error. Two grants on one
table (DESCRIBE, then SELECT, from two callers) are merged like that.
"""

from __future__ import annotations

from moto.lakeformation.models import Permission, PermissionCatalog


def add_permission(self: PermissionCatalog, permission: Permission) -> None:
    for existing in list(self.permissions):
        if permission.equal_principal_and_resouce(existing):
            others = {p for p in self.permissions if p is not existing}
            existing.merge(permission)
            self.permissions = others | {existing}
            return
    self.permissions.add(permission)


def remove_permission(self: PermissionCatalog, permission: Permission) -> None:
    for existing in list(self.permissions):
        if permission.equal_principal_and_resouce(existing):
            others = {p for p in self.permissions if p is not existing}
            existing.diff(permission)
            self.permissions = others if existing.is_empty() else others | {existing}
            return


def install() -> None:
    PermissionCatalog.add_permission = add_permission
    PermissionCatalog.remove_permission = remove_permission
