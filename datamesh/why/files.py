"""The links of the chain the files decide: subscription, decision, expiry, principal, permission, tables, columns."""

from __future__ import annotations

from datetime import date

from datamesh.config import Mesh, Permission, Share, ShareState
from datamesh.config.models import DomainConfig, Product, ProductTable
from datamesh.why.links import FILES, Link
from datamesh.why.principals import Reader


def owner(domain: DomainConfig) -> str:
    """Who acts for a domain: its owning team and address."""
    return f"{domain.name}'s owner ({domain.owner.team}, {domain.owner.email})"


def domain_file(domain: DomainConfig) -> str:
    return f"domains/{domain.name}.yaml"


def _contract_file(producer: DomainConfig, product: Product) -> str:
    return f"domains/{product.contract}" if isinstance(product.contract, str) else domain_file(producer)


def _share(mesh: Mesh, consumer: str, reference: str, today: date) -> tuple[int, Share] | None:
    """The consumer's subscription to ``reference``, with its index in ``consumes``."""
    shares = [s for s in mesh.shares(today) if s.consumer == consumer]
    return next(((i, s) for i, s in enumerate(shares) if f"{s.producer}.{s.product}" == reference), None)


def file_links(
    mesh: Mesh, reader: Reader, reference: str, tables: tuple[ProductTable, ...], column: str | None, today: date
) -> list[Link]:
    """The files' links in order, up to and including the first broken one (what follows it depends on it)."""
    consumer = reader.domain
    producer_name, product_name = reference.split(".", 1)
    producer = mesh.domain(producer_name)
    product = mesh.product(producer_name, product_name)
    found = _share(mesh, consumer.name, reference, today)
    if found is None:
        return [
            Link(
                "subscription",
                FILES,
                f"{domain_file(consumer)} has no subscription to {reference}",
                False,
                f"meshctl subscribe {consumer.name} {reference} --reason '...'",
                owner(consumer),
            )
        ]
    index, share = found
    links = [
        Link(
            "subscription",
            FILES,
            f"{domain_file(consumer)} consumes[{index}]: {reference} ({', '.join(p.value for p in share.permissions)})",
            True,
        )
    ]
    links.append(_decision(share, consumer, producer, product, reference, index))
    if not links[-1].ok:
        return links
    readers = consumer.readers_of(next(s for s in consumer.consumes if s.product == reference))
    if reader.principal not in readers:
        links.append(
            Link(
                "principal",
                FILES,
                f"consumes[{index}].principals names {', '.join(share.principals)}, not {reader.principal.name}",
                False,
                f"edit {domain_file(consumer)}: add {reader.principal.name} to consumes[{index}].principals",
                owner(consumer),
            )
        )
        return links
    links.append(Link("principal", FILES, f"{reader.principal.name} gets it ({reader.role})", True))
    if Permission.SELECT not in share.permissions:
        links.append(
            Link(
                "permission",
                FILES,
                f"consumes[{index}] asks for {', '.join(p.value for p in share.permissions)}: no SELECT, no rows",
                False,
                f"edit {domain_file(consumer)}: add SELECT to consumes[{index}].permissions",
                owner(consumer),
            )
        )
        return links
    links.append(Link("permission", FILES, "SELECT granted", True))
    uncovered = [t.name for t in tables if t not in product.tables_named(share.tables)]
    if uncovered:
        links.append(
            Link(
                "tables",
                FILES,
                f"consumes[{index}].tables names {', '.join(share.tables)}, not {', '.join(uncovered)}",
                False,
                f"edit {domain_file(consumer)}: add {', '.join(uncovered)} to consumes[{index}].tables",
                owner(consumer),
            )
        )
        return links
    links.append(Link("tables", FILES, f"covers {', '.join(t.name for t in tables)}", True))
    links.append(_columns(share, producer, product, tables, column))
    return links


def _decision(
    share: Share, consumer: DomainConfig, producer: DomainConfig, product: Product, reference: str, index: int
) -> Link:
    decision = share.decision
    approve = f"meshctl approve {reference} {consumer.name} --by {producer.owner.email}"
    if share.state is ShareState.EXPIRED:
        return Link(
            "decision",
            FILES,
            f"expired on {share.expires} (consumes[{index}].expires): it grants nothing from that day",
            False,
            f"edit {domain_file(consumer)}: move consumes[{index}].expires to a later day, or remove it",
            owner(consumer),
        )
    if share.state is ShareState.DENIED:
        return Link(
            "decision",
            FILES,
            f"denied by {decision.by} on {decision.date}" + (f": {decision.reason}" if decision.reason else ""),
            False,
            f"{approve} (if {producer.name} changes its mind)",
            owner(producer),
        )
    if share.state is ShareState.PENDING:
        return Link(
            "decision",
            FILES,
            f"pending: {producer.name} has not approved {consumer.name} ({domain_file(producer)} shared_with)",
            False,
            approve,
            owner(producer),
        )
    how = (
        "open to every domain (shared_with: all)"
        if product.is_open
        else f"approved by {decision.by} on {decision.date}"
        if decision
        else f"shared_with lists {consumer.name}"
    )
    until = f", until {share.expires}" if share.expires else ""
    return Link("decision", FILES, f"granted: {how}{until}", True)


def _columns(
    share: Share, producer: DomainConfig, product: Product, tables: tuple[ProductTable, ...], column: str | None
) -> Link:
    """What SELECT reads of the tables; broken when ``column`` is withheld, naming the rule that withholds it."""
    decision = share.decision
    withhold = set(decision.withhold) if decision else set()
    rows = f"; rows where {decision.rows} ({domain_file(producer)} decisions)" if decision and decision.rows else ""
    if column is None:
        withheld = sorted({c for t in tables for c in t.pii_columns} | withhold)
        return Link(
            "columns",
            FILES,
            ("every column" if not withheld else f"every column but {', '.join(withheld)}") + rows,
            True,
        )
    table = next(t for t in tables if column in {c.name for c in (*t.columns, *t.partition_keys)})
    where = f"column {column} of {producer.name}.{product.name}.{table.name}"
    if column in table.pii_columns:
        return Link(
            "columns",
            FILES,
            f"withheld as pii: {where} is tagged pii in {_contract_file(producer, product)}, and the mesh "
            "withholds pii columns from every consumer ("
            + (
                "its data filter leaves it out"
                if decision and (decision.rows or decision.withhold)
                else "SELECT names the other columns"
            )
            + ")",
            False,
            "none for a consumer: pii columns are never shared; the producer decides what is pii",
            owner(producer),
        )
    if column in withhold:
        return Link(
            "columns",
            FILES,
            f"withheld by {producer.name}'s approval of {share.consumer}: {where} is in its decision's withhold "
            f"({domain_file(producer)}, decided by {decision.by} on {decision.date})",
            False,
            f"edit {domain_file(producer)}: take {column} out of the decision's withhold for {share.consumer}",
            owner(producer),
        )
    return Link("columns", FILES, f"{where} is read{rows}", True)
