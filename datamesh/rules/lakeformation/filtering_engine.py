"""Rule: SELECT that withholds columns or rows goes to no principal whose engine does not enforce the filtering.

Lake Formation leaves column, row and cell filtering to the engine that reads ("Working with other AWS
services", AWS Lake Formation Developer Guide); a filtered grant to a principal that reads with an engine
that ignores filters is a grant of the whole table. The principal's engine is read from the consumer's
domain file, by the role ARN the grant names.
"""

from __future__ import annotations

from datamesh.blueprint.lake import principal_arn
from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext


class FilteringEngine(ResourceRule):
    id = "DataMesh::FilteringEngine"
    applies_to = ("AWS::LakeFormation::PrincipalPermissions",)

    def check(self, resource: Resource, context: RuleContext) -> list[str]:
        properties = resource.properties
        granted = properties.get("Resource") or {}
        filtered = "DataCellsFilter" in granted or "TableWithColumns" in granted
        if "SELECT" not in (properties.get("Permissions") or []) or not filtered:
            return []
        principal = (properties.get("Principal") or {}).get("DataLakePrincipalIdentifier")
        if not isinstance(principal, str):
            return []  # a token: the analyst role's ARN attribute; the analyst reads with Athena
        for domain in context.mesh.consumers:
            for reader in domain.readers:
                gap = reader.filtering_gap
                if gap and principal_arn(context.mesh, domain.name, reader) == principal:
                    what = "a data cells filter" if "DataCellsFilter" in granted else "some columns"
                    return [
                        f"grants SELECT on {what} to {domain.name}'s principal {reader.name} ({principal}), "
                        f"whose engine would read the whole table: {gap}"
                    ]
        return []
