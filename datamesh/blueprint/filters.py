"""Data cells filters: the slice of a table a producer's approval grants (some rows, fewer columns).

A filter lives in the governance catalog, on the table (Lake Formation's data filters do not work on
resource links: "Data filtering limitations"); the governance account grants SELECT on it to the
consumer account with the grant option, and the consumer account grants it on to its principals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from datamesh.config import Mesh, Permission, Share
from datamesh.config.models import ProductTable
from datamesh.names import naming


@dataclass(frozen=True, order=True)
class DataFilter:
    """One data cells filter on one table of the governance catalog, for one consumer.

    ``columns``: the include list (every column not withheld, then the partition keys); empty when nothing
    is withheld (all columns). ``rows``: the row filter expression; None for every row.
    """

    consumer: str
    product: str  # <producer>.<product>
    catalog: str
    database: str
    table: str
    name: str
    rows: str | None
    columns: tuple[str, ...]

    def api(self) -> dict[str, object]:
        """The ``TableData`` of Lake Formation's CreateDataCellsFilter and GetDataCellsFilter."""
        found: dict[str, object] = {
            "TableCatalogId": self.catalog,
            "DatabaseName": self.database,
            "TableName": self.table,
            "Name": self.name,
            "RowFilter": {"FilterExpression": self.rows} if self.rows is not None else {"AllRowsWildcard": {}},
        }
        if self.columns:
            found["ColumnNames"] = list(self.columns)
        else:
            found["ColumnWildcard"] = {}
        return found


def table_filter(mesh: Mesh, share: Share, table: ProductTable) -> DataFilter | None:
    """The filter a share's approval puts on ``table``; None when the approval grants the whole table."""
    decision = share.decision
    if decision is None or not decision.filters or Permission.SELECT not in share.permissions:
        return None
    withheld = {*decision.withhold, *table.pii_columns}
    columns = tuple(c.name for c in table.columns if c.name not in withheld)
    everything = len(columns) == len(table.columns)
    return DataFilter(
        share.consumer,
        f"{share.producer}.{share.product}",
        mesh.config.governance_account,
        naming.database(share.producer, share.product),
        table.name,
        naming.data_filter(mesh.config.name, share.consumer),
        decision.rows,
        () if everything else (*columns, *(k.name for k in table.partition_keys)),
    )


def data_filters(mesh: Mesh, today: date | None = None, producer: str | None = None) -> list[DataFilter]:
    """The filters of every granted share (of ``producer``), in share and table order."""
    found = []
    for share in mesh.granted_shares(producer=producer, today=today):
        product = mesh.product(share.producer, share.product)
        found += [f for t in product.tables_named(share.tables) if (f := table_filter(mesh, share, t))]
    return found
