"""Doctor's checks of the lake: databases, tables, registered locations and resource links, as the blueprint has them.

Each ``check_*`` function reads one account through boto3 clients and returns findings
(``ok``, ``missing``, ``extra`` or ``different``); the names it looks for come from
:mod:`datamesh.blueprint`, hence from :mod:`datamesh.names.naming`.
"""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatch
from typing import Any

from datamesh.aws.sessions import items
from datamesh.blueprint import Blueprint, Database, Table
from datamesh.doctor import data_filters, grants
from datamesh.doctor.findings import Finding, Status, compare
from datamesh.doctor.tables import check_ruleset, check_table_parameters
from datamesh.names import naming

Client = Callable[[str], Any]  # service name -> boto3 client in the account being checked


def _columns(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {type_}" for name, type_ in columns) or "none"


def _table_shape(table: dict[str, Any]) -> Table:
    descriptor = table.get("StorageDescriptor", {})
    return Table(
        table["Name"],
        descriptor.get("Location", ""),
        tuple((c["Name"], c["Type"]) for c in descriptor.get("Columns", [])),
        tuple((c["Name"], c["Type"]) for c in table.get("PartitionKeys", [])),
    )


def _describe_table(table: Table) -> str:
    partitions = f"; partitions {_columns(table.partition_keys)}" if table.partition_keys else ""
    return f"columns {_columns(table.columns)}{partitions} at {table.location}"


def check_governance(blueprint: Blueprint, client: Client) -> list[Finding]:
    """Databases, tables (columns, parameters, pii tags, quality rulesets), LF-tags, registered locations,
    producers' and consumers' grants in the central catalog, and the data cells filters on the tables."""
    catalog = blueprint.mesh.config.governance_account
    glue, lakeformation = client("glue"), client("lakeformation")
    expected = {db.name: db for db in blueprint.databases}
    found = {db["Name"]: db for db in items(glue, "get_databases", "DatabaseList", CatalogId=catalog)}
    findings: list[Finding] = []
    held: dict[str, set[str]] = {}  # the tables of each product database, for the data filters on them
    for name, db in expected.items():
        actual = found.get(name)
        findings.append(
            compare(
                db.domain,
                db.product,
                "database",
                name,
                db.location,
                None if actual is None else actual.get("LocationUri", ""),
                lambda location: f"location {location}",
            )
        )
        if actual is None:
            continue
        tables = {t["Name"]: t for t in items(glue, "get_tables", "TableList", CatalogId=catalog, DatabaseName=name)}
        held[name] = set(tables)
        for wanted in db.tables:
            table = tables.pop(wanted.name, None)
            findings.append(
                compare(
                    db.domain,
                    db.product,
                    "table",
                    f"{name}.{wanted.name}",
                    wanted,
                    None if table is None else _table_shape(table),
                    _describe_table,
                )
            )
            if table is not None:
                findings += _check_pii_tags(db, wanted, _table_shape(table), lakeformation, catalog)
                findings.append(
                    check_table_parameters(
                        db.domain, db.product, f"{name}.{wanted.name}", table, dict(wanted.parameters)
                    )
                )
            if wanted.quality is not None:
                findings.append(
                    check_ruleset(
                        glue, db.domain, db.product, wanted.quality.name, name, wanted.name, wanted.quality.rules
                    )
                )
        findings += [
            Finding(db.domain, db.product, "table", f"{name}.{extra}", Status.EXTRA, "not in the files")
            for extra in sorted(tables)
        ]
        tags = lakeformation.get_resource_lf_tags(
            CatalogId=catalog, Resource={"Database": {"CatalogId": catalog, "Name": name}}
        ).get("LFTagOnDatabase", [])
        actual_tags = {t["TagKey"]: ",".join(sorted(t["TagValues"])) for t in tags}
        for key, value in db.lf_tags:
            findings.append(
                compare(
                    db.domain,
                    db.product,
                    "lf-tag",
                    f"{name} {key}",
                    value,
                    actual_tags.get(key),
                    lambda v, key=key: f"{key}={v}",
                )
            )
    unexplained = [
        name
        for name in sorted(found)
        if name not in expected and "datamesh:domain" in found[name].get("Parameters", {})
    ]
    managed, retained = _stack_databases(client("cloudformation")) if unexplained else (set(), set())
    for name in unexplained:
        parameters = found[name]["Parameters"]
        domain, product = parameters["datamesh:domain"], parameters.get("datamesh:product", "")
        findings.append(
            Finding(
                domain,
                product,
                "database",
                name,
                Status.RETAINED,
                "no longer in the files nor in any stack: kept with its data (DeletionPolicy Retain); "
                "delete it when the data may go",
            )
            if name in retained and name not in managed
            else Finding(
                domain, product, "database", name, Status.EXTRA, "tagged as a mesh product but not in the files"
            )
        )
    findings += _check_locations(blueprint, lakeformation)
    listing = list(items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=catalog))
    findings += grants.check_producer_grants(listing, blueprint.producer_grants)
    findings += grants.check_share_grants(blueprint, listing, set(expected) | set(found))
    findings += data_filters.check(blueprint, lakeformation, held)
    findings += grants.check_monitoring_grants(blueprint, listing)
    return findings


def _stack_databases(cloudformation: Any) -> tuple[set[str], set[str]]:
    """Glue databases the account's stacks manage, and those a stack kept when it stopped
    managing them (a ``DELETE_SKIPPED`` event: DeletionPolicy Retain on an update or a stack
    deletion; deleted stacks stay listed, with their events, for 90 days)."""
    managed: set[str] = set()
    retained: set[str] = set()
    for summary in items(cloudformation, "list_stacks", "StackSummaries"):
        stack = summary["StackId"]
        if summary["StackStatus"] != "DELETE_COMPLETE":
            managed |= {
                r["PhysicalResourceId"]
                for r in items(cloudformation, "list_stack_resources", "StackResourceSummaries", StackName=stack)
                if r["ResourceType"] == "AWS::Glue::Database"
            }
        retained |= {
            e.get("PhysicalResourceId", "")
            for e in items(cloudformation, "describe_stack_events", "StackEvents", StackName=stack)
            if e.get("ResourceType") == "AWS::Glue::Database" and e["ResourceStatus"] == "DELETE_SKIPPED"
        }
    return managed, retained


def _check_pii_tags(db: Database, wanted: Table, table: Table, lakeformation: Any, catalog: str) -> list[Finding]:
    """``pii=true`` on each pii column of ``wanted`` the deployed ``table`` has (a column it lacks is
    the table check's finding), and on no other column."""
    columns = [name for name, _ in (*table.columns, *table.partition_keys)]
    if not columns:
        return []
    tagged = lakeformation.get_resource_lf_tags(
        CatalogId=catalog,
        Resource={
            "TableWithColumns": {
                "CatalogId": catalog,
                "DatabaseName": db.name,
                "Name": table.name,
                "ColumnNames": columns,
            }
        },
    ).get("LFTagsOnColumns", [])
    actual = {
        column["Name"]: ",".join(sorted(tag["TagValues"]))
        for column in tagged
        for tag in column.get("LFTags", [])
        if tag["TagKey"] == "pii"
    }
    prefix = f"{db.name}.{table.name}"
    findings = [
        compare(
            db.domain,
            db.product,
            "lf-tag",
            f"{prefix}.{column} pii",
            "true",
            actual.get(column),
            lambda value: f"pii={value}",
        )
        for column in wanted.pii_columns
        if column in columns
    ]
    findings += [
        Finding(
            db.domain,
            db.product,
            "lf-tag",
            f"{prefix}.{column} pii",
            Status.EXTRA,
            "pii=true on a column the files do not flag pii",
        )
        for column, value in sorted(actual.items())
        if value == "true" and column not in wanted.pii_columns
    ]
    return findings


def _check_locations(blueprint: Blueprint, lakeformation: Any) -> list[Finding]:
    cfg = blueprint.mesh.config
    role = naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))
    registered = {
        r["ResourceArn"]: r.get("RoleArn", "") for r in items(lakeformation, "list_resources", "ResourceInfoList")
    }
    expected = blueprint.data_locations
    findings = [
        compare(domain, "", "location", arn, role, registered.get(arn), lambda r: f"registered with {r}")
        for domain, arn in expected.items()
    ]
    pattern = "arn:aws:s3:::" + naming.data_bucket(cfg.name, "*", "*", cfg.region)
    findings += [
        Finding("", "", "location", arn, Status.EXTRA, "a mesh data bucket no producer declares")
        for arn in sorted(registered)
        if fnmatch(arn, pattern) and arn not in expected.values()
    ]
    return findings


def check_consumer(blueprint: Blueprint, domain: str, client: Client) -> list[Finding]:
    """Resource links in the consumer's catalog, one per granted share and no others, and its analyst role's grants."""
    account = blueprint.mesh.domain(domain).account
    governance = blueprint.mesh.config.governance_account
    expected = {link.name: link for link in blueprint.resource_links if link.consumer == domain}
    links = {
        db["Name"]: db["TargetDatabase"]
        for db in items(client("glue"), "get_databases", "DatabaseList", CatalogId=account)
        if db.get("TargetDatabase")
    }
    findings = []
    for name, link in expected.items():
        target = links.get(name)
        findings.append(
            compare(
                domain,
                "",
                "resource-link",
                name,
                f"{link.target_catalog}:{link.target_database}",
                None if target is None else f"{target.get('CatalogId')}:{target.get('DatabaseName')}",
                lambda t: f"link to {t}",
            )
        )
    findings += [
        Finding(domain, "", "resource-link", name, Status.EXTRA, "no granted subscription needs it")
        for name, target in sorted(links.items())
        if name not in expected and target.get("CatalogId") == governance
    ]
    findings += grants.check_consumer_grants(blueprint, domain, client("lakeformation"))
    return findings
