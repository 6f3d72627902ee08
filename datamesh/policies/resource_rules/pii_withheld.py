"""Rule: SELECT granted to anyone but the producer leaves out the product's pii columns."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_lakeformation as lf

from datamesh.policies.resource_rules.glue_names import database_name, pii_columns, table_name
from datamesh.policies.resource_rules.rule import Resource, ResourceRule, RuleContext


class PiiWithheld(ResourceRule):
    id = "DataMesh::PiiWithheld"
    applies_to = (lf.CfnPrincipalPermissions,)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        properties = resource.properties
        if "SELECT" not in (properties.get("permissions") or []):
            return []
        granted = properties.get("resource") or {}
        target = granted.get("tableWithColumns") or granted.get("table") or {}
        owner = context.product_of_database(database_name(resource, target.get("databaseName"), context) or "")
        if owner is None:
            return []
        producer, product = owner
        principal = (properties.get("principal") or {}).get("dataLakePrincipalIdentifier")
        pii = pii_columns(product)
        if not pii or principal == context.mesh.domain(producer).account:
            return []
        if "name" in target and table_name(resource, target["name"], context) != product.name:
            return []
        exposed = self._exposed(granted, pii)
        if exposed:
            return [f"grants SELECT on pii columns {', '.join(exposed)} of {producer}.{product.name}"]
        return []

    @staticmethod
    def _exposed(granted: dict[str, Any], pii: list[str]) -> list[str]:
        columns = granted.get("tableWithColumns")
        if columns is None:
            return pii  # the whole table, or every table of the database
        if "columnNames" in columns:
            return [c for c in pii if c in columns["columnNames"]]
        excluded = (columns.get("columnWildcard") or {}).get("excludedColumnNames") or []
        return [c for c in pii if c not in excluded]
