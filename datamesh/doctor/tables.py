"""Doctor's checks of what the Catalog stacks add to a product's tables: parameters, quality rulesets, the producer's grants."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from datamesh.blueprint import Grant, Resource
from datamesh.aws.answers import NotFound
from datamesh.doctor.findings import Finding, Status


def check_table_parameters(domain: str, product: str, resource: str, table: dict[str, Any],
                           wanted: dict[str, str]) -> Finding:
    """The table (as ``get_tables`` returns it) carries each of ``wanted``'s parameters with its value
    (Athena partition projection, the contract's id and version); other parameters are not judged."""
    found = table.get("Parameters", {})
    wrong = [f"{key}={found[key]!r}, expected {value!r}" if key in found else f"no {key} (expected {value!r})"
             for key, value in sorted(wanted.items()) if found.get(key) != value]
    if wrong:
        return Finding(domain, product, "table-parameters", resource, Status.DIFFERENT, "; ".join(wrong))
    return Finding(domain, product, "table-parameters", resource, Status.OK)


def check_ruleset(glue: Any, domain: str, product: str, name: str, database: str, table: str, rules: str) -> Finding:
    """The Glue Data Quality ruleset ``name`` targets ``database.table`` with exactly ``rules`` (DQDL)."""
    try:
        found = glue.get_data_quality_ruleset(Name=name)
    except NotFound:
        return Finding(domain, product, "quality-ruleset", name, Status.MISSING, f"expected on {database}.{table}")
    target = found.get("TargetTable", {})
    problems = []
    if (target.get("DatabaseName"), target.get("TableName")) != (database, table):
        problems.append(f"targets {target.get('DatabaseName')}.{target.get('TableName')}, expected {database}.{table}")
    if found.get("Ruleset") != rules:
        problems.append("its rules differ from the contract's")
    if problems:
        return Finding(domain, product, "quality-ruleset", name, Status.DIFFERENT, "; ".join(problems))
    return Finding(domain, product, "quality-ruleset", name, Status.OK)


def check_producer_grants(listing: Iterable[dict[str, Any]], wanted: Iterable[Grant]) -> list[Finding]:
    """Each producer grant (the producer account manages its database and every table in it) is held with
    its grant option; ``listing`` is the governance catalog's ``list_permissions``. Grants beyond them are
    not judged here: a producer may pass its permissions on."""
    held: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    for entry in listing:
        resource = Resource.from_api(entry.get("Resource", {}))
        if resource is not None:
            principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier", "")
            held[principal, resource] |= set(entry.get("PermissionsWithGrantOption", []))
    findings = []
    for grant in wanted:
        domain = grant.product.split(".")[0]
        subject = f"{domain} ({grant.principal}) on " + (
            f"every table of {grant.resource.database}" if grant.resource.table == "*" else str(grant.resource))
        missing = [p for p in grant.grantable if p not in held[grant.principal, grant.resource]]
        product = grant.product.split(".", 1)[1]
        findings.append(Finding(domain, product, "producer-grant", subject, Status.DIFFERENT,
                                f"missing with grant option: {', '.join(missing)}") if missing else
                        Finding(domain, product, "producer-grant", subject, Status.OK))
    return findings
