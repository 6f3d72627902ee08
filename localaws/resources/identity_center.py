"""IAM Identity Center as Lake Formation sees it: the instance, its identity store's users and groups, and each
account's Lake Formation Identity Center configuration.

AWS's rules modelled:

- An account's Lake Formation connects to one Identity Center instance
  (``CreateLakeFormationIdentityCenterConfiguration``; a second is ``AlreadyExistsException``, the instance
  ARN cannot be changed afterwards: Lake Formation guide, "Connecting Lake Formation with IAM Identity
  Center", "Updating IAM Identity Center integration"); ``Describe...`` without one is
  ``EntityNotFoundException``.
- ``GrantPermissions`` to ``arn:aws:identitystore:::user/<UserId>`` or ``group/<GroupId>`` (the guide,
  "Granting permissions to users and groups") needs the granting account's configuration, and the user or
  group in its instance's identity store; else ``InvalidInputException``, as for an IAM principal that does
  not exist.

moto makes an instance in every account with random ids, and random user and group ids. Here they are derived
from the account and the name (AWS's ids are opaque), so that a mesh's files can name them before the local
AWS starts: :func:`instance_of` and :func:`entity_id` give them.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any

from moto.iam.models import iam_backends
from moto.identitystore.models import IdentityStoreBackend, identitystore_backends
from moto.lakeformation import urls
from moto.lakeformation.models import LakeFormationBackend, lakeformation_backends
from moto.lakeformation.responses import LakeFormationResponse
from moto.ssoadmin import models as ssoadmin

from localaws.resources.errors import Rejected

PRINCIPAL = re.compile(r"^arn:aws:identitystore:::(?P<kind>user|group)/(?P<id>.+)$")


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def instance_of(account: str, region: str) -> tuple[str, str]:
    """The Identity Center instance ARN and identity store id of ``account`` in the local AWS."""
    return f"arn:aws:sso:::instance/ssoins-{_digest('instance', account, region)[:16]}", (
        f"d-{_digest('store', account, region)[:10]}"
    )


def entity_id(store: str, name: str) -> str:
    """The id the local AWS gives the user (by UserName) or group (by DisplayName) ``name`` of ``store``."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"identitystore:{store}:{name}"))


def configurations(lf: LakeFormationBackend) -> dict[str, dict[str, Any]]:
    """The account's Lake Formation Identity Center configuration, by catalog id."""
    return lf.__dict__.setdefault("_localaws_identity_center", {})


def _instance(arn: str, region: str) -> tuple[str, str] | None:
    """(owner account, identity store id) of the instance ``arn`` in ``region``; None when no account holds it.

    Every account the local AWS knows (it has IAM or Lake Formation) has its instance, as an organization's
    management account has one whether or not anyone has called IAM Identity Center there yet."""
    for account in sorted({*iam_backends, *lakeformation_backends, *ssoadmin.ssoadmin_backends}):
        for instance in ssoadmin.ssoadmin_backends[account][region].instances:
            if instance.instance_arn == arn:
                return account, instance.identity_store_id
    return None


def missing(principal: str, account: str, region: str, lf: LakeFormationBackend) -> str | None:
    """Why a grant in ``account`` cannot name the Identity Center ``principal``; None when it can (or when
    ``principal`` is not one)."""
    match = PRINCIPAL.match(principal)
    if not match:
        return None
    configured = configurations(lf).get(account)
    if configured is None:
        return f"account {account} has no Lake Formation Identity Center configuration"
    found = _instance(configured["InstanceArn"], region)
    if found is None:
        return f"Identity Center instance {configured['InstanceArn']} does not exist"
    owner, store_id = found
    store = identitystore_backends[owner][region].identity_stores.get(store_id)
    entities = (store.users if match["kind"] == "user" else store.groups) if store else {}
    return None if match["id"] in entities else f"{principal} does not exist in identity store {store_id}"


def _create(self: LakeFormationResponse) -> str:
    lf = self.lakeformation_backend
    catalog_id = self._get_param("CatalogId") or self.current_account
    if catalog_id != self.current_account:
        raise Rejected("AccessDeniedException", f"Account {self.current_account} cannot configure catalog {catalog_id}")
    arn = self._get_param("InstanceArn")
    owner = _instance(arn, self.region)
    if owner is None:
        raise Rejected("InvalidInputException", f"Identity Center instance {arn} does not exist")
    if catalog_id in configurations(lf):
        raise Rejected("AlreadyExistsException", f"Catalog {catalog_id} has an Identity Center configuration")
    configurations(lf)[catalog_id] = {
        "CatalogId": catalog_id,
        "InstanceArn": arn,
        "ApplicationArn": f"arn:aws:sso::{owner[0]}:application/{arn.rsplit('/', 1)[1]}/apl-{catalog_id}",
        "ShareRecipients": self._get_param("ShareRecipients") or [],
    }
    return "{}"


def _describe(self: LakeFormationResponse) -> str:
    catalog_id = self._get_param("CatalogId") or self.current_account
    found = configurations(self.lakeformation_backend).get(catalog_id)
    if found is None:
        raise Rejected("EntityNotFoundException", f"Catalog {catalog_id} has no Identity Center configuration")
    return json.dumps(found)


def _update(self: LakeFormationResponse) -> str:
    catalog_id = self._get_param("CatalogId") or self.current_account
    found = configurations(self.lakeformation_backend).get(catalog_id)
    if found is None:
        raise Rejected("EntityNotFoundException", f"Catalog {catalog_id} has no Identity Center configuration")
    recipients = self._get_param("ShareRecipients")
    if recipients is not None:
        found["ShareRecipients"] = recipients
    return "{}"


def install() -> None:
    if getattr(IdentityStoreBackend.create_group, "_localaws", False):
        return
    make_instance = ssoadmin.Instance.__init__
    create_group, create_user = IdentityStoreBackend.create_group, IdentityStoreBackend.create_user

    def instance(self: Any, account_id: str, region: str) -> None:
        make_instance(self, account_id, region)
        self.instance_arn, self.identity_store_id = instance_of(account_id, region)

    def group(self: IdentityStoreBackend, identity_store_id: str, display_name: str, description: str) -> Any:
        made, store = create_group(self, identity_store_id, display_name, description)
        groups = self.identity_stores[store].groups
        wanted = entity_id(store, display_name)
        groups[wanted] = groups.pop(made)._replace(GroupId=wanted)
        return wanted, store

    def user(self: IdentityStoreBackend, identity_store_id: str, user_name: str, *args: Any, **kwargs: Any) -> Any:
        made, store = create_user(self, identity_store_id, user_name, *args, **kwargs)
        users = self.identity_stores[store].users
        wanted = entity_id(store, user_name)
        users[wanted] = users.pop(made)._replace(UserId=wanted)
        return wanted, store

    group._localaws = True  # type: ignore[attr-defined]
    ssoadmin.Instance.__init__ = instance
    IdentityStoreBackend.create_group = group
    IdentityStoreBackend.create_user = user
    for operation in ("Create", "Describe", "Update"):  # routed as moto routes Lake Formation's other operations
        urls.url_paths["{0}/" + operation + "LakeFormationIdentityCenterConfiguration$"] = urls.response.dispatch
    LakeFormationResponse.create_lake_formation_identity_center_configuration = _create
    LakeFormationResponse.describe_lake_formation_identity_center_configuration = _describe
    LakeFormationResponse.update_lake_formation_identity_center_configuration = _update
