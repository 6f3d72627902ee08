"""Quality and freshness operated: per producing domain its alerts topic, per product its schedules and alarm.

Everything lives in the governance account, where the rulesets, the catalog and the Glue
Data Quality results are, except the producer's forwarding of its bucket's new objects
(docs/governance.md, "Quality and freshness operated").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from datamesh.blueprint.lake import data_locations, databases
from datamesh.blueprint.specs import Grant, Resource
from datamesh.config import DomainConfig, Mesh
from datamesh.names import naming

DEFAULT_CADENCE = timedelta(days=1)  # a contract with rules but no frequency or latency: once a day
QUALITY_PERMISSIONS = ("DESCRIBE", "SELECT")
# Glue Data Quality's G.1X workers per run (the API's default is 5) and the run's limit in minutes.
WORKERS = 2
TIMEOUT_MINUTES = 60


@dataclass(frozen=True)
class Evaluation:
    """An EventBridge Scheduler schedule that starts one ruleset's evaluation on its table; a partitioned table
    also has a Glue crawler registering its partitions, and a schedule starting it at the same cadence."""

    schedule: str
    expression: str
    ruleset: str
    database: str
    table: str
    crawler: str = ""
    crawl_schedule: str = ""


@dataclass(frozen=True)
class Watch:
    """What watches one product: its evaluations and, with a staleness SLA, its freshness rule and alarm."""

    domain: str
    product: str
    database: str
    prefix: str  # object keys of the product's data start with it
    evaluations: tuple[Evaluation, ...]
    rule: str | None = None
    alarm: str | None = None
    stale_after: int | None = None  # seconds


@dataclass(frozen=True)
class Alerts:
    """A producing domain's monitoring: its topic, subscribers, roles and rules, and its products' watches."""

    domain: str
    account: str  # the producer's
    bucket: str
    topic: str
    emails: tuple[str, ...]
    quality_role: str
    partitions_role: str
    results_rule: str
    landing_rule: str
    landing_role: str
    watches: tuple[Watch, ...]

    @property
    def rulesets(self) -> tuple[str, ...]:
        return tuple(e.ruleset for w in self.watches for e in w.evaluations)

    @property
    def crawled(self) -> tuple[Evaluation, ...]:
        """The evaluations of partitioned tables, whose partitions a crawler registers."""
        return tuple(e for w in self.watches for e in w.evaluations if e.crawler)


def rate(every: timedelta) -> str:
    """EventBridge Scheduler's ``rate(value unit)`` for ``every``, in whole minutes at least."""
    minutes = max(1, math.ceil(every.total_seconds() / 60))
    for unit, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            value = minutes // size
            return f"rate({value} {unit}{'s' if value > 1 else ''})"
    raise AssertionError("unreachable: every number of minutes is a multiple of 1")


def alarm_period(stale_after: timedelta) -> int:
    """The alarm's one period in seconds: the threshold rounded up to a whole minute (CloudWatch's periods)."""
    return max(60, math.ceil(stale_after.total_seconds() / 60) * 60)


def alerts(mesh: Mesh, domain: DomainConfig) -> Alerts | None:
    """The monitoring of ``domain``'s products whose files leave it on; None when none has anything to watch."""
    cfg = mesh.config
    watches = []
    for database in databases(mesh, domain.name):
        product = mesh.product(domain.name, database.product)
        contract = product.data_contract
        if not product.monitoring or contract is None:
            continue
        cadence = (contract.cadence.duration if contract.cadence else None) or DEFAULT_CADENCE
        evaluations = tuple(
            Evaluation(
                naming.quality_schedule(cfg.name, t.quality.name),
                rate(cadence),
                t.quality.name,
                database.name,
                t.name,
                naming.partition_crawler(cfg.name, t.quality.name) if t.partition_keys else "",
                naming.crawl_schedule(cfg.name, t.quality.name) if t.partition_keys else "",
            )
            for t in database.tables
            if t.quality is not None
        )
        stale = contract.staleness.duration if contract.staleness else None
        watch = Watch(domain.name, product.name, database.name, f"{product.name}/", evaluations)
        if stale is not None:
            watch = Watch(
                domain.name,
                product.name,
                database.name,
                f"{product.name}/",
                evaluations,
                naming.freshness_rule(cfg.name, domain.name, product.name),
                naming.freshness_alarm(cfg.name, domain.name, product.name),
                alarm_period(stale),
            )
        if watch.evaluations or watch.alarm:
            watches.append(watch)
    if not watches:
        return None
    emails = tuple(dict.fromkeys(e for e in (domain.owner.email, cfg.monitoring.platform_email) if e))
    return Alerts(
        domain.name,
        domain.account,
        naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region),
        naming.alerts_topic(cfg.name, domain.name),
        emails,
        naming.quality_role(cfg.name, domain.name),
        naming.partitions_role(cfg.name, domain.name),
        naming.quality_results_rule(cfg.name, domain.name),
        naming.landing_rule(cfg.name, domain.name),
        naming.landing_role(cfg.name, domain.name),
        tuple(watches),
    )


def every_alerts(mesh: Mesh) -> list[Alerts]:
    return [a for d in mesh.producers if (a := alerts(mesh, d)) is not None]


def quality_grants(mesh: Mesh, watch: Watch) -> list[Grant]:
    """DESCRIBE on the product's database, DESCRIBE and SELECT on each evaluated table, to the domain's quality
    role: the rules may read every column, pii included (the PiiWithheld exception, docs/governance.md)."""
    catalog = mesh.config.governance_account
    role = naming.role_arn(catalog, naming.quality_role(mesh.config.name, watch.domain))
    reference = f"{watch.domain}.{watch.product}"
    tables = list(dict.fromkeys(e.table for e in watch.evaluations))
    if not tables:
        return []
    return [
        Grant("", reference, role, Resource(watch.database, catalog=catalog), ("DESCRIBE",), (), catalog),
        *(
            Grant("", reference, role, Resource(watch.database, t, catalog=catalog), QUALITY_PERMISSIONS, (), catalog)
            for t in tables
        ),
    ]


PARTITION_PERMISSIONS = ("ALTER", "DESCRIBE")


def partition_grants(mesh: Mesh, watch: Watch) -> list[Grant]:
    """DESCRIBE on the product's database, ALTER and DESCRIBE on each crawled table, to the domain's partitions
    role: with :func:`location_grant`, what a crawler with Lake Formation credentials needs to add partitions to
    an existing table (docs/governance.md, "Glue Data Quality and partitions"). No SELECT: the crawler reads the
    files with the location's credentials, not the table's."""
    crawled = list(dict.fromkeys(e.table for e in watch.evaluations if e.crawler))
    if not crawled:
        return []
    catalog = mesh.config.governance_account
    role = naming.role_arn(catalog, naming.partitions_role(mesh.config.name, watch.domain))
    reference = f"{watch.domain}.{watch.product}"
    return [
        Grant("", reference, role, Resource(watch.database, catalog=catalog), ("DESCRIBE",), (), catalog),
        *(
            Grant("", reference, role, Resource(watch.database, t, catalog=catalog), PARTITION_PERMISSIONS, (), catalog)
            for t in crawled
        ),
    ]


def location_grant(mesh: Mesh, alerts: Alerts) -> Grant | None:
    """DATA_LOCATION_ACCESS on the producer's registered location to the domain's partitions role, once per
    domain (one Lake Formation identity); None when no table of the domain is crawled."""
    if not alerts.crawled:
        return None
    catalog = mesh.config.governance_account
    role = naming.role_arn(catalog, alerts.partitions_role)
    location = Resource.data_location(data_locations(mesh)[alerts.domain], catalog)
    return Grant("", alerts.domain, role, location, ("DATA_LOCATION_ACCESS",), (), catalog)
