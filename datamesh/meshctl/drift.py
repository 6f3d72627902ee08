"""What exists in the accounts compared with what the files declare, one finding per thing checked.

Each ``check_*`` function reads one account through boto3 clients and returns findings
(``ok``, ``missing``, ``extra`` or ``different``); the names it looks for come from
:mod:`datamesh.blueprint`, hence from :mod:`datamesh.naming`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from fnmatch import fnmatch
from typing import Any

from datamesh import naming
from datamesh.blueprint import Blueprint, Database, Resource, Table
from datamesh.meshctl.aws import items
from datamesh.meshctl.drift_catalog import check_producer_grants, check_ruleset, check_table_parameters
from datamesh.meshctl.findings import Finding, Status, compare

Client = Callable[[str], Any]  # service name -> boto3 client in the account being checked


def _columns(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{name} {type_}" for name, type_ in columns) or "none"


def _table_shape(table: dict[str, Any]) -> Table:
    descriptor = table.get("StorageDescriptor", {})
    return Table(
        table["Name"], descriptor.get("Location", ""),
        tuple((c["Name"], c["Type"]) for c in descriptor.get("Columns", [])),
        tuple((c["Name"], c["Type"]) for c in table.get("PartitionKeys", [])),
    )


def _describe_table(table: Table) -> str:
    partitions = f"; partitions {_columns(table.partition_keys)}" if table.partition_keys else ""
    return f"columns {_columns(table.columns)}{partitions} at {table.location}"


def check_governance(declared: Blueprint, client: Client) -> list[Finding]:
    """Databases, tables (columns, parameters, pii tags, quality rulesets), LF-tags, registered locations,
    producers' and consumers' grants in the central catalog."""
    catalog = declared.mesh.config.governance_account
    glue, lakeformation = client("glue"), client("lakeformation")
    expected = {db.name: db for db in declared.databases}
    found = {db["Name"]: db for db in items(glue, "get_databases", "DatabaseList", CatalogId=catalog)}
    findings: list[Finding] = []
    for name, db in expected.items():
        actual = found.get(name)
        findings.append(compare(db.domain, db.product, "database", name, db.location,
                                 None if actual is None else actual.get("LocationUri", ""),
                                 lambda location: f"location {location}"))
        if actual is None:
            continue
        tables = {t["Name"]: t for t in items(glue, "get_tables", "TableList", CatalogId=catalog, DatabaseName=name)}
        for wanted in db.tables:
            table = tables.pop(wanted.name, None)
            findings.append(compare(db.domain, db.product, "table", f"{name}.{wanted.name}", wanted,
                                     None if table is None else _table_shape(table), _describe_table))
            if table is not None:
                findings += _check_pii_tags(db, wanted, _table_shape(table), lakeformation, catalog)
                findings.append(check_table_parameters(db.domain, db.product, f"{name}.{wanted.name}", table,
                                                       dict(wanted.parameters)))
            if wanted.quality is not None:
                findings.append(check_ruleset(glue, db.domain, db.product, wanted.quality.name, name, wanted.name,
                                              wanted.quality.rules))
        findings += [Finding(db.domain, db.product, "table", f"{name}.{extra}", Status.EXTRA, "not in the files")
                     for extra in sorted(tables)]
        tags = lakeformation.get_resource_lf_tags(
            CatalogId=catalog, Resource={"Database": {"CatalogId": catalog, "Name": name}}
        ).get("LFTagOnDatabase", [])
        actual_tags = {t["TagKey"]: ",".join(sorted(t["TagValues"])) for t in tags}
        for key, value in db.lf_tags:
            findings.append(compare(db.domain, db.product, "lf-tag", f"{name} {key}", value, actual_tags.get(key),
                                     lambda v, key=key: f"{key}={v}"))
    unexplained = [name for name in sorted(found) if name not in expected and "datamesh:domain" in found[name].get("Parameters", {})]
    managed, retained = _stack_databases(client("cloudformation")) if unexplained else (set(), set())
    for name in unexplained:
        parameters = found[name]["Parameters"]
        domain, product = parameters["datamesh:domain"], parameters.get("datamesh:product", "")
        findings.append(
            Finding(domain, product, "database", name, Status.RETAINED,
                    "no longer in the files nor in any stack: kept with its data (DeletionPolicy Retain); "
                    "delete it when the data may go")
            if name in retained and name not in managed else
            Finding(domain, product, "database", name, Status.EXTRA, "tagged as a mesh product but not in the files"))
    findings += _check_locations(declared, lakeformation)
    listing = list(items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=catalog))
    findings += check_producer_grants(listing, declared.producer_grants)
    findings += _check_grants(declared, listing, set(expected) | set(found))
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
            managed |= {r["PhysicalResourceId"] for r in items(cloudformation, "list_stack_resources",
                                                               "StackResourceSummaries", StackName=stack)
                        if r["ResourceType"] == "AWS::Glue::Database"}
        retained |= {e.get("PhysicalResourceId", "") for e in items(cloudformation, "describe_stack_events",
                                                                     "StackEvents", StackName=stack)
                     if e.get("ResourceType") == "AWS::Glue::Database" and e["ResourceStatus"] == "DELETE_SKIPPED"}
    return managed, retained


def _check_pii_tags(db: Database, wanted: Table, table: Table, lakeformation: Any,
                    catalog: str) -> list[Finding]:
    """``pii=true`` on each pii column of ``wanted`` the deployed ``table`` has (a column it lacks is
    the table check's finding), and on no other column."""
    columns = [name for name, _ in (*table.columns, *table.partition_keys)]
    if not columns:
        return []
    tagged = lakeformation.get_resource_lf_tags(CatalogId=catalog, Resource={"TableWithColumns": {
        "CatalogId": catalog, "DatabaseName": db.name, "Name": table.name, "ColumnNames": columns,
    }}).get("LFTagsOnColumns", [])
    actual = {column["Name"]: ",".join(sorted(tag["TagValues"]))
              for column in tagged for tag in column.get("LFTags", []) if tag["TagKey"] == "pii"}
    prefix = f"{db.name}.{table.name}"
    findings = [compare(db.domain, db.product, "lf-tag", f"{prefix}.{column} pii", "true", actual.get(column),
                         lambda value: f"pii={value}")
                for column in wanted.pii_columns if column in columns]
    findings += [Finding(db.domain, db.product, "lf-tag", f"{prefix}.{column} pii", Status.EXTRA,
                         "pii=true on a column the files do not flag pii")
                 for column, value in sorted(actual.items()) if value == "true" and column not in wanted.pii_columns]
    return findings


def _check_locations(declared: Blueprint, lakeformation: Any) -> list[Finding]:
    cfg = declared.mesh.config
    role = naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))
    registered = {r["ResourceArn"]: r.get("RoleArn", "") for r in items(lakeformation, "list_resources",
                                                                        "ResourceInfoList")}
    expected = declared.data_locations
    findings = [compare(domain, "", "location", arn, role, registered.get(arn), lambda r: f"registered with {r}")
                for domain, arn in expected.items()]
    pattern = "arn:aws:s3:::" + naming.data_bucket(cfg.name, "*", "*", cfg.region)
    findings += [Finding("", "", "location", arn, Status.EXTRA, "a mesh data bucket no producer declares")
                 for arn in sorted(registered) if fnmatch(arn, pattern) and arn not in expected.values()]
    return findings


def _check_grants(declared: Blueprint, listing: list[dict[str, Any]], databases: set[str]) -> list[Finding]:
    """Grants to domain accounts on the mesh's databases, other than a producer's on its own (``listing``:
    the governance catalog's ``list_permissions``)."""
    products_by_database = {db.name: (db.domain, db.product) for db in declared.databases}
    owners = {db.name: declared.mesh.domain(db.domain).account for db in declared.databases}
    domains_by_account = {d.account: d.name for d in declared.mesh.domains}
    expected: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    for grant in declared.grants:
        expected[(grant.principal, grant.resource)].update(grant.permissions)
    actual: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    grantable: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    for entry in listing:
        principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier", "")
        resource = Resource.from_api(entry.get("Resource", {}))
        if (resource is None or principal not in domains_by_account or resource.database not in databases
                or owners.get(resource.database) == principal):
            continue
        actual[(principal, resource)].update(entry.get("Permissions", []))
        grantable[(principal, resource)].update(entry.get("PermissionsWithGrantOption", []))
    findings = []
    for key in sorted(set(expected) | set(actual)):
        principal, resource = key
        consumer = domains_by_account[principal]
        producer, product = products_by_database.get(resource.database, ("", resource.database))
        subject = f"{consumer} ({principal}) on {resource}"
        want, have = sorted(expected.get(key, ())), sorted(actual.get(key, ()))
        if not want:
            findings.append(Finding(producer, product, "grant", subject, Status.EXTRA,
                                    f"{', '.join(have)} granted, no approved subscription asks for it"))
        elif not have:
            findings.append(Finding(producer, product, "grant", subject, Status.MISSING, f"expected {', '.join(want)}"))
        elif want != have or sorted(grantable.get(key, ())) != want:
            findings.append(Finding(producer, product, "grant", subject, Status.DIFFERENT,
                                    f"expected {', '.join(want)} with grant option, found {', '.join(have)}"
                                    f" (grant option: {', '.join(sorted(grantable.get(key, ()))) or 'none'})"))
        else:
            findings.append(Finding(producer, product, "grant", subject, Status.OK))
    return findings


def check_consumer(declared: Blueprint, domain: str, client: Client) -> list[Finding]:
    """Resource links in the consumer's catalog, one per granted share and no others, and its analyst role's grants."""
    account = declared.mesh.domain(domain).account
    governance = declared.mesh.config.governance_account
    expected = {link.name: link for link in declared.resource_links if link.consumer == domain}
    links = {
        db["Name"]: db["TargetDatabase"]
        for db in items(client("glue"), "get_databases", "DatabaseList", CatalogId=account)
        if db.get("TargetDatabase")
    }
    findings = []
    for name, link in expected.items():
        target = links.get(name)
        findings.append(compare(domain, "", "resource-link", name,
                                 f"{link.target_catalog}:{link.target_database}",
                                 None if target is None else f"{target.get('CatalogId')}:{target.get('DatabaseName')}",
                                 lambda t: f"link to {t}"))
    findings += [Finding(domain, "", "resource-link", name, Status.EXTRA, "no granted subscription needs it")
                 for name, target in sorted(links.items())
                 if name not in expected and target.get("CatalogId") == governance]
    findings += check_consumer_grants(declared, domain, client("lakeformation"))
    return findings


def _exposed_pii(db: Database, resource: Resource) -> tuple[str, ...]:
    """The pii columns of ``db``'s tables that a SELECT on ``resource`` reads (a data cells filter's columns are
    the governance catalog's filter's, judged where it is made)."""
    if resource.data_filter:
        return ()
    pii = (c for t in db.tables if resource.table in {t.name, "*"} for c in t.pii_columns)
    return resource.exposed(dict.fromkeys(pii))


def check_consumer_grants(declared: Blueprint, domain: str, lakeformation: Any) -> list[Finding]:
    """The grants of the analyst role and of each role the domain's principals name, in the consumer's catalog
    on the mesh's databases (and their resource links): what each granted share needs, none with grant option,
    nothing else, and never SELECT on a pii column.

    ``ListPermissions`` filters by principal only together with a resource, so every grant of the
    catalog is read and those of the domain's roles are kept.
    """
    consumer = declared.mesh.domain(domain)
    account = consumer.account
    role = naming.analyst_role(declared.mesh.config.name, domain)
    roles = {naming.role_arn(account, role): role,
             **{naming.role_arn(account, p.role): p.role for p in consumer.principals if p.role}}
    databases = {db.name: db for db in declared.databases}
    # A database grant is on the resource link (the consumer's catalog) or on its target (the governance
    # catalog's); tables are the governance catalog's. So grants are told apart by catalog too.
    expected: dict[tuple[str, Resource, str], set[str]] = defaultdict(set)
    for grant in declared.principal_grants(domain):
        expected[grant.principal, grant.resource, grant.resource.catalog].update(grant.permissions)
    actual: dict[tuple[str, Resource, str], set[str]] = defaultdict(set)
    grantable: dict[tuple[str, Resource, str], set[str]] = defaultdict(set)
    for entry in items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=account):
        principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier")
        if principal not in roles:
            continue
        resource = Resource.from_api(entry.get("Resource", {}))
        if resource is None or resource.database not in databases:
            continue
        spec = next(iter(entry["Resource"].values()))
        key = principal, resource, spec.get("CatalogId") or spec.get("TableCatalogId") or account
        actual[key].update(entry.get("Permissions", []))
        grantable[key].update(entry.get("PermissionsWithGrantOption", []))
    findings = []
    for key in sorted(set(expected) | set(actual)):
        principal, resource, catalog = key
        db = databases[resource.database]
        target = " of the governance catalog" if not resource.table and catalog != account else ""
        subject = f"{roles[principal]} on {resource}{target}"
        want, have = sorted(expected.get(key, ())), sorted(actual.get(key, ()))
        option = sorted(grantable.get(key, ()))
        exposed = _exposed_pii(db, resource) if "SELECT" in have else ()
        if exposed:
            findings.append(Finding(db.domain, db.product, "analyst-grant", subject, Status.DIFFERENT,
                                    f"SELECT reaches pii column(s) {', '.join(exposed)}, which the files withhold "
                                    f"from consumers; expected {', '.join(want) or 'no grant'}, "
                                    f"found {', '.join(have)}"))
        elif not want:
            findings.append(Finding(db.domain, db.product, "analyst-grant", subject, Status.EXTRA,
                                    f"{', '.join(have)} granted, no granted subscription asks for it"))
        elif not have:
            findings.append(Finding(db.domain, db.product, "analyst-grant", subject, Status.MISSING,
                                    f"expected {', '.join(want)}"))
        elif want != have or option:
            findings.append(Finding(db.domain, db.product, "analyst-grant", subject, Status.DIFFERENT,
                                    f"expected {', '.join(want)} without grant option, found {', '.join(have)}"
                                    f" (grant option: {', '.join(option) or 'none'})"))
        else:
            findings.append(Finding(db.domain, db.product, "analyst-grant", subject, Status.OK))
    return findings
