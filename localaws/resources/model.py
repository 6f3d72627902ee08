"""What every local resource model shares: its lifecycle as CloudFormation drives it."""

from __future__ import annotations

from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

from localaws.resources import deployer


class LocalResource:
    """Mixin for the local models; list it before ``CloudFormationModel`` in the bases.

    A model implements ``create`` (a classmethod taking the resolved properties),
    ``update`` (in place) and ``delete``, and sets ``physical_id``. Whether a change
    updates the resource in place or replaces it is the engine's decision, from the
    type's create-only properties (:mod:`localaws.stack_operations`); a type whose
    properties are all create-only needs no ``update``. ``deployer`` is who created the
    resource (see :mod:`localaws.resources.deployer`); an update acts as it too.
    """

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
        with deployer.acting(
            deployer.of_stack(
                kwargs.get("StackId"), account_id, region_name, kwargs.get("LogicalId", ""), cloudformation_json
            )
        ):
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
        acting_as = deployer.of_stack(
            original_resource.deployer.stack_id,
            account_id,
            region_name,
            original_resource.deployer.logical_id,
            cloudformation_json,
        )
        with deployer.acting(acting_as):
            original_resource.update(properties)
        original_resource.properties = properties
        return original_resource

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> LocalResource:
        raise NotImplementedError

    def update(self, properties: dict[str, Any]) -> None:
        raise NotImplementedError

    def delete(self, account_id: str, region_name: str) -> None:
        raise NotImplementedError
