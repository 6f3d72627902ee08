"""EventBridge Scheduler: ``AWS::Scheduler::Schedule`` on moto's scheduler backend (no schedule ever fires)."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.scheduler.exceptions import ScheduleNotFound
from moto.scheduler.models import EventBridgeSchedulerBackend, scheduler_backends

from localaws.resources.model import LocalResource


def _backend(account: str, region: str) -> EventBridgeSchedulerBackend:
    return scheduler_backends[account][region]


def _target(properties: dict[str, Any]) -> dict[str, Any]:
    """The target as the API takes it (CloudFormation and the API spell its keys alike)."""
    return dict(properties["Target"])


class Schedule(LocalResource, CloudFormationModel):
    """``AWS::Scheduler::Schedule``: ``Ref`` is the name, as CloudFormation gives it."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Scheduler::Schedule"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Schedule:
        schedule = cls(account_id, region, properties)
        schedule.physical_id = properties["Name"]
        schedule._put(properties)
        return schedule

    def _put(self, properties: dict[str, Any]) -> None:
        _backend(self.account_id, self.region).create_schedule(
            description=properties.get("Description", ""),
            end_date=properties.get("EndDate"),
            flexible_time_window=properties["FlexibleTimeWindow"],
            group_name=properties.get("GroupName", "default"),
            kms_key_arn=properties.get("KmsKeyArn"),
            name=self.physical_id,
            schedule_expression=properties["ScheduleExpression"],
            schedule_expression_timezone=properties.get("ScheduleExpressionTimezone"),
            start_date=properties.get("StartDate"),
            state=properties.get("State", "ENABLED"),
            target=_target(properties),
            action_after_completion=None,
        )

    def update(self, properties: dict[str, Any]) -> None:
        self.delete(self.account_id, self.region)
        self._put(properties)

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        group = self.properties.get("GroupName", "default")
        try:
            backend.delete_schedule(group, self.physical_id)
        except ScheduleNotFound:
            pass  # deleted outside CloudFormation: nothing left to delete
