"""Who can read a product: each granted share's principals, the engine each reads with, and the slice it reads.

What the portal's product pages and ``meshctl catalog readers`` show, from the blueprint's own rules: the
principals a share goes to (:func:`datamesh.blueprint.lake.share_readers`) and the data cells filter an
approval puts on each table (:func:`datamesh.blueprint.filters.table_filter`), else the pii columns withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from datamesh.blueprint.filters import table_filter
from datamesh.blueprint.lake import principal_arn, share_readers
from datamesh.config import Mesh, Permission, Share
from datamesh.config.models import Principal, ProductTable


@dataclass(frozen=True)
class Reader:
    """One principal of a consumer domain that a granted share reaches."""

    product: str  # <producer>.<product>
    consumer: str
    principal: str
    role: str  # the role's ARN
    engine: str  # with its version where one is given
    permissions: tuple[str, ...]
    tables: tuple[str, ...]
    rows: str | None  # the approval's row filter; None: every row
    withheld: tuple[str, ...]  # columns the SELECT withholds (pii and the approval's), <table>.<column> when several

    def as_json(self) -> dict[str, object]:
        return {
            "product": self.product,
            "consumer": self.consumer,
            "principal": self.principal,
            "role": self.role,
            "engine": self.engine,
            "permissions": list(self.permissions),
            "tables": list(self.tables),
            "rows": self.rows,
            "withheld": list(self.withheld),
        }


def engine_text(principal: Principal) -> str:
    version = f" {principal.engine_version}" if principal.engine_version else ""
    return f"{principal.engine.value}{version}"


def _withheld(mesh: Mesh, share: Share, table: ProductTable) -> tuple[str, ...]:
    """The columns of ``table`` a share's SELECT does not reach: outside its data filter's include list, else pii."""
    if Permission.SELECT not in share.permissions:
        return ()
    data_filter = table_filter(mesh, share, table)
    if data_filter is None:
        return tuple(table.pii_columns)
    return tuple(c.name for c in table.columns if data_filter.columns and c.name not in data_filter.columns)


def _share_readers(mesh: Mesh, share: Share) -> list[Reader]:
    product = mesh.product(share.producer, share.product)
    tables = product.tables_named(share.tables)
    several = len(product.tables) > 1
    withheld = tuple(
        f"{t.name}.{column}" if several else column for t in tables for column in _withheld(mesh, share, t)
    )
    rows = share.decision.rows if share.decision and Permission.SELECT in share.permissions else None
    return [
        Reader(
            f"{share.producer}.{share.product}",
            share.consumer,
            principal.name,
            principal_arn(mesh, share.consumer, principal),
            engine_text(principal),
            tuple(p.value for p in share.permissions),
            tuple(t.name for t in tables),
            rows,
            withheld,
        )
        for principal in share_readers(mesh, share)
    ]


def readers(mesh: Mesh, today: date | None = None, product: str | None = None) -> list[Reader]:
    """Every principal a granted share (of ``product``, ``<producer>.<product>``) reaches, in share order."""
    return [
        r
        for share in mesh.granted_shares(today=today)
        if product is None or f"{share.producer}.{share.product}" == product
        for r in _share_readers(mesh, share)
    ]
