"""What the accounts say about each product: the freshness of its data and its Glue Data Quality evaluations.

Freshness is the age of the newest object under the product's prefix in the producer's bucket (the Glue
table's update time tracks metadata changes, not data), against the contract's staleness SLA (its
``latency``). Quality is read per ruleset of the product's tables in the governance catalog:
``ListDataQualityResults`` filtered by the ruleset's table, then ``BatchGetDataQualityResult`` newest first
until ``evaluations`` results of the ruleset are found: the newest is the last evaluation (score, the rules
that did not pass, when), all of them the trend.

Only an API's documented not-found answer means absent: a bucket S3 answers ``NoSuchBucket`` for is
"no bucket", a result listed and then in ``ResultsNotFound`` is skipped. Any other failure makes that part
of the product's record "cannot read", with the one line :func:`datamesh.aws.sessions.explain` gives.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from datamesh.aws import sessions as aws
from datamesh.aws.answers import NotFound
from datamesh.blueprint import Database, blueprint
from datamesh.config import DomainConfig, Mesh, Product
from datamesh.names import naming

MAX_WORKERS = 8
BATCH = 100  # BatchGetDataQualityResult takes at most 100 result ids
CANNOT_READ = "cannot read"


def sla_of(product: Product) -> tuple[str | None, timedelta | None]:
    """The contract's staleness SLA as written (``latency=1d``) and as a duration, if the unit is known."""
    contract = product.data_contract
    if contract is None or contract.staleness is None:
        return None, None
    return contract.staleness.text, contract.staleness.duration


def _hours(duration: timedelta) -> float:
    return round(duration.total_seconds() / 3600, 1)


def freshness(
    mesh: Mesh, domain: DomainConfig, product: Product, s3: Callable[[], Any], now: datetime
) -> dict[str, Any]:
    """The product's newest object against its SLA; ``cannot read`` with the failure's line as ``error`` when S3
    could not be read.

    :param s3: gives the producer account's S3 client (making it may fail too).
    """
    cfg = mesh.config
    bucket = naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region)
    sla_text, sla = sla_of(product)
    found: dict[str, Any] = {
        "location": f"s3://{bucket}/{product.name}/",
        "newest_object": None,
        "age_hours": None,
        "sla": sla_text,
        "sla_hours": _hours(sla) if sla is not None else None,
    }
    try:
        newest = max(
            (
                o["LastModified"]
                for o in aws.items(s3(), "list_objects_v2", "Contents", Bucket=bucket, Prefix=f"{product.name}/")
            ),
            default=None,
        )
    except NotFound:
        return {**found, "status": "no bucket"}
    except aws.AWS_FAILURES as exc:
        return {**found, "status": CANNOT_READ, "error": aws.explain(exc, f"account {domain.account} ({domain.name})")}
    age = now - newest if newest else None
    if newest is None:
        status = "no data"
    elif sla_text is None:
        status = "no SLA"
    elif sla is None:
        status = "SLA unit unknown"
    else:
        status = "fresh" if age <= sla else "stale"
    return {
        **found,
        "newest_object": newest.isoformat() if newest else None,
        "age_hours": _hours(age) if age is not None else None,
        "status": status,
    }


def _evaluation(result: dict[str, Any]) -> dict[str, Any]:
    rules = result.get("RuleResults", [])
    return {
        "result_id": result["ResultId"],
        "score": result.get("Score"),
        "rules": len(rules),
        "rules_passed": sum(1 for r in rules if r.get("Result") == "PASS"),
        # FAIL and ERROR (a rule that could not be evaluated) both keep the data from passing
        "failed_rules": [
            {"name": r.get("Name", ""), "result": r.get("Result", "")} for r in rules if r.get("Result") != "PASS"
        ],
        "started": result["StartedOn"].isoformat(),
        "completed": result["CompletedOn"].isoformat() if result.get("CompletedOn") else None,
    }


def evaluations(glue: Any, catalog: str, database: str, table: str, ruleset: str, count: int) -> list[dict[str, Any]]:
    """The ``count`` newest results of ``ruleset`` on the table, newest first."""
    source = {"GlueTable": {"DatabaseName": database, "TableName": table, "CatalogId": catalog}}
    listed = sorted(
        aws.items(glue, "list_data_quality_results", "Results", Filter={"DataSource": source}),
        key=lambda r: r["StartedOn"],
        reverse=True,
    )
    found: list[dict[str, Any]] = []
    for start in range(0, len(listed), BATCH):
        ids = [r["ResultId"] for r in listed[start : start + BATCH]]
        # ids in ResultsNotFound (results Glue no longer holds) are the API's not-found answer: skipped
        got = {r["ResultId"]: r for r in glue.batch_get_data_quality_result(ResultIds=ids).get("Results", [])}
        found += [got[i] for i in ids if i in got and got[i].get("RulesetName") == ruleset]
        if len(found) >= count:
            break
    return sorted(found[:count], key=lambda r: r["StartedOn"], reverse=True)


def quality(mesh: Mesh, database: Database, glue: Callable[[], Any], count: int) -> list[dict[str, Any]]:
    """One entry per ruleset of the product's tables: the last evaluation and the trend, oldest first; an entry
    whose results could not be read has status ``cannot read`` and the failure's line as ``error``.

    :param glue: gives the governance account's Glue client (making it may fail too).
    """
    catalog = mesh.config.governance_account
    found = []
    for table in database.tables:
        if table.quality is None:
            continue
        entry: dict[str, Any] = {"table": table.name, "ruleset": table.quality.name}
        try:
            results = evaluations(glue(), catalog, database.name, table.name, table.quality.name, count)
        except aws.AWS_FAILURES as exc:
            found.append({**entry, "status": CANNOT_READ, "error": aws.explain(exc, f"governance account {catalog}")})
            continue
        found.append(
            {
                **entry,
                "status": "evaluated" if results else "no result",
                "last": _evaluation(results[0]) if results else None,
                "trend": [{"started": r["StartedOn"].isoformat(), "score": r.get("Score")} for r in reversed(results)],
            }
        )
    return found


def read(mesh: Mesh, settings: aws.Settings, now: datetime, count: int) -> dict[str, Any]:
    """One record per product, producers' buckets read concurrently; ``unreadable``: one line per failure,
    each once. A part that could not be read has status ``cannot read`` and the failure's line as ``error``."""
    accounts = aws.Accounts(settings)
    gov = mesh.config.governance_account
    plan = blueprint(mesh)

    def product_record(domain: DomainConfig, product: Product) -> dict[str, Any]:
        fresh = freshness(mesh, domain, product, lambda: accounts.client(domain.account, domain.name, "s3"), now)
        database = next(db for db in plan.databases_of(domain.name) if db.product == product.name)
        checked = quality(mesh, database, lambda: accounts.client(gov, "governance", "glue"), count)
        return {"product": f"{domain.name}.{product.name}", "freshness": fresh, "quality": checked}

    pairs = [(d, p) for d in mesh.producers for p in d.products]
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        records = list(pool.map(lambda pair: product_record(*pair), pairs))
    unreadable = [
        part["error"] for r in records for part in (r["freshness"], *r["quality"]) if part["status"] == CANNOT_READ
    ]
    return {"checked_at": now.isoformat(), "products": records, "unreadable": list(dict.fromkeys(unreadable))}
