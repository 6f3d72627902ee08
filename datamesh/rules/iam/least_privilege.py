"""Rule: IAM policies name their actions and resources.

No Allow statement grants the action ``*`` or uses NotAction/NotResource; identity policies
grant no service wildcard (``s3:*``) and no bare ``*`` resource, except for actions AWS
offers no resource-level scope for (:data:`UNSCOPED_ACTIONS`). In a key policy ``*`` means
the key itself, and ``kms:*`` for the account root is KMS's default delegation to IAM.
"""

from __future__ import annotations

from typing import Any

from datamesh.rules.engine.cfn import KEY, actions, allows, as_list, resources, statements
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.s3.buckets import BUCKET_POLICY

UNSCOPED_ACTIONS = {
    # Lake Formation vends temporary credentials for registered data; it takes no resource.
    "lakeformation:GetDataAccess",
    # Athena lists catalogs, engine versions and workgroups on no resource type (Service Authorization
    # Reference, "Actions, resources, and condition keys for Amazon Athena").
    "athena:ListDataCatalogs",
    "athena:ListEngineVersions",
    "athena:ListWorkGroups",
}


POLICY, MANAGED_POLICY, ROLE = "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"


def identity_documents(resource: Resource) -> list[Any]:
    properties = resource.properties
    if resource.type in (POLICY, MANAGED_POLICY):
        return [properties.get("PolicyDocument")]
    if resource.type == ROLE:
        return [p.get("PolicyDocument") for p in as_list(properties.get("Policies"))]
    return []


def resource_documents(resource: Resource) -> list[Any]:
    if resource.type == BUCKET_POLICY:
        return [resource.properties.get("PolicyDocument")]
    if resource.type == KEY:
        return [resource.properties.get("KeyPolicy")]
    return []


class LeastPrivilege(ResourceRule):
    id = "DataMesh::LeastPrivilege"
    applies_to = (POLICY, MANAGED_POLICY, ROLE, BUCKET_POLICY, KEY)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        reasons = []
        for document in identity_documents(resource):
            for statement in filter(allows, statements(document)):
                reasons += self._common(statement) + self._identity(statement)
        for document in resource_documents(resource):
            for statement in filter(allows, statements(document)):
                reasons += self._common(statement)
        return reasons

    @staticmethod
    def _common(statement: dict[str, Any]) -> list[str]:
        where = f"statement {statement['Sid']!r}" if statement.get("Sid") else "a statement"
        reasons = [f"{where} uses {key}" for key in ("NotAction", "NotResource") if key in statement]
        if "*" in actions(statement):
            reasons.append(f"{where} allows every action ('*')")
        return reasons

    @staticmethod
    def _identity(statement: dict[str, Any]) -> list[str]:
        where = f"statement {statement['Sid']!r}" if statement.get("Sid") else "a statement"
        granted = actions(statement)
        reasons = [f"{where} allows every action of a service ({a})" for a in granted if a.endswith(":*")]
        scoped = [a for a in granted if a not in UNSCOPED_ACTIONS]
        if "*" in resources(statement) and scoped:
            reasons.append(f"{where} allows {', '.join(scoped)} on every resource ('*')")
        return reasons
