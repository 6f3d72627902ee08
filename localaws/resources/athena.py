"""Athena: workgroups."""

from __future__ import annotations

import copy
from typing import Any

from moto.core.common_models import CloudFormationModel

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
