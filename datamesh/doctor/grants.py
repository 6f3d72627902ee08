"""Lake Formation grants compared with the blueprint's: what ``ListPermissions`` holds, indexed, then judged.

Every grant check of doctor (the shares' grants in the governance catalog, the producers' own, the
analyst role's in a consumer's catalog) reads the same way: the permissions and the grant options held
per principal and resource, against the permissions the blueprint expects there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from datamesh.aws.sessions import items
from datamesh.blueprint.lake import principal_arn
from datamesh.doctor.findings import Finding, Status
from datamesh.lakeformation.resources import Resource
from datamesh.names import naming

if TYPE_CHECKING:
    from datamesh.blueprint import Blueprint, Database, Grant

K = TypeVar("K", bound=Hashable)


class GrantOption(Enum):
    """What the grant option must be for a grant to be as expected."""

    SAME = "the expected permissions, with grant option"
    NONE = "no permission with grant option"
    INCLUDED = "at least the expected permissions with grant option; the permissions are not judged"


@dataclass(frozen=True)
class Held(Generic[K]):
    """Permissions and permissions with grant option, per key, from ``ListPermissions`` entries."""

    permissions: dict[K, set[str]] = field(default_factory=lambda: defaultdict(set))
    grant_option: dict[K, set[str]] = field(default_factory=lambda: defaultdict(set))


def held(entries: Iterable[dict[str, Any]], key: Callable[[dict[str, Any], Resource], K | None]) -> Held[K]:
    """What ``entries`` hold, by ``key`` of each entry and its resource; an entry whose resource the mesh does
    not grant, or whose key is None, is not judged."""
    found: Held[K] = Held()
    for entry in entries:
        resource = Resource.from_api(entry.get("Resource", {}))
        where = None if resource is None else key(entry, resource)
        if where is not None:
            found.permissions[where].update(entry.get("Permissions", []))
            found.grant_option[where].update(entry.get("PermissionsWithGrantOption", []))
    return found


@dataclass(frozen=True)
class Compared(Generic[K]):
    """One key's expected and held permissions, and the status they make."""

    key: K
    status: Status
    expected: tuple[str, ...]
    found: tuple[str, ...]
    grant_option: tuple[str, ...]
    missing_grant_option: tuple[str, ...]


def compare_grants(
    expected: Mapping[K, Iterable[str]], found: Held[K], grant_option: GrantOption, *, unexpected: bool = True
) -> list[Compared[K]]:
    """Each expected key (in order, sorted together with the held ones when ``unexpected``) judged. When only
    the grant option is judged (``INCLUDED``): ``different`` when an expected permission lacks it, else ``ok``.
    Otherwise ``extra`` when nothing is expected there, ``missing`` when nothing is held, ``different`` when
    the permissions or the grant option are not as expected, else ``ok``."""
    keys = sorted(set(expected) | set(found.permissions)) if unexpected else list(expected)
    compared = []
    for key in keys:
        want = tuple(sorted(set(expected.get(key, ()))))
        have = tuple(sorted(found.permissions.get(key, ())))
        option = tuple(sorted(found.grant_option.get(key, ())))
        lacking = tuple(p for p in want if p not in option)
        if grant_option is GrantOption.INCLUDED:
            status = Status.DIFFERENT if lacking else Status.OK
        elif not want:
            status = Status.EXTRA
        elif not have:
            status = Status.MISSING
        elif want != have or option != (want if grant_option is GrantOption.SAME else ()):
            status = Status.DIFFERENT
        else:
            status = Status.OK
        compared.append(Compared(key, status, want, have, option, lacking))
    return compared


def share_grant_subject(domain: str, account: str, resource: Resource) -> str:
    """How doctor names a grant of the governance catalog to a domain's account."""
    return f"{domain} ({account}) on {resource}"


def principal_grant_subject(role: str, resource: Resource, catalog: str, account: str) -> str:
    """How doctor names a grant of consumer ``account``'s catalog to one of its roles (``catalog``: the
    account whose catalog holds ``resource``)."""
    target = " of the governance catalog" if not resource.table and catalog != account else ""
    return f"{role} on {resource}{target}"


def check_share_grants(blueprint: Blueprint, listing: list[dict[str, Any]], databases: set[str]) -> list[Finding]:
    """Grants to domain accounts on the mesh's databases, other than a producer's on its own (``listing``:
    the governance catalog's ``list_permissions``)."""
    products_by_database = {db.name: (db.domain, db.product) for db in blueprint.databases}
    owners = {db.name: blueprint.mesh.domain(db.domain).account for db in blueprint.databases}
    domains_by_account = {d.account: d.name for d in blueprint.mesh.domains}
    expected: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    for grant in blueprint.grants:
        expected[(grant.principal, grant.resource)].update(grant.permissions)

    def key(entry: dict[str, Any], resource: Resource) -> tuple[str, Resource] | None:
        principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier", "")
        if (
            principal not in domains_by_account
            or resource.database not in databases
            or owners.get(resource.database) == principal
        ):
            return None
        return principal, resource

    findings = []
    for c in compare_grants(expected, held(listing, key), GrantOption.SAME):
        principal, resource = c.key
        producer, product = products_by_database.get(resource.database, ("", resource.database))
        subject = share_grant_subject(domains_by_account[principal], principal, resource)
        detail = {
            Status.EXTRA: f"{', '.join(c.found)} granted, no approved subscription asks for it",
            Status.MISSING: f"expected {', '.join(c.expected)}",
            Status.DIFFERENT: f"expected {', '.join(c.expected)} with grant option, found {', '.join(c.found)}"
            f" (grant option: {', '.join(c.grant_option) or 'none'})",
        }.get(c.status, "")
        findings.append(Finding(producer, product, "grant", subject, c.status, detail))
    return findings


def check_producer_grants(listing: Iterable[dict[str, Any]], wanted: Iterable[Grant]) -> list[Finding]:
    """Each producer grant (the producer account manages its database and every table in it) is held with
    its grant option; ``listing`` is the governance catalog's ``list_permissions``. Grants beyond them are
    not judged here: a producer may pass its permissions on."""
    wanted = list(wanted)
    expected = {(grant.principal, grant.resource): grant.grantable for grant in wanted}

    def key(entry: dict[str, Any], resource: Resource) -> tuple[str, Resource]:
        return entry.get("Principal", {}).get("DataLakePrincipalIdentifier", ""), resource

    compared = {c.key: c for c in compare_grants(expected, held(listing, key), GrantOption.INCLUDED, unexpected=False)}
    findings = []
    for grant in wanted:
        domain, product = grant.product.split(".", 1)
        subject = f"{domain} ({grant.principal}) on " + (
            f"every table of {grant.resource.database}" if grant.resource.table == "*" else str(grant.resource)
        )
        c = compared[grant.principal, grant.resource]
        detail = (
            f"missing with grant option: {', '.join(c.missing_grant_option)}" if c.status is Status.DIFFERENT else ""
        )
        findings.append(Finding(domain, product, "producer-grant", subject, c.status, detail))
    return findings


def check_monitoring_grants(blueprint: Blueprint, listing: Iterable[dict[str, Any]]) -> list[Finding]:
    """The grants of each producing domain's quality role (reads the evaluated tables) and partitions role (adds
    the crawled tables' partitions), in the governance catalog (``listing``: its ``list_permissions``): what the
    blueprint's monitoring expects, none with grant option, nothing else."""
    wanted = [
        g
        for alerts in blueprint.alerts
        for g in (*blueprint.quality_grants_of(alerts.domain), *blueprint.partition_grants_of(alerts.domain))
    ]
    expected: dict[tuple[str, Resource], set[str]] = defaultdict(set)
    products: dict[tuple[str, Resource], str] = {}
    for grant in wanted:
        expected[grant.principal, grant.resource].update(grant.permissions)
        products.setdefault((grant.principal, grant.resource), grant.product)
    catalog = blueprint.mesh.config.governance_account
    roles = {
        naming.role_arn(catalog, role): alerts.domain
        for alerts in blueprint.alerts
        for role in (alerts.quality_role, alerts.partitions_role)
    }

    def key(entry: dict[str, Any], resource: Resource) -> tuple[str, Resource] | None:
        principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier", "")
        return (principal, resource) if principal in roles else None

    findings = []
    for c in compare_grants(expected, held(listing, key), GrantOption.NONE):
        principal, resource = c.key
        product = products.get(c.key, "").partition(".")[2]
        detail = {
            Status.EXTRA: f"{', '.join(c.found)} granted, the mesh's monitoring does not ask for it",
            Status.MISSING: f"expected {', '.join(c.expected)}",
            Status.DIFFERENT: f"expected {', '.join(c.expected)} without grant option, found {', '.join(c.found)}"
            f" (grant option: {', '.join(c.grant_option) or 'none'})",
        }.get(c.status, "")
        subject = f"{principal.rsplit('/', 1)[-1]} on {resource}"
        findings.append(Finding(roles[principal], product, "monitoring-grant", subject, c.status, detail))
    return findings


def _exposed_pii(db: Database, resource: Resource) -> tuple[str, ...]:
    """The pii columns of ``db``'s tables that a SELECT on ``resource`` reads (a data cells filter's columns are
    the governance catalog's filter's, judged where it is made)."""
    if resource.data_filter:
        return ()
    pii = (c for t in db.tables if resource.table in {t.name, "*"} for c in t.pii_columns)
    return resource.exposed(dict.fromkeys(pii))


def check_consumer_grants(blueprint: Blueprint, domain: str, lakeformation: Any) -> list[Finding]:
    """The grants of the analyst role and of each role, Identity Center user or group the domain's principals name,
    in the consumer's catalog
    on the mesh's databases (and their resource links): what each granted share needs, none with grant option,
    nothing else, and never SELECT on a pii column.

    ``ListPermissions`` filters by principal only together with a resource, so every grant of the
    catalog is read and those of the domain's roles are kept.
    """
    consumer = blueprint.mesh.domain(domain)
    account = consumer.account
    analyst = naming.analyst_role(blueprint.mesh.config.name, domain)
    roles = {
        naming.role_arn(account, analyst): analyst,
        **{naming.role_arn(account, p.role): p.role for p in consumer.principals if p.role},
        **{
            principal_arn(blueprint.mesh, domain, p): f"Identity Center {p.identity_center[0]} {p.name}"
            for p in consumer.principals
            if p.identity_center
        },
    }
    databases = {db.name: db for db in blueprint.databases}
    # A database grant is on the resource link (the consumer's catalog) or on its target (the governance
    # catalog's); tables are the governance catalog's. So grants are told apart by catalog too.
    expected: dict[tuple[str, Resource, str], set[str]] = defaultdict(set)
    for grant in blueprint.principal_grants(domain):
        expected[grant.principal, grant.resource, grant.resource.catalog].update(grant.permissions)

    def key(entry: dict[str, Any], resource: Resource) -> tuple[str, Resource, str] | None:
        principal = entry.get("Principal", {}).get("DataLakePrincipalIdentifier")
        if principal not in roles or resource.database not in databases:
            return None
        spec = next(iter(entry["Resource"].values()))
        return principal, resource, spec.get("CatalogId") or spec.get("TableCatalogId") or account

    listing = items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=account)
    findings = []
    for c in compare_grants(expected, held(listing, key), GrantOption.NONE):
        principal, resource, catalog = c.key
        db = databases[resource.database]
        subject = principal_grant_subject(roles[principal], resource, catalog, account)
        exposed = _exposed_pii(db, resource) if "SELECT" in c.found else ()
        if exposed:
            findings.append(
                Finding(
                    db.domain,
                    db.product,
                    "analyst-grant",
                    subject,
                    Status.DIFFERENT,
                    f"SELECT reaches pii column(s) {', '.join(exposed)}, which the files withhold "
                    f"from consumers; expected {', '.join(c.expected) or 'no grant'}, "
                    f"found {', '.join(c.found)}",
                )
            )
            continue
        detail = {
            Status.EXTRA: f"{', '.join(c.found)} granted, no granted subscription asks for it",
            Status.MISSING: f"expected {', '.join(c.expected)}",
            Status.DIFFERENT: f"expected {', '.join(c.expected)} without grant option, found {', '.join(c.found)}"
            f" (grant option: {', '.join(c.grant_option) or 'none'})",
        }.get(c.status, "")
        findings.append(Finding(db.domain, db.product, "analyst-grant", subject, c.status, detail))
    return findings
