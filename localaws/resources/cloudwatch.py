"""CloudWatch: ``AWS::CloudWatch::Alarm`` on moto's backend (the alarm is stored, never evaluated)."""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.models import CloudWatchBackend, cloudwatch_backends
from moto.core.common_models import CloudFormationModel

from localaws.resources.model import LocalResource


def _backend(account: str, region: str) -> CloudWatchBackend:
    return cloudwatch_backends[account][region]


class Alarm(LocalResource, CloudFormationModel):
    """``AWS::CloudWatch::Alarm`` of one metric: ``Ref`` is the alarm's name."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudWatch::Alarm"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Alarm:
        alarm = cls(account_id, region, properties)
        alarm.physical_id = properties["AlarmName"]
        alarm.update(properties)
        return alarm

    def update(self, properties: dict[str, Any]) -> None:
        _backend(self.account_id, self.region).put_metric_alarm(
            name=self.physical_id,
            namespace=properties["Namespace"],
            metric_name=properties["MetricName"],
            comparison_operator=properties["ComparisonOperator"],
            evaluation_periods=int(properties["EvaluationPeriods"]),
            period=int(properties["Period"]),
            threshold=float(properties["Threshold"]),
            statistic=properties.get("Statistic"),
            description=properties.get("AlarmDescription", ""),
            dimensions=[{"Name": d["Name"], "Value": d["Value"]} for d in properties.get("Dimensions", [])],
            alarm_actions=properties.get("AlarmActions", []),
            ok_actions=properties.get("OKActions", []),
            insufficient_data_actions=properties.get("InsufficientDataActions", []),
            treat_missing_data=properties.get("TreatMissingData"),
            tags=[{"Key": t["Key"], "Value": t["Value"]} for t in properties.get("Tags", [])],
        )

    def delete(self, account_id: str, region_name: str) -> None:
        _backend(account_id, region_name).delete_alarms([self.physical_id])
