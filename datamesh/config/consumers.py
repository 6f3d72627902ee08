"""Checks of the consumer side across files: principals, whom a subscription goes to, the engines that read
a filtered grant, and the row filters and withheld columns of producers' approvals."""

from __future__ import annotations

from collections.abc import Callable

from datamesh.config import row_filter
from datamesh.config.models import Decision, DomainConfig, MeshConfig, Permission, Product
from datamesh.contracts import Contract
from datamesh.names import naming

Add = Callable[[str, str], None]

FILTERS_PER_PRINCIPAL_AND_TABLE = 100
"""Lake Formation Developer Guide, "Data filtering limitations": a principal holds at most 100 data-filter SELECT
permissions on one table. (One grant includes at most 10 filters; each of the mesh's grants names one.)"""


def principal_problems(domain: DomainConfig, config: MeshConfig | None, add: Add) -> None:
    """Principal names and roles unique, one analyst at most, subscriptions naming principals the domain lists."""
    names: set[str] = set()
    roles: set[str] = set()
    analyst = naming.analyst_role(config.name, domain.name) if config else None
    for k, principal in enumerate(domain.principals):
        if principal.name in names:
            add(f"principals[{k}].name", f"duplicate principal {principal.name!r}")
        names.add(principal.name)
        if principal.identity_center is not None:
            kind, entity = principal.identity_center
            field = f"principals[{k}].identity_center_{kind}"
            if config is not None and config.identity_center is None:
                add(field, "an Identity Center principal needs identity_center (the instance) in mesh.yaml")
            if entity in roles:
                add(field, f"{kind} {entity} is listed already (Lake Formation holds one grant per principal)")
            roles.add(entity)
            continue
        role = principal.role or ""
        if role in roles:
            add(
                f"principals[{k}].role",
                "the analyst role is listed once (a principal without role)"
                if not role
                else f"role {role!r} is listed already (Lake Formation holds one grant per role and resource)",
            )
        elif role and role == analyst:
            add(f"principals[{k}].role", f"{role} is the mesh's analyst role: list it as a principal without role")
        roles.add(role)
    for i, sub in enumerate(domain.consumes):
        for j, name in enumerate(sub.principals):
            if name not in names:
                add(
                    f"consumes[{i}].principals[{j}]",
                    f"no principal {name!r} in this domain's principals"
                    f" ({', '.join(sorted(names)) or 'none listed: the analyst role reads alone'})",
                )
            elif sub.principals.index(name) != j:
                add(f"consumes[{i}].principals[{j}]", f"{name!r} is named twice")


def withheld(product: Product, consumer: str, tables: list[str]) -> list[str]:
    """What a SELECT of ``consumer`` on ``product`` withholds: pii columns, further columns, rows."""
    decision = product.decision_for(consumer)
    found = (
        [f"pii columns {', '.join(product.pii_columns)}"]
        if any(t.pii_columns for t in product.tables_named(tables))
        else []
    )
    if decision is not None and decision.withhold:
        found.append(f"columns {', '.join(decision.withhold)}")
    if decision is not None and decision.rows is not None:
        found.append(f"rows ({decision.rows})")
    return found


def engine_problems(domain: DomainConfig, producers: dict[str, DomainConfig], add: Add) -> None:
    """A subscription whose SELECT withholds columns or rows goes to no principal whose engine does not filter."""
    index = {p.name: k for k, p in enumerate(domain.principals)}
    for i, sub in enumerate(domain.consumes):
        producer = producers.get(sub.producer)
        product = next((p for p in producer.products if p.name == sub.product_name), None) if producer else None
        if product is None or Permission.SELECT not in sub.permissions or not product.approves(domain.name):
            continue
        what = withheld(product, domain.name, sub.tables)
        if not what:
            continue
        for principal in domain.readers_of(sub):
            gap = principal.filtering_gap
            if gap:
                add(
                    f"principals[{index[principal.name]}].engine",
                    f"{gap}, and consumes[{i}] ({sub.product}) withholds {'; '.join(what)} from it: name the "
                    "principals that get it (consumes[].principals)",
                )


def approval_problems(product: Product, field: str, add: Add) -> None:
    """An approval's row filter is one Lake Formation accepts on each table of the product; its withheld columns
    are columns of a table, not partition keys (Lake Formation filters no partition key)."""
    for j, decision in enumerate(product.decisions):
        for table in product.tables:
            if not table.columns:
                continue  # its contract did not load, which is reported on its own
            keys = {k.name for k in table.partition_keys}
            columns = {c.name: c.type for c in (*table.columns, *table.partition_keys)}
            if decision.rows is not None:
                problem = row_filter.problem(decision.rows, columns, keys)
                if problem:
                    add(
                        f"{field}.decisions[{j}].rows",
                        problem if len(product.tables) == 1 else f"table {table.name}: {problem}",
                    )
            for c, column in enumerate(decision.withhold):
                if column in keys:
                    add(
                        f"{field}.decisions[{j}].withhold[{c}]",
                        f"{column} is a partition key, which Lake Formation does not filter",
                    )
                elif column not in columns and len(product.tables) == 1:
                    add(f"{field}.decisions[{j}].withhold[{c}]", f"no column {column!r} in {product.name}")
        if decision.withhold and all(
            {c.name for c in t.columns} <= {*decision.withhold, *t.pii_columns} for t in product.tables
        ):
            add(f"{field}.decisions[{j}].withhold", "withholds every column: deny the request instead")


def filter_problems(product: Product, decision: Decision, contract: Contract) -> dict[str, str]:
    """Why Lake Formation would refuse ``decision``'s filter on ``product``'s tables as ``contract`` defines them,
    by the decision's field (``rows``, ``withhold[0]``, ...)."""
    found: dict[str, str] = {}
    single = product.model_copy(update={"decisions": [decision]}).with_contract(contract)
    approval_problems(single, "", lambda field, reason: found.setdefault(field.split("]", 1)[1].lstrip("."), reason))
    return found


def broken_filters(product: Product, before: Contract, after: Contract) -> list[tuple[int, str, str]]:
    """The approvals of ``product`` whose filter ``before``'s tables take and ``after``'s refuse (a column the
    rows read or the approval withholds, removed or renamed; a type row filters do not take): (index of the
    decision, its field, why), in decision order."""
    found = []
    for j, decision in enumerate(product.decisions):
        if decision.decision != "approved" or not decision.filters:
            continue
        took = filter_problems(product, decision, before)
        found += [(j, f, why) for f, why in filter_problems(product, decision, after).items() if f not in took]
    return found


def filter_limit_problems(
    domains: list[tuple[str, DomainConfig]], producers: dict[str, DomainConfig], add: Callable[[str, str, str], None]
) -> None:
    """No principal would hold SELECT on more data filters of one table than Lake Formation allows.

    A role is one domain's (its ARN names the domain's account) and gets at most one filter per table, its
    domain's; an Identity Center user or group is the organization's, so every consumer domain that lists it
    grants it SELECT on its own filter of the table. ``add(file, field, reason)``, once per principal and table,
    at the domain that passes the limit.
    """
    held: dict[tuple[str, str, str], int] = {}
    for file, domain in domains:
        for k, principal in enumerate(domain.principals):
            if principal.identity_center is None:
                continue
            kind, entity = principal.identity_center
            for sub in domain.consumes:
                producer = producers.get(sub.producer)
                product = next((p for p in producer.products if p.name == sub.product_name), None) if producer else None
                decision = product.decision_for(domain.name) if product else None
                filtered = decision is not None and decision.filters and Permission.SELECT in sub.permissions
                if not filtered or not product.approves(domain.name) or principal not in domain.readers_of(sub):
                    continue
                for table in product.tables_named(sub.tables):
                    key = (f"{kind}/{entity}", sub.product, table.name)
                    held[key] = held.get(key, 0) + 1
                    if held[key] == FILTERS_PER_PRINCIPAL_AND_TABLE + 1:
                        add(
                            file,
                            f"principals[{k}].identity_center_{kind}",
                            f"{kind} {entity} would hold SELECT on {held[key]} data filters of {sub.product} table "
                            f"{table.name}, one per consumer domain that lists it; Lake Formation allows at most "
                            f'{FILTERS_PER_PRINCIPAL_AND_TABLE} per principal and table ("Data filtering '
                            'limitations")',
                        )
