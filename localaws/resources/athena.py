"""Athena: workgroups, and ``GetWorkGroup``'s answer for a workgroup that does not exist."""

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


def install() -> None:
    AthenaResponse.get_work_group = _get_work_group  # type: ignore[method-assign]
