"""Glue crawlers and security configurations: the CloudFormation types, and the rules ``CreateCrawler`` holds.

A crawler that uses Lake Formation credentials may target an existing Data Catalog table only in its own
account, only one catalog target with one table, and only a table whose location is in Amazon S3 (Glue
guide, "Configuring a crawler to use Lake Formation credentials"). The rule is held in the moto backend
method a boto3 ``CreateCrawler`` and the ``AWS::Glue::Crawler`` handler both reach, so both get one answer;
the error code (``InvalidInputException``, ``EntityNotFoundException`` for a missing table) is Glue's for a
request it refuses, the wording is ours.

moto keeps no ``LakeFormationConfiguration``; it is kept beside the crawler and ``GetCrawler`` returns it.
The local AWS runs no crawl: ``StartCrawler`` only marks the crawler running, as moto does, and no partition
is registered.
"""

from __future__ import annotations

from typing import Any

from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult
from moto.glue.models import GlueBackend
from moto.glue.responses import GlueResponse

from localaws import name_patterns
from localaws.resources import backends, catalog
from localaws.resources.errors import Rejected
from localaws.resources.model import LocalResource


def lake_formation_configurations(account_id: str, region: str) -> dict[str, dict[str, Any]]:
    """Each crawler's ``LakeFormationConfiguration``, kept on the account's Glue backend (a moto reset drops it)."""
    return backends.glue(account_id, region).__dict__.setdefault("localaws_crawler_lake_formation", {})


def check_catalog_targets(
    account_id: str, region: str, targets: dict[str, Any], lake_formation: dict[str, Any]
) -> None:
    """A crawler with Lake Formation credentials and catalog targets: one target, one table of this account's
    catalog, located in Amazon S3."""
    found = targets.get("CatalogTargets") or []
    if not found or not lake_formation.get("UseLakeFormationCredentials"):
        return
    if lake_formation.get("AccountId") not in (None, "", account_id):
        raise Rejected(
            "InvalidInputException",
            f"A crawler of account {account_id} with Lake Formation credentials may target a Data Catalog table "
            f"only in its own account, not through account {lake_formation['AccountId']}",
        )
    tables = [t for target in found for t in target.get("Tables", [])]
    if len(found) != 1 or len(tables) != 1:
        raise Rejected(
            "InvalidInputException",
            "A crawler with Lake Formation credentials takes a single catalog target with a single table, "
            f"not {len(found)} target(s) with {len(tables)} table(s)",
        )
    table = catalog.table(account_id, found[0]["DatabaseName"], tables[0], region)
    location = table.as_dict().get("StorageDescriptor", {}).get("Location", "")
    if not location.startswith("s3://"):
        raise Rejected(
            "InvalidInputException",
            f"Table {found[0]['DatabaseName']}.{tables[0]} is not located in Amazon S3 ({location or 'no location'}): "
            "a crawler with Lake Formation credentials crawls only tables located in Amazon S3",
        )


def _create(backend: GlueBackend, properties: dict[str, Any]) -> None:
    """``CreateCrawler`` with ``properties`` in the API's (and CloudFormation's) spelling."""
    lake_formation = properties.get("LakeFormationConfiguration") or {}
    check_catalog_targets(backend.account_id, backend.region_name, properties.get("Targets") or {}, lake_formation)
    security = properties.get("CrawlerSecurityConfiguration")
    if security and security not in backend.security_configurations:
        raise Rejected("EntityNotFoundException", f"Security configuration {security} not found")
    backend.create_crawler(
        name=properties["Name"],
        role=properties["Role"],
        database_name=properties.get("DatabaseName"),  # type: ignore[arg-type]
        description=properties.get("Description"),  # type: ignore[arg-type]
        targets=properties.get("Targets") or {},
        schedule=properties.get("Schedule"),  # type: ignore[arg-type]
        classifiers=properties.get("Classifiers"),  # type: ignore[arg-type]
        table_prefix=properties.get("TablePrefix"),  # type: ignore[arg-type]
        schema_change_policy=properties.get("SchemaChangePolicy"),  # type: ignore[arg-type]
        recrawl_policy=properties.get("RecrawlPolicy"),  # type: ignore[arg-type]
        lineage_configuration=properties.get("LineageConfiguration"),  # type: ignore[arg-type]
        configuration=properties.get("Configuration"),  # type: ignore[arg-type]
        crawler_security_configuration=security,  # type: ignore[arg-type]
        tags=properties.get("Tags") or {},
    )
    if lake_formation:
        lake_formation_configurations(backend.account_id, backend.region_name)[properties["Name"]] = lake_formation


def _schedule_expression(properties: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation nests the schedule (``Schedule.ScheduleExpression``); the API takes the expression."""
    schedule = properties.get("Schedule")
    return {**properties, "Schedule": schedule.get("ScheduleExpression") if isinstance(schedule, dict) else schedule}


class SecurityConfiguration(LocalResource, CloudFormationModel):
    """``AWS::Glue::SecurityConfiguration``; the KMS keys it names are not read (Glue reads them when it runs)."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::SecurityConfiguration"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> SecurityConfiguration:
        name = properties["Name"]
        name_patterns.require_name(name, "name", "glue", "NameString")
        glue = backends.glue(account_id, region)
        if name in glue.security_configurations:
            raise Rejected("AlreadyExistsException", f"Security configuration {name} already exists")
        glue.create_security_configuration(name, properties["EncryptionConfiguration"])
        configuration = cls(account_id, region, properties)
        configuration.physical_id = name
        return configuration

    def delete(self, account_id: str, region_name: str) -> None:
        backends.glue(account_id, region_name).security_configurations.pop(self.physical_id, None)


class Crawler(LocalResource, CloudFormationModel):
    """``AWS::Glue::Crawler``, created through ``CreateCrawler``'s rules; ``Ref`` is its name."""

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Glue::Crawler"

    @classmethod
    def create(cls, account_id: str, region: str, properties: dict[str, Any]) -> Crawler:
        name_patterns.require_name(properties["Name"], "name", "glue", "NameString")
        _create(backends.glue(account_id, region), _schedule_expression(properties))
        crawler = cls(account_id, region, properties)
        crawler.physical_id = properties["Name"]
        return crawler

    def update(self, properties: dict[str, Any]) -> None:
        self.delete(self.account_id, self.region)
        _create(backends.glue(self.account_id, self.region), _schedule_expression(properties))

    def delete(self, account_id: str, region_name: str) -> None:
        backends.glue(account_id, region_name).crawlers.pop(self.physical_id, None)
        lake_formation_configurations(account_id, region_name).pop(self.physical_id, None)


def install() -> None:
    if getattr(GlueResponse.create_crawler, "_localaws_crawler_checks", False):
        return  # installed already: wrap moto's own handlers once
    get = GlueResponse.get_crawler

    def create_crawler(self: GlueResponse) -> ActionResult:
        _create(self.glue_backend, dict(self.parameters))
        return ActionResult({})

    def get_crawler(self: GlueResponse) -> ActionResult:
        found = get(self)
        name = self.parameters.get("Name", "")
        lake_formation = lake_formation_configurations(self.current_account, self.region).get(name)
        if lake_formation:
            found.result["Crawler"]["LakeFormationConfiguration"] = lake_formation  # type: ignore[attr-defined]
        return found

    create_crawler._localaws_crawler_checks = True  # type: ignore[attr-defined]
    GlueResponse.create_crawler = create_crawler  # type: ignore[method-assign]
    GlueResponse.get_crawler = get_crawler  # type: ignore[method-assign]
