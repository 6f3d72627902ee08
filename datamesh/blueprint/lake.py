"""The lake's side of a mesh in the central catalog: products' databases and tables, their LF-tags, and every grant."""

from __future__ import annotations

from datetime import date

from datamesh.blueprint.filters import table_filter
from datamesh.blueprint.specs import Column, Database, Grant, Link, QualityRuleset, Resource, StorageFormat, Table
from datamesh.config import Mesh, Permission, Share
from datamesh.config.models import ANALYST, Principal, Product, ProductTable
from datamesh.config.models import StorageFormat as Format
from datamesh.contracts import dqdl
from datamesh.contracts.projection import projection_parameters
from datamesh.names import naming

CONFIDENTIALITY_TAG = "confidentiality"
PII_TAG = "pii"
PRODUCER_DATABASE_PERMISSIONS = ("ALTER", "CREATE_TABLE", "DESCRIBE", "DROP")
# Data access through Lake Formation is read-only (the registration role only reads), so no INSERT or DELETE.
PRODUCER_TABLE_PERMISSIONS = ("ALTER", "DESCRIBE", "DROP", "SELECT")

_TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
_TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
FORMATS: dict[Format, StorageFormat] = {
    Format.PARQUET: StorageFormat(
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
    ),
    Format.ORC: StorageFormat(
        "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
        "org.apache.hadoop.hive.ql.io.orc.OrcSerde",
    ),
    Format.AVRO: StorageFormat(
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
        "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat",
        "org.apache.hadoop.hive.serde2.avro.AvroSerDe",
    ),
    Format.JSON: StorageFormat(_TEXT_IN, _TEXT_OUT, "org.openx.data.jsonserde.JsonSerDe"),
    Format.CSV: StorageFormat(
        _TEXT_IN,
        _TEXT_OUT,
        "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        (("field.delim", ","), ("skip.header.line.count", "1")),
    ),
}


def product_location(mesh: Mesh, domain: str, product: str) -> str:
    """``s3://`` URI of a product's prefix in its producer's data bucket, ending in ``/``."""
    cfg = mesh.config
    return f"s3://{naming.data_bucket(cfg.name, domain, mesh.domain(domain).account, cfg.region)}/{product}/"


def contract_parameters(product: Product) -> dict[str, str]:
    """Contract id and version, freshness SLA and owner, shown with the table in the catalog."""
    contract = product.data_contract
    if contract is None:
        return {}
    found = {
        "datamesh:contract-id": contract.id,
        "datamesh:contract-version": contract.version,
        "datamesh:contract-status": contract.status,
        "datamesh:freshness": contract.freshness,
        "datamesh:owner": contract.owner,
    }
    return {key: value for key, value in found.items() if value}


def _column_levels(product: Product, table: ProductTable) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Columns classified differently from their product, by level: they carry their own confidentiality tag."""
    levels: dict[str, list[str]] = {}
    for column in [*table.columns, *table.partition_keys]:
        if column.confidentiality and column.confidentiality != product.confidentiality:
            levels.setdefault(column.confidentiality, []).append(column.name)
    return tuple((level, tuple(columns)) for level, columns in sorted(levels.items()))


def _quality(database: str, product: Product, table: ProductTable) -> QualityRuleset | None:
    contract = product.data_contract
    rules = dqdl.ruleset(table.source) if contract and table.source else None
    if rules is None:
        return None
    return QualityRuleset(
        naming.quality_ruleset(database, product.name, table.name),
        f"Quality rules of contract {contract.id} version {contract.version}",
        rules,
    )


def _table(database: str, product: Product, table: ProductTable, location: str) -> Table:
    parameters = {
        "classification": product.format.value,
        "datamesh:confidentiality": product.confidentiality,
        **contract_parameters(product),
        **projection_parameters(table, location),
    }
    every = (*table.columns, *table.partition_keys)
    return Table(
        table.name,
        location,
        tuple((c.name, c.type) for c in table.columns),
        tuple((c.name, c.type) for c in table.partition_keys),
        tuple(table.pii_columns),
        description=table.description,
        comments=tuple((c.name, c.description) for c in every if c.description),
        parameters=tuple(parameters.items()),
        storage=FORMATS[product.format],
        column_levels=_column_levels(product, table),
        quality=_quality(database, product, table),
        primary=table.name == product.name,
    )


def columns(table: Table) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    """The table's columns and partition keys with their comments."""
    comments = dict(table.comments)
    return (
        tuple(Column(n, t, comments.get(n, "")) for n, t in table.columns),
        tuple(Column(n, t, comments.get(n, "")) for n, t in table.partition_keys),
    )


def databases(mesh: Mesh, producer: str | None = None) -> list[Database]:
    """Every product's database (of one ``producer``, if given), in domain and product order."""
    result = []
    for domain in mesh.producers:
        if producer is not None and domain.name != producer:
            continue
        for product in domain.products:
            name = naming.database(domain.name, product.name)
            location = product_location(mesh, domain.name, product.name)
            tables = tuple(_table(name, product, t, location + t.folder) for t in product.tables)
            tags = (
                (CONFIDENTIALITY_TAG, product.confidentiality),
                (naming.domain_tag_key(domain.name, len(mesh.domains)), domain.name),
            )
            result.append(
                Database(
                    domain.name,
                    product.name,
                    name,
                    location,
                    tags,
                    tables,
                    description=product.description,
                    confidentiality=product.confidentiality,
                )
            )
    return result


def data_locations(mesh: Mesh) -> dict[str, str]:
    """Registered data location (bucket ARN) of each producer, by domain."""
    cfg = mesh.config
    return {
        d.name: f"arn:aws:s3:::{naming.data_bucket(cfg.name, d.name, d.account, cfg.region)}" for d in mesh.producers
    }


def producer_grants(mesh: Mesh, producer: str | None = None) -> list[Grant]:
    """Each producer account manages its products' databases and every table in them, with grant option."""
    catalog = mesh.config.governance_account
    result = []
    for db in databases(mesh, producer):
        account = mesh.domain(db.domain).account
        reference = f"{db.domain}.{db.product}"
        result += [
            Grant(
                "",
                reference,
                account,
                Resource(db.name, catalog=catalog),
                PRODUCER_DATABASE_PERMISSIONS,
                PRODUCER_DATABASE_PERMISSIONS,
                catalog,
            ),
            Grant(
                "",
                reference,
                account,
                Resource(db.name, "*", catalog=catalog),
                PRODUCER_TABLE_PERMISSIONS,
                PRODUCER_TABLE_PERMISSIONS,
                catalog,
            ),
        ]
    return result


def readable_columns(table: ProductTable) -> tuple[str, ...]:
    """The include list a share's SELECT names on a table with pii columns: every other column, then every
    partition key (Lake Formation applies no column filtering to partition keys), in the files' order."""
    return (*(c.name for c in table.columns if not c.pii), *(k.name for k in table.partition_keys))


def share_grants(mesh: Mesh, share: Share, principal: str, catalog: str) -> list[Grant]:
    """DESCRIBE on the database (or the resource link of that name, and then on its target), and on each
    table the share covers DESCRIBE and SELECT as ``share`` asks, in that order.

    ``catalog``: the account that grants; the governance account grants consumer accounts, with grant
    option; a consumer account grants its analyst, without, on its resource link, on the link's target
    database (a grant on a link grants nothing on its target) and on the governance catalog's tables.

    One Lake Formation identity (principal and resource, as Lake Formation stores it) per grant: SELECT
    on a table's columns with nothing withheld is stored as SELECT on the table, so a table without pii
    columns gets one grant holding both permissions. With pii columns, SELECT names the readable columns
    (an include list: with the grant option Lake Formation refuses an exclude list), a resource of its
    own beside DESCRIBE on the table.
    """
    product = mesh.product(share.producer, share.product)
    database = naming.database(share.producer, share.product)
    reference = f"{share.producer}.{share.product}"
    governance = mesh.config.governance_account
    grantable = catalog == governance

    def grant(resource: Resource, *permissions: str) -> Grant:
        return Grant(
            share.consumer, reference, principal, resource, permissions, permissions if grantable else (), catalog
        )

    result = [grant(Resource(database, catalog=catalog), "DESCRIBE")]
    if not grantable:
        result.append(grant(Resource(database, catalog=governance), "DESCRIBE"))
    describe, select = Permission.DESCRIBE in share.permissions, Permission.SELECT in share.permissions
    for table in product.tables_named(share.tables):
        whole = Resource(database, table.name, catalog=governance)
        data_filter = table_filter(mesh, share, table)
        if data_filter is not None:  # SELECT on the approval's slice: a grant on the filter, beside DESCRIBE
            if describe:
                result.append(grant(whole, "DESCRIBE"))
            result.append(
                grant(Resource(database, table.name, catalog=governance, data_filter=data_filter.name), "SELECT")
            )
        elif table.pii_columns:
            if describe:
                result.append(grant(whole, "DESCRIBE"))
            if select:
                result.append(
                    grant(Resource.columns_of(database, table.name, readable_columns(table), governance), "SELECT")
                )
        else:
            result.append(grant(whole, *(("DESCRIBE",) if describe else ()), *(("SELECT",) if select else ())))
    return result


def grants(mesh: Mesh, today: date | None = None, producer: str | None = None) -> list[Grant]:
    """The catalog stacks' grants to consumer accounts, with grant option, for every granted share (of ``producer``)."""
    governance = mesh.config.governance_account
    return [
        g
        for share in mesh.granted_shares(producer=producer, today=today)
        for g in share_grants(mesh, share, mesh.domain(share.consumer).account, governance)
    ]


def principal_arn(mesh: Mesh, consumer: str, principal: Principal) -> str:
    """Lake Formation's identifier of one of ``consumer``'s principals: an Identity Center user's or group's ARN,
    else the ARN of its own role, else of the mesh's analyst role."""
    if principal.identity_center is not None:
        return naming.identity_center_principal(*principal.identity_center)
    account = mesh.domain(consumer).account
    return naming.role_arn(account, principal.role or naming.analyst_role(mesh.config.name, consumer))


def principal_grants(mesh: Mesh, consumer: str, today: date | None = None) -> list[Grant]:
    """The access stack's grants to ``consumer``'s principals (the analyst role unless the domain lists others),
    none with grant option, share by share and in each share principal by principal: DESCRIBE on the
    resource link (in the consumer's catalog, named like the database), the rest on the governance
    catalog's database and tables (each resource's ``catalog`` says which)."""
    account = mesh.domain(consumer).account
    return [
        g
        for share in mesh.granted_shares(consumer=consumer, today=today)
        for principal in share_readers(mesh, share)
        for g in share_grants(mesh, share, principal_arn(mesh, consumer, principal), account)
    ]


def share_readers(mesh: Mesh, share: Share) -> tuple[Principal, ...]:
    """The consumer's principals a share goes to: those its subscription names, else all its readers."""
    return tuple(p for p in mesh.domain(share.consumer).readers if not share.principals or p.name in share.principals)


def analyst_grants(mesh: Mesh, consumer: str, today: date | None = None) -> list[Grant]:
    """The access stack's grants to ``consumer``'s analyst role (of :func:`principal_grants`)."""
    analyst = principal_arn(mesh, consumer, ANALYST)
    return [g for g in principal_grants(mesh, consumer, today) if g.principal == analyst]


def resource_links(mesh: Mesh, today: date | None = None, consumer: str | None = None) -> list[Link]:
    governance = mesh.config.governance_account
    return [
        Link(
            s.consumer,
            mesh.domain(s.consumer).account,
            naming.database(s.producer, s.product),
            governance,
            naming.database(s.producer, s.product),
        )
        for s in mesh.granted_shares(consumer=consumer, today=today)
    ]
