"""Rule: SELECT granted to anyone but the producer leaves out the product's pii columns."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_lakeformation as lf

from datamesh.policies.resource_rules.glue_names import database_name, pii_columns, table_name
from datamesh.policies.resource_rules.rule import ResourceRule, RuleContext


class PiiWithheld(ResourceRule):
    id = "DataMesh::PiiWithheld"
    applies_to = (lf.CfnPrincipalPermissions,)

    def check(self, node: lf.CfnPrincipalPermissions, context: RuleContext) -> list[str]:
        properties = context.properties(node)
        if "SELECT" not in (properties.get("permissions") or []):
            return []
        resource = properties.get("resource") or {}
        target = resource.get("tableWithColumns") or resource.get("table") or {}
        owner = context.product_of_database(database_name(node, target.get("databaseName"), context) or "")
        if owner is None:
            return []
        producer, product = owner
        principal = (properties.get("principal") or {}).get("dataLakePrincipalIdentifier")
        pii = pii_columns(product)
        if not pii or principal == context.mesh.domain(producer).account:
            return []
        if "name" in target and table_name(node, target["name"], context) != product.name:
            return []
        exposed = self._exposed(resource, pii)
        if exposed:
            return [f"grants SELECT on pii columns {', '.join(exposed)} of {producer}.{product.name}"]
        return []

    @staticmethod
    def _exposed(resource: dict[str, Any], pii: list[str]) -> list[str]:
        columns = resource.get("tableWithColumns")
        if columns is None:
            return pii  # the whole table, or every table of the database
        if "columnNames" in columns:
            return [c for c in pii if c in columns["columnNames"]]
        excluded = (columns.get("columnWildcard") or {}).get("excludedColumnNames") or []
        return [c for c in pii if c not in excluded]
