"""Athena: workgroups, ``GetWorkGroup``'s answer for a workgroup that does not exist, and ``CreateWorkGroup``'s
refusal of an IAM Identity Center enabled workgroup without an execution role (Athena API reference,
``WorkGroupConfiguration.ExecutionRole``: required for Identity Center enabled workgroups). moto stores the rest of
the configuration, ``IdentityCenterConfiguration`` included, and ``GetWorkGroup`` returns it as given."""

from __future__ import annotations

import copy
import json
from typing import Any

from moto.athena.responses import AthenaResponse
from moto.core.common_models import CloudFormationModel
from moto.core.exceptions import JsonRESTError

from localaws.resources import backends
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource


class WorkGroup(LocalResource, CloudFormationModel):
    """``AWS::Athena::WorkGroup`` with its configuration, state and tags."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Athena::WorkGroup"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> WorkGroup:
        name = properties["Name"]
        if name in backends.athena(account_id, region).work_groups:
            raise Rejected("InvalidRequestException", f"WorkGroup {name} is already created")
        workgroup = cls(account_id, region, properties)
        workgroup.physical_id = name
        workgroup._put(properties)
        return workgroup

    def update(self, properties: dict[str, Any]) -> None:
        self.delete(self.account_id, self.region)
        self._put(properties)

    def _put(self, properties: dict[str, Any]) -> None:
        athena = backends.athena(self.account_id, self.region)
        created = athena.create_work_group(
            name=self.physical_id,
            configuration=copy.deepcopy(properties.get("WorkGroupConfiguration", {})),
            description=properties.get("Description", ""),
            tags=properties.get("Tags", []),
        )
        created.state = properties.get("State", "ENABLED")

    def delete(self, account_id: str, region_name: str) -> None:
        athena = backends.athena(account_id, region_name)
        if self.physical_id in athena.work_groups:
            athena.tagger.delete_all_tags_for_resource(athena.work_groups[self.physical_id].arn)
            athena.delete_work_group(self.physical_id)


def _get_work_group(self: AthenaResponse) -> str:
    """``GetWorkGroup``; a name the account does not have is refused as Athena refuses it, where moto
    answers 200 with ``"WorkGroup": null``."""
    name = self._get_param("WorkGroup")
    found = self.athena_backend.get_work_group(name)
    if found is None:
        raise JsonRESTError("InvalidRequestException", f"WorkGroup {name} is not found.")
    return json.dumps({"WorkGroup": found})


_moto_create_work_group = AthenaResponse.create_work_group


def _create_work_group(self: AthenaResponse) -> Any:
    """``CreateWorkGroup``, refusing an Identity Center enabled workgroup that names no execution role."""
    configuration = self._get_param("Configuration") or {}
    identity_center = configuration.get("IdentityCenterConfiguration") or {}
    if identity_center.get("EnableIdentityCenter") and not configuration.get("ExecutionRole"):
        raise JsonRESTError(
            "InvalidRequestException", "ExecutionRole is required for an IAM Identity Center enabled workgroup."
        )
    return _moto_create_work_group(self)


def install() -> None:
    AthenaResponse.get_work_group = _get_work_group  # type: ignore[method-assign]
    AthenaResponse.create_work_group = _create_work_group  # type: ignore[method-assign]
