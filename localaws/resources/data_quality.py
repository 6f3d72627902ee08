"""Glue Data Quality rulesets and results: the CloudFormation type and the APIs moto lacks.

moto 5.2.5 has no data quality rulesets; they are kept per account and region beside
moto's Glue backend, and ``GetDataQualityRuleset`` / ``ListDataQualityRulesets`` read them
back through the ordinary Glue API.

Results arrive through ``PublishDataQualityResultV2``, the operation Glue Data Quality
itself publishes a result with (the API reference marks it internal: on AWS a ruleset
evaluation run or a Glue job calls it). A result names its ruleset, and the ruleset's
target table is the result's ``DataSource``. ``ListDataQualityResults`` (filtered by table
and start time), ``GetDataQualityResult`` and ``BatchGetDataQualityResult`` read them back
in the shapes of the Glue API reference.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult
from moto.glue.exceptions import EntityNotFoundException, InvalidInputException
from moto.glue.responses import GlueResponse

from localaws import name_patterns
from localaws.resources import backends, catalog
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource


def rulesets(account_id: str, region: str) -> dict[str, dict[str, Any]]:
    """Rulesets by name, kept on the account's Glue backend so that a moto reset drops them."""
    return backends.glue(account_id, region).__dict__.setdefault("localaws_data_quality_rulesets", {})


class DataQualityRuleset(LocalResource, CloudFormationModel):
    """``AWS::Glue::DataQualityRuleset``: its target table must exist; names are unique."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::DataQualityRuleset"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> DataQualityRuleset:
        name = properties["Name"]
        name_patterns.require_name(name, "name", "glue", "NameString")  # CreateDataQualityRuleset's Name
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
        now = datetime.now(UTC).timestamp()
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
    listed = [
        {k: v for k, v in r.items() if k != "Ruleset"} for r in rulesets(self.current_account, self.region).values()
    ]
    return ActionResult({"Rulesets": listed})


def results(account_id: str, region: str) -> dict[str, dict[str, Any]]:
    """Published results by id, kept on the account's Glue backend so that a moto reset drops them."""
    return backends.glue(account_id, region).__dict__.setdefault("localaws_data_quality_results", {})


def _publish_data_quality_result_v2(self: GlueResponse) -> ActionResult:
    """Store a result of a ruleset of this account; its table is the ruleset's target table."""
    params = self.parameters
    name = params.get("RulesetName")
    ruleset = rulesets(self.current_account, self.region).get(name or "")
    if ruleset is None:
        raise EntityNotFoundException(f"Data quality ruleset {name} not found")
    score = params["Score"]
    if not 0 <= score <= 1:
        raise InvalidInputException("PublishDataQualityResultV2", "Score must be between 0 and 1")
    target = ruleset["TargetTable"]
    result_id = f"dqresult-{uuid.uuid4().hex}"
    now = datetime.now(UTC).timestamp()
    results(self.current_account, self.region)[result_id] = {
        "ResultId": result_id,
        "Score": score,
        "DataSource": {
            "GlueTable": {
                "DatabaseName": target["DatabaseName"],
                "TableName": target["TableName"],
                "CatalogId": target.get("CatalogId", self.current_account),
            }
        },
        "RulesetName": name,
        "EvaluationContext": params["EvaluationContext"],
        "StartedOn": params.get("ExecutionStartedOn", now),
        "CompletedOn": params.get("ExecutionCompletedOn", now),
        "RuleResults": params["RuleResults"],
        "AnalyzerResults": params.get("AnalyzerResults", []),
        "Observations": params.get("Observations", []),
        **({"AggregatedMetrics": params["AggregatedMetrics"]} if "AggregatedMetrics" in params else {}),
    }
    return ActionResult({"ResultId": result_id})


def _found(self: GlueResponse, result_id: str) -> dict[str, Any]:
    found = results(self.current_account, self.region).get(result_id)
    if found is None:
        raise EntityNotFoundException(f"Data quality result {result_id} not found")
    return found


def _get_data_quality_result(self: GlueResponse) -> ActionResult:
    return ActionResult(_found(self, self.parameters["ResultId"]))


def _batch_get_data_quality_result(self: GlueResponse) -> ActionResult:
    stored = results(self.current_account, self.region)
    wanted = self.parameters["ResultIds"]
    return ActionResult(
        {
            "Results": [stored[i] for i in wanted if i in stored],
            "ResultsNotFound": [i for i in wanted if i not in stored],
        }
    )


def _list_data_quality_results(self: GlueResponse) -> ActionResult:
    """Results newest first, filtered by table (CatalogId defaults to the caller's) and start time."""
    criteria = self.parameters.get("Filter", {})
    table = criteria.get("DataSource", {}).get("GlueTable")
    after, before = criteria.get("StartedAfter"), criteria.get("StartedBefore")
    listed = []
    for result in results(self.current_account, self.region).values():
        source = result["DataSource"]["GlueTable"]
        if table and (table["DatabaseName"], table["TableName"], table.get("CatalogId", self.current_account)) != (
            source["DatabaseName"],
            source["TableName"],
            source["CatalogId"],
        ):
            continue
        if (after is not None and result["StartedOn"] <= after) or (
            before is not None and result["StartedOn"] >= before
        ):
            continue
        listed.append({k: result[k] for k in ("ResultId", "DataSource", "StartedOn")})
    return ActionResult({"Results": sorted(listed, key=lambda r: r["StartedOn"], reverse=True)})


def install() -> None:
    """Serve the ruleset read APIs and the result APIs from moto's Glue endpoint."""
    GlueResponse.get_data_quality_ruleset = _get_data_quality_ruleset  # type: ignore[attr-defined]
    GlueResponse.list_data_quality_rulesets = _list_data_quality_rulesets  # type: ignore[attr-defined]
    GlueResponse.publish_data_quality_result_v2 = _publish_data_quality_result_v2  # type: ignore[attr-defined]
    GlueResponse.get_data_quality_result = _get_data_quality_result  # type: ignore[attr-defined]
    GlueResponse.batch_get_data_quality_result = _batch_get_data_quality_result  # type: ignore[attr-defined]
    GlueResponse.list_data_quality_results = _list_data_quality_results  # type: ignore[attr-defined]
