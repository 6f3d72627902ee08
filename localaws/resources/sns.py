"""SNS: ``AWS::SNS::Subscription`` and ``AWS::SNS::TopicPolicy`` on moto's backend, and e-mail
subscriptions pending until confirmed, as SNS lists them (``SubscriptionArn: PendingConfirmation``)."""

from __future__ import annotations

import json
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.sns.models import SNSBackend, sns_backends

from localaws.resources.model import LocalResource

PENDING = "PendingConfirmation"
# SNS sends a confirmation message to these endpoints; the subscription waits for the owner's answer.
CONFIRMED_BY_OWNER = ("email", "email-json", "http", "https")


def _backend(account: str, region: str) -> SNSBackend:
    return sns_backends[account][region]


class Subscription(LocalResource, CloudFormationModel):
    """``AWS::SNS::Subscription``: ``Ref`` is the subscription's ARN; an e-mail one stays pending (nobody
    confirms on the local AWS), so SNS lists it with ``SubscriptionArn`` ``PendingConfirmation``."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::Subscription"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Subscription:
        made = cls(account_id, region, properties)
        created = _backend(account_id, region).subscribe(
            properties["TopicArn"], properties["Endpoint"], properties["Protocol"]
        )
        if properties["Protocol"] in CONFIRMED_BY_OWNER:
            created.subscription_arn = PENDING  # what ListSubscriptionsByTopic shows in its place
            created.attributes["PendingConfirmation"] = "true"
        made.physical_id = created.arn
        return made

    def delete(self, account_id: str, region_name: str) -> None:
        backend = _backend(account_id, region_name)
        if self.physical_id in backend.subscriptions:
            backend.unsubscribe(self.physical_id)


class TopicPolicy(LocalResource, CloudFormationModel):
    """``AWS::SNS::TopicPolicy``: sets the ``Policy`` attribute of each topic it names."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> TopicPolicy:
        made = cls(account_id, region, properties)
        made.physical_id = f"{properties['Topics'][0]}-policy"
        made.update(properties)
        return made

    def update(self, properties: dict[str, Any]) -> None:
        for topic in properties["Topics"]:
            _backend(self.account_id, self.region).set_topic_attribute(
                topic, "Policy", json.dumps(properties["PolicyDocument"])
            )

    def delete(self, account_id: str, region_name: str) -> None:
        return None  # the topic keeps its default policy's place; SNS has no policy to delete apart
