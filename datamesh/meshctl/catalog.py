"""``meshctl catalog search``: find data products in the files or, with --live, in the Glue catalog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # loaded by the command itself, so that meshctl and its --help start at once
    from datamesh.config import Mesh
    from datamesh.report import search

app = typer.Typer(help="Find data products.", no_args_is_help=True)


def _tags(pairs: list[str]) -> dict[str, str]:
    tags = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise typer.BadParameter(f"{pair!r}: use KEY=VALUE, e.g. confidentiality=internal", param_hint="--tag")
        tags[key] = value
    return tags


def live_entries(mesh: Mesh, settings: aws.Settings) -> list[search.Entry]:
    """Entries of the governance account's Glue catalog, read with paginators."""
    from datamesh.report import search

    catalog = mesh.config.governance_account
    glue = aws.Accounts(settings).client(catalog, "governance", "glue")
    databases = list(aws.items(glue, "get_databases", "DatabaseList", CatalogId=catalog))
    tables = {}
    with output.progress() as bar:
        task = bar.add_task("reading tables", total=len(databases))
        for database in databases:
            tables[database["Name"]] = list(
                aws.items(glue, "get_tables", "TableList", CatalogId=catalog, DatabaseName=database["Name"])
            )
            bar.advance(task)
    return search.entries_from_glue(databases, tables)


@app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="Words to look for (all must match); '' lists everything.")] = "",
    domain: Annotated[str | None, typer.Option("--domain", help="Only this domain's products.")] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            metavar="KEY=VALUE",
            help="Only products with this tag: domain, confidentiality, format or pii (repeat it).",
        ),
    ] = None,
    column: Annotated[
        str | None, typer.Option("--column", metavar="NAME", help="Only products with this column.")
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Search the governance account's Glue catalog, not the files.")
    ] = False,
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    mesh: output.MeshOption = Path("mesh.yaml"),
    json: output.JsonOption = False,
) -> None:
    """Find products by name, description, owner, tag or column, best match first.

    Score per word: product name 10 (exact) or 6 (part), column name 5 or 3, domain 4,
    tag value 3, description 2, owner 2, column description 1.
    """
    from datamesh.report import search

    tags = _tags(tag or [])
    loaded = output.load(mesh)
    if live:
        settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
        try:
            entries = live_entries(loaded, settings)
        except aws.AWS_FAILURES as exc:
            output.fail(ExitCode.AWS, aws.explain(exc, f"governance account {loaded.config.governance_account}"))
    else:
        entries = search.entries_from_mesh(loaded)
    hits = search.search(entries, text, domain=domain, tags=tags, column=column)
    if json:
        output.emit_json(
            [
                {
                    "product": f"{h.entry.domain}.{h.entry.product}",
                    "domain": h.entry.domain,
                    "score": h.score,
                    "matched": list(h.matched),
                    "description": h.entry.description,
                    "owner": h.entry.owner,
                    "tags": h.entry.tags,
                    "columns": [name for name, _ in h.entry.columns],
                }
                for h in hits
            ]
        )
        return
    source = "the Glue catalog" if live else "the files"
    table = Table(title=f"{len(hits)} product(s) in {source} matching {text!r}", title_justify="left")
    for name in ("score", "product", "description", "confidentiality", "matched on"):
        table.add_column(name)
    for h in hits:
        table.add_row(
            output.cell(h.score),
            output.cell(f"{h.entry.domain}.{h.entry.product}", "bold"),
            output.cell(h.entry.description),
            output.cell(h.entry.tags.get("confidentiality", "")),
            output.cell(", ".join(h.matched)),
        )
    output.show(table)


@app.command("readers")
def readers_command(
    product: Annotated[
        str | None,
        typer.Argument(metavar="DOMAIN.PRODUCT", help="Only this product's readers.", show_default=False),
    ] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
    json: output.JsonOption = False,
) -> None:
    """Who can read each product: per granted share, the consumer domain's principals it reaches, the engine
    each reads with, the rows the approval keeps and the columns withheld (pii and the approval's).

    From the files as the next deploy grants them (today's shares).
    """
    from datamesh.report.readers import readers

    loaded = output.load(mesh)
    known = [f"{d.name}.{p.name}" for d in loaded.domains for p in d.products]
    if product is not None and product not in known:
        raise typer.BadParameter(f"no product {product!r} (products: {', '.join(known)})", param_hint="DOMAIN.PRODUCT")
    found = readers(loaded, product=product)
    if json:
        output.emit_json([r.as_json() for r in found])
        return
    table = Table(title=f"who can read {product or 'the products of mesh ' + loaded.config.name}", title_justify="left")
    for name in ("product", "domain", "principal", "engine", "permissions", "rows", "columns withheld"):
        table.add_column(name)
    for r in found:
        table.add_row(
            output.cell(r.product, "bold"),
            output.cell(r.consumer),
            output.cell(f"{r.principal} ({r.role.rsplit('/', 1)[-1]})"),
            output.cell(r.engine),
            output.cell(", ".join(r.permissions)),
            output.cell(r.rows or "every row"),
            output.cell(", ".join(r.withheld) or "none"),
        )
    output.show(table)
