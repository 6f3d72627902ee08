"""Glue's ``CreateDatabase`` and ``UpdateDatabase`` as the local AWS serves them: a resource link's target is checked.

A database with ``TargetDatabase`` is a resource link. Its target must exist in the named catalog
(else ``EntityNotFoundException``) and, in another account's catalog, be shared with this account
by a Lake Formation grant whose AWS RAM share the account uses (else ``AccessDeniedException``;
:mod:`localaws.resources.ram`). The rule is held here, in the moto backend methods that a boto3
call and the ``AWS::Glue::Database`` handler both reach, so both get one answer. That Glue refuses
a link to a database not shared with the account is an assumption (Lake Formation guide: "How
resource links work in Lake Formation", "Creating resource links" describe links to local or
shared databases only).
"""

from __future__ import annotations

from typing import Any

from moto.glue.models import GlueBackend

from localaws.resources import catalog, grants, ram
from localaws.resources.errors import Rejected


def check_target(account_id: str, region: str, link: str, target: dict[str, Any] | None) -> None:
    """A resource link's target must exist and, in another account, be shared with this one."""
    if target is None:
        return
    target_catalog = target.get("CatalogId", account_id)
    target_region = target.get("Region", region)
    name = target["DatabaseName"]
    catalog.database(target_catalog, name, target_region)
    if target_catalog == account_id:
        return
    if not grants.shares_database(account_id, target_catalog, name, target_region):
        raise Rejected(
            "AccessDeniedException",
            f"Resource link {link} cannot target database {name} of catalog {target_catalog}: "
            f"it is not shared with account {account_id} (no Lake Formation grant to the account)",
        )
    ram.require_in_use(
        target_catalog, account_id, {"Database": {"CatalogId": target_catalog, "Name": name}}, target_region
    )


def install() -> None:
    if getattr(GlueBackend.create_database, "_localaws_link_checks", False):
        return  # installed already: wrap moto's own methods once
    create, update = GlueBackend.create_database, GlueBackend.update_database

    def create_database(
        self: GlueBackend, database_name: str, database_input: dict[str, Any], tags: dict[str, str] | None = None
    ) -> Any:
        check_target(self.account_id, self.region_name, database_name, database_input.get("TargetDatabase"))
        return create(self, database_name, database_input, tags)

    def update_database(self: GlueBackend, database_name: str, database_input: dict[str, Any]) -> None:
        check_target(self.account_id, self.region_name, database_name, database_input.get("TargetDatabase"))
        update(self, database_name, database_input)

    create_database._localaws_link_checks = True  # type: ignore[attr-defined]
    GlueBackend.create_database = create_database
    GlueBackend.update_database = update_database
