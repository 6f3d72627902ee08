"""Glue Data Quality rulesets: the CloudFormation type and the read APIs moto lacks.

moto 5.2.5 has no data quality rulesets; they are kept per account and region beside
moto's Glue backend, and ``GetDataQualityRuleset`` / ``ListDataQualityRulesets`` read them
back through the ordinary Glue API.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult
from moto.glue.exceptions import EntityNotFoundException
from moto.glue.responses import GlueResponse

from localaws.resources import backends, catalog
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource

_RULESETS: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}


def rulesets(account_id: str, region: str) -> dict[str, dict[str, Any]]:
    backends.glue(account_id, region)  # the account's Glue exists, as on AWS
    return _RULESETS.setdefault((account_id, region), {})


class DataQualityRuleset(LocalResource, CloudFormationModel):
    """``AWS::Glue::DataQualityRuleset``: its target table must exist; names are unique."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::DataQualityRuleset"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataQualityRuleset:
        name = properties["Name"]
        if name in rulesets(account_id, region):
            raise Rejected("AlreadyExistsException", f"Data quality ruleset {name} already exists")
        ruleset = cls(account_id, region, properties)
        ruleset.physical_id = name
        ruleset.update(properties)
        return ruleset

    def update(self, properties: dict[str, Any]) -> None:
        target = properties.get("TargetTable")
        if target:
            catalog_id = target.get("CatalogId", self.account_id)
            catalog.table(catalog_id, target["DatabaseName"], target["TableName"], self.region)
        if not str(properties.get("Ruleset", "")).strip().startswith("Rules"):
            raise Rejected("InvalidInputException", f"Ruleset of {self.physical_id} is not DQDL (Rules = [...])")
        now = datetime.now(timezone.utc).timestamp()
        found = rulesets(self.account_id, self.region)
        created = found.get(self.physical_id, {}).get("CreatedOn", now)
        found[self.physical_id] = {
            "Name": self.physical_id,
            "Description": properties.get("Description", ""),
            "Ruleset": properties["Ruleset"],
            "TargetTable": target or {},
            "CreatedOn": created,
            "LastModifiedOn": now,
        }

    def delete(self, account_id: str, region_name: str) -> None:
        rulesets(account_id, region_name).pop(self.physical_id, None)


def _get_data_quality_ruleset(self: GlueResponse) -> ActionResult:
    name = self.parameters.get("Name")
    found = rulesets(self.current_account, self.region).get(name)
    if found is None:
        raise EntityNotFoundException(f"Data quality ruleset {name} not found")
    return ActionResult(found)


def _list_data_quality_rulesets(self: GlueResponse) -> ActionResult:
    listed = [{k: v for k, v in r.items() if k != "Ruleset"} for r in rulesets(self.current_account, self.region).values()]
    return ActionResult({"Rulesets": listed})


def install() -> None:
    """Serve the read APIs from moto's Glue endpoint."""
    GlueResponse.get_data_quality_ruleset = _get_data_quality_ruleset  # type: ignore[attr-defined]
    GlueResponse.list_data_quality_rulesets = _list_data_quality_rulesets  # type: ignore[attr-defined]
