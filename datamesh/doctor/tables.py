"""Doctor's checks of what the Catalog stacks add to a product's tables: parameters and quality rulesets."""

from __future__ import annotations

from typing import Any

from datamesh.aws.answers import NotFound
from datamesh.doctor.findings import Finding, Status


def check_table_parameters(
    domain: str, product: str, resource: str, table: dict[str, Any], wanted: dict[str, str]
) -> Finding:
    """The table (as ``get_tables`` returns it) carries each of ``wanted``'s parameters with its value
    (Athena partition projection, the contract's id and version); other parameters are not judged."""
    found = table.get("Parameters", {})
    wrong = [
        f"{key}={found[key]!r}, expected {value!r}" if key in found else f"no {key} (expected {value!r})"
        for key, value in sorted(wanted.items())
        if found.get(key) != value
    ]
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
