"""What every local resource model shares: its lifecycle as CloudFormation drives it."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

from localaws.resources import deployer


class LocalResource:
    """Mixin for the local models; list it before ``CloudFormationModel`` in the bases.

    A model implements ``create`` (a classmethod taking the resolved properties),
    ``update`` and ``delete``, and sets ``physical_id``. When ``replaced_by`` says an
    update changes the resource's identity, CloudFormation replaces it instead: creates
    the new one, then deletes the old one. ``deployer`` is who created the resource
    (see :mod:`localaws.resources.deployer`); updates and deletion act as it too.
    """

    replaced_when: tuple[str, ...] = ()

    def __init__(self, account_id: str, region: str, properties: dict[str, Any]) -> None:
        self.account_id = account_id
        self.region = region
        self.properties = properties
        self.physical_id = ""
        self.deployer = deployer.current(account_id)

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        """The mesh's templates read no attribute of these resources (``Ref`` gives the id)."""
        raise UnformattedGetAttTemplateException()

    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> LocalResource:
        with deployer.acting(deployer.of_stack(kwargs.get("StackId"), account_id, region_name, kwargs.get("LogicalId", ""), cloudformation_json)):
            return cls.create(account_id, region_name, cloudformation_json.get("Properties", {}))

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: LocalResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> LocalResource:
        properties = cloudformation_json.get("Properties", {})
        if properties == original_resource.properties:  # e.g. rolling back a replacement that failed
            return original_resource
        acting_as = deployer.of_stack(
            original_resource.deployer.stack_id, account_id, region_name, original_resource.deployer.logical_id, cloudformation_json
        )
        with deployer.acting(acting_as):
            if original_resource.replaced_by(properties):
                replacement = cls.create(account_id, region_name, properties)
                original_resource.delete(account_id, region_name)
                return replacement
            original_resource.update(properties)
        original_resource.properties = properties
        return original_resource

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> LocalResource:
        raise NotImplementedError

    def replaced_by(self, properties: dict[str, Any]) -> bool:
        """True when one of the ``replaced_when`` properties changes."""
        return any(properties.get(p) != self.properties.get(p) for p in self.replaced_when)

    def update(self, properties: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete(self, account_id: str, region_name: str) -> None:
        raise NotImplementedError

