"""Doctor's checks of what the Catalog stacks add to a product's tables: parameters, quality rulesets, the producer's grants."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from datamesh.meshctl.drift import Finding, Status


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
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "EntityNotFoundException":
            return Finding(domain, product, "quality-ruleset", name, Status.MISSING, f"expected on {database}.{table}")
        raise
    target = found.get("TargetTable", {})
    problems = []
    if (target.get("DatabaseName"), target.get("TableName")) != (database, table):
        problems.append(f"targets {target.get('DatabaseName')}.{target.get('TableName')}, expected {database}.{table}")
    if found.get("Ruleset") != rules:
        problems.append("its rules differ from the contract's")
    if problems:
        return Finding(domain, product, "quality-ruleset", name, Status.DIFFERENT, "; ".join(problems))
    return Finding(domain, product, "quality-ruleset", name, Status.OK)


def check_producer_grants(listing: Iterable[dict[str, Any]], catalog: str, owner: str, domain: str, product: str,
                          database: str, on_database: tuple[str, ...], on_tables: tuple[str, ...]) -> list[Finding]:
    """The producer account ``owner`` holds ``on_database`` on its database and ``on_tables`` on every
    table of it (the table wildcard), all with grant option; ``listing`` is the catalog's ``list_permissions``."""
    held: dict[str, set[str]] = {"database": set(), "tables": set()}
    for entry in listing:
        if entry.get("Principal", {}).get("DataLakePrincipalIdentifier") != owner:
            continue
        resource = entry.get("Resource", {})
        spec = resource.get("Database") or resource.get("Table") or {}
        if spec.get("CatalogId", catalog) != catalog or database not in (spec.get("Name"), spec.get("DatabaseName")):
            continue
        if "Database" in resource:
            held["database"] |= set(entry.get("PermissionsWithGrantOption", []))
        elif "TableWildcard" in spec:
            held["tables"] |= set(entry.get("PermissionsWithGrantOption", []))
    findings = []
    for scope, wanted, subject in (("database", on_database, f"database {database}"),
                                   ("tables", on_tables, f"every table of {database}")):
        missing = [p for p in wanted if p not in held[scope]]
        resource = f"{domain} ({owner}) on {subject}"
        findings.append(Finding(domain, product, "producer-grant", resource, Status.DIFFERENT,
                                f"missing with grant option: {', '.join(missing)}") if missing else
                        Finding(domain, product, "producer-grant", resource, Status.OK))
    return findings
