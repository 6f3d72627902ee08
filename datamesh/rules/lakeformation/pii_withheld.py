"""Rule: SELECT granted to anyone but the producer leaves out the pii columns of the product's tables."""

from __future__ import annotations

from typing import Any

from datamesh.lakeformation.resources import Resource as LakeFormationResource
from datamesh.names import naming
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext
from datamesh.rules.glue.names import database_name, table_name


class PiiWithheld(ResourceRule):
    id = "DataMesh::PiiWithheld"
    applies_to = ("AWS::LakeFormation::PrincipalPermissions",)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        properties = resource.properties
        if "SELECT" not in (properties.get("Permissions") or []):
            return []
        granted = properties.get("Resource") or {}
        target = granted.get("TableWithColumns") or granted.get("Table") or {}
        owner = context.product_of_database(database_name(resource, target.get("DatabaseName")) or "")
        if owner is None:
            return []
        producer, product = owner
        principal = (properties.get("Principal") or {}).get("DataLakePrincipalIdentifier")
        tables = product.tables
        if "Name" in target:
            tables = tuple(t for t in tables if t.name == table_name(resource, target["Name"]))
        pii = list(dict.fromkeys(c for t in tables for c in t.pii_columns_and_partition_keys))
        if not pii or principal in _may_read_pii(context, producer):
            return []
        exposed = _granted(granted).exposed(pii)
        if exposed:
            return [f"grants SELECT on pii columns {', '.join(exposed)} of {producer}.{product.name}"]
        return []


def _may_read_pii(context: RuleContext, producer: str) -> tuple[str, ...]:
    """The producer's own account, and the platform's quality role for the producer's products: quality rules
    cover pii columns too, and the role only evaluates them (docs/governance.md, "Quality and freshness operated")."""
    cfg = context.mesh.config
    return (
        context.mesh.domain(producer).account,
        naming.role_arn(cfg.governance_account, naming.quality_role(cfg.name, producer)),
    )


def _granted(granted: dict[str, Any]) -> LakeFormationResource:
    """The columns a template's grant reaches (its names may be tokens: only the columns matter here)."""
    columns = granted.get("TableWithColumns")
    if columns is None:
        return LakeFormationResource("", "*")  # the whole table, or every table of the database
    if "ColumnNames" in columns:
        return LakeFormationResource("", "*", only_columns=tuple(columns["ColumnNames"]))
    excluded = (columns.get("ColumnWildcard") or {}).get("ExcludedColumnNames") or []
    return LakeFormationResource("", "*", tuple(excluded))
