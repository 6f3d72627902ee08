"""What the accounts say about each product: freshness of its data and its newest Glue Data Quality result.

Freshness is the age of the newest object under the product's prefix in the producer's
bucket (the Glue table's update time tracks metadata changes, not data), against the
contract's freshness SLA. Quality is the newest result Glue Data Quality holds for the
product's table in the governance catalog (``ListDataQualityResults`` filtered by table,
then ``BatchGetDataQualityResult``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from datamesh.aws import sessions as aws
from datamesh.config import DomainConfig, Mesh, Product
from datamesh.names import naming

MAX_WORKERS = 8


def sla_of(product: Product) -> tuple[str | None, timedelta | None]:
    """The contract's staleness SLA as written (``latency=1d``) and as a duration, if the unit is known."""
    contract = product.data_contract
    if contract is None or contract.staleness is None:
        return None, None
    return contract.staleness.text, contract.staleness.duration


def freshness(mesh: Mesh, domain: DomainConfig, product: Product, s3: Any, now: datetime) -> dict[str, Any]:
    cfg = mesh.config
    bucket = naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region)
    newest = max(
        (
            o["LastModified"]
            for o in aws.items(s3, "list_objects_v2", "Contents", Bucket=bucket, Prefix=f"{product.name}/")
        ),
        default=None,
    )
    sla_text, sla = sla_of(product)
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
        "location": f"s3://{bucket}/{product.name}/",
        "newest_object": newest.isoformat() if newest else None,
        "age_hours": round(age.total_seconds() / 3600, 1) if age is not None else None,
        "sla": sla_text,
        "status": status,
    }


def quality(mesh: Mesh, domain: DomainConfig, product: Product, glue: Any) -> dict[str, Any] | None:
    catalog = mesh.config.governance_account
    table = {
        "GlueTable": {
            "DatabaseName": naming.database(domain.name, product.name),
            "TableName": product.name,
            "CatalogId": catalog,
        }
    }
    listed = list(aws.items(glue, "list_data_quality_results", "Results", Filter={"DataSource": table}))
    if not listed:
        return None
    newest = max(listed, key=lambda r: r["StartedOn"])
    result = glue.batch_get_data_quality_result(ResultIds=[newest["ResultId"]])["Results"][0]
    rules = result.get("RuleResults", [])
    return {
        "result_id": result["ResultId"],
        "ruleset": result.get("RulesetName"),
        "score": result.get("Score"),
        "rules": len(rules),
        "rules_passed": sum(1 for r in rules if r.get("Result") == "PASS"),
        "rules_failed": sum(1 for r in rules if r.get("Result") == "FAIL"),
        "started": result["StartedOn"].isoformat(),
        "results_listed": len(listed),
    }


class Unreadable(Exception):
    """An AWS call about one product failed: ``where`` names the product and the account."""

    def __init__(self, where: str, cause: Exception):
        super().__init__(where)
        self.where, self.cause = where, cause


def read(mesh: Mesh, settings: aws.Settings, now: datetime) -> dict[str, Any]:
    """One record per product; producers' buckets are read concurrently.

    :raises Unreadable: the first product whose bucket or quality results could not be read.
    """
    accounts = aws.Accounts(settings)
    gov = mesh.config.governance_account
    glue = accounts.client(gov, "governance", "glue")

    def product_record(domain: DomainConfig, product: Product) -> dict[str, Any]:
        ref = f"{domain.name}.{product.name}"
        try:
            fresh = freshness(mesh, domain, product, accounts.client(domain.account, domain.name, "s3"), now)
        except aws.AWS_FAILURES as exc:
            raise Unreadable(f"{ref}: data in account {domain.account} ({domain.name})", exc) from exc
        try:
            checked = quality(mesh, domain, product, glue)
        except aws.AWS_FAILURES as exc:
            raise Unreadable(f"{ref}: quality results in governance account {gov}", exc) from exc
        return {"product": ref, "freshness": fresh, "quality": checked}

    pairs = [(d, p) for d in mesh.producers for p in d.products]
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        records = list(pool.map(lambda pair: product_record(*pair), pairs))
    return {"checked_at": now.isoformat(), "products": records}
