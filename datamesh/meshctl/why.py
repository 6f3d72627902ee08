"""``meshctl why``: why a principal can or cannot read a product, link by link."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

STYLES = {"ok": "green", "broken": "red", "not read": "yellow"}


def why(
    principal: Annotated[
        str,
        typer.Argument(
            help="A domain (its analyst role), DOMAIN/PRINCIPAL, or a principal's name or role a domain file lists."
        ),
    ],
    product: Annotated[str, typer.Argument(metavar="PRODUCT", help="<domain>.<product>")],
    table: Annotated[str | None, typer.Option("--table", help="One table of the product. Default: all.")] = None,
    column: Annotated[str | None, typer.Option("--column", help="One column: is it read, or withheld and why?")] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Answer from the files alone.")] = False,
    mesh: output.MeshOption = Path("mesh.yaml"),
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    today: output.TodayOption = None,
    json: output.JsonOption = False,
) -> None:
    """Why PRINCIPAL can or cannot read PRODUCT: the chain a query walks, one line per link.

    The files (subscription, decision, expiry, principal, permission, tables, columns), then the accounts as
    doctor checks them (role, workgroup, catalog key, Lake Formation settings, resource link, the principal's
    grants, the AWS RAM share, the governance catalog's grant to the account, the table, the data location,
    the producer's bucket and key). For the first broken link: the fix and who must act.
    Exit 0 when the principal can read what was asked, 1 when not, 4 if an account could not be read.
    """
    loaded = output.load(mesh)
    from datamesh.why.chain import ask, tables_of
    from datamesh.why.principals import UnknownPrincipal, reader

    if "." not in product or product.split(".", 1)[0] not in {d.name for d in loaded.domains}:
        output.fail(ExitCode.USAGE, f"no product {product!r}: expected <domain>.<product> of the files")
    producer, name = product.split(".", 1)
    if name not in {p.name for p in loaded.domain(producer).products}:
        output.fail(ExitCode.USAGE, f"no product {product!r} in domains/{producer}.yaml")
    try:
        who = reader(loaded, principal)
        tables = tables_of(loaded, product, table, column)
    except (UnknownPrincipal, ValueError) as exc:
        output.fail(ExitCode.USAGE, str(exc))
    settings = (
        None if offline else aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    )
    options = ("--endpoint-url", endpoint_url) if endpoint_url else ()
    answer = ask(loaded, who, product, tables, column, today.date() if today else date.today(), settings, None, options)
    if json:
        output.emit_json(_record(answer))
    else:
        _print(answer)
    if answer.errors and answer.files_grant:
        raise typer.Exit(int(ExitCode.AWS))
    if not answer.can_read:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def _record(answer) -> dict[str, object]:  # noqa: ANN001
    first = answer.first_broken
    return {
        "principal": answer.reader.principal.name,
        "domain": answer.reader.domain.name,
        "role": answer.reader.role_arn,
        "product": answer.product,
        "tables": list(answer.tables),
        "column": answer.column,
        "can_read": answer.can_read,
        "offline": answer.offline,
        "links": [
            {"link": link.name, "where": link.where, "says": link.says, "status": link.status} for link in answer.links
        ],
        "first_broken": None
        if first is None
        else {"link": first.name, "where": first.where, "fix": first.fix, "who": first.who},
        "errors": answer.errors,
    }


def _print(answer) -> None:  # noqa: ANN001
    what = f"{answer.product} ({', '.join(answer.tables)})" + (f" column {answer.column}" if answer.column else "")
    output.line(f"can {answer.reader} read {what}?")
    width = max(len(link.name) for link in answer.links)
    for link in answer.links:
        output.line(f"  {link.status:8}  {link.name:{width}}  {link.where}: {link.says}", style=STYLES[link.status])
    first = answer.first_broken
    if first is not None:
        output.line(f"first broken link: {first.name} ({first.where})", style="bold red")
        output.line(f"  fix: {first.fix}")
        output.line(f"  who: {first.who}")
    for line in answer.errors:
        output.error(line)
    if answer.errors and answer.files_grant:
        output.line("the files grant it; an account could not be read, so the accounts' links are not judged")
    elif answer.offline and answer.can_read:
        output.line("yes, as far as the files say: answered from the files alone (--offline), no account was read")
    elif answer.can_read:
        output.line("yes: every link is ok", style="bold green")
    else:
        output.line("no", style="bold red")
