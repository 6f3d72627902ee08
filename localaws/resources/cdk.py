"""``AWS::CDK::Metadata``: the CDK's version-reporting resource, which creates nothing."""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel

from localaws.resources.model import LocalResource


class CdkMetadata(LocalResource, CloudFormationModel):
    """Accepted and kept, as CloudFormation does; it has no effect."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CDK::Metadata"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> CdkMetadata:
        metadata = cls(account_id, region, properties)
        metadata.physical_id = "CDKMetadata"
        return metadata

    def update(self, properties: dict[str, Any]) -> None:
        """Nothing to change."""

    def delete(self, account_id: str, region_name: str) -> None:
        """Nothing to remove."""
