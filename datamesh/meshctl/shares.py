"""``meshctl subscribe | approve | deny | revoke | shares``: the share lifecycle in the parameter files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.table import Table

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh, Permission, Share
    from datamesh.shares.yaml_files import Edit

ProductArgument = Annotated[str, typer.Argument(metavar="PRODUCER.PRODUCT", help="The product, e.g. sales.orders.")]
ConsumerArgument = Annotated[str, typer.Argument(metavar="CONSUMER", help="The consuming domain.")]
ByOption = Annotated[
    str | None,
    typer.Option("--by", metavar="EMAIL", help="Who decides. Defaults to the producer domain's owner e-mail."),
]


def _apply(mesh_file: Path, change: Callable[[Edit, Mesh], None]) -> Mesh:
    """Run ``change`` on the files of a valid mesh and save it; refusals and problems exit non-zero."""
    from datamesh.config import ConfigError
    from datamesh.shares import lifecycle
    from datamesh.shares.yaml_files import Edit

    mesh = output.load(mesh_file)
    edit = Edit(mesh_file)
    try:
        change(edit, mesh)
    except ValueError as exc:
        output.fail(ExitCode.USAGE, str(exc))
    except lifecycle.Refused as exc:
        output.fail(ExitCode.REFUSED, str(exc))
    try:
        return edit.save()
    except ConfigError as exc:
        output.report_problems(exc.problems)
        output.fail(ExitCode.PROBLEMS, "nothing was changed: the edit would leave the mesh invalid")


def _share(mesh: Mesh, consumer: str, reference: str) -> Share:
    return next(s for s in mesh.shares() if s.consumer == consumer and f"{s.producer}.{s.product}" == reference)


def _report(share: Share) -> None:
    from datamesh.config import ShareState

    hints = {
        ShareState.GRANTED: "granted: the next `cdk deploy` creates the grants and the resource link",
        ShareState.PENDING: f"pending until {share.producer} approves: "
        f"meshctl approve {share.producer}.{share.product} {share.consumer}",
        ShareState.DENIED: "denied: the next `cdk deploy` grants nothing",
        ShareState.EXPIRED: "expired: the next `cdk deploy` grants nothing",
    }
    output.line(
        f"{share.consumer} <- {share.producer}.{share.product}: {hints[share.state]}",
        style=output.STATE_STYLES[share.state.value],
    )


def _permissions(text: str) -> list[Permission]:
    from datamesh.config import Permission

    names = [part.strip().upper() for part in text.split(",") if part.strip()]
    allowed = ", ".join(p.value for p in Permission)
    try:
        permissions = [Permission(name) for name in names]
    except ValueError:
        raise typer.BadParameter(f"{text!r}: use a comma-separated list of {allowed}") from None
    if not permissions:
        raise typer.BadParameter(f"name at least one of {allowed}")
    return list(dict.fromkeys(permissions))


def subscribe(
    consumer: ConsumerArgument,
    product: ProductArgument,
    permissions: Annotated[
        str, typer.Option("--permissions", metavar="LIST", help="Comma-separated: SELECT, DESCRIBE.")
    ] = "SELECT,DESCRIBE",
    reason: Annotated[str, typer.Option("--reason", help="Why the domain needs it, for the producer's review.")] = "",
    expires: Annotated[
        datetime | None,
        typer.Option(
            "--expires", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="From this day on it grants nothing."
        ),
    ] = None,
    tables: Annotated[
        str,
        typer.Option("--tables", metavar="LIST", help="Comma-separated tables of the product; default: every table."),
    ] = "",
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Ask for a product: adds it to the consumer's consumes.

    Open products (shared_with: all) are granted at the next deploy; others wait for
    `meshctl approve`.
    """
    from datamesh.shares import lifecycle

    chosen = _permissions(permissions)
    until = expires.date() if expires else None
    if until is not None and until <= date.today():
        output.fail(ExitCode.USAGE, f"--expires {until} is not in the future")
    saved = _apply(
        mesh,
        lambda edit, m: lifecycle.subscribe(
            edit,
            m,
            consumer,
            product,
            permissions=chosen,
            reason=reason,
            expires=until,
            tables=[t.strip() for t in tables.split(",") if t.strip()],
        ),
    )
    _report(_share(saved, consumer, product))


def _decide(
    reference: str, consumer: str, decision: Literal["approved", "denied"], by: str | None, reason: str, mesh_file: Path
) -> None:
    from datamesh.shares import lifecycle

    def change(edit: Edit, mesh: Mesh) -> None:
        lifecycle.decide(edit, mesh, reference, consumer, decision=decision, by=by, today=date.today(), reason=reason)

    _report(_share(_apply(mesh_file, change), consumer, reference))


def approve(
    product: ProductArgument,
    consumer: ConsumerArgument,
    by: ByOption = None,
    reason: Annotated[str, typer.Option("--reason", help="Note kept with the decision.")] = "",
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Approve a consumer's request: adds it to the product's shared_with and records who decided and when."""
    _decide(product, consumer, "approved", by, reason, mesh)


def deny(
    product: ProductArgument,
    consumer: ConsumerArgument,
    by: ByOption = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the consumer.")] = "",
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Deny a consumer's request (withdrawing an approval if there was one) and record who decided and when."""
    _decide(product, consumer, "denied", by, reason, mesh)


def revoke(
    consumer: ConsumerArgument,
    product: ProductArgument,
    mesh: output.MeshOption = Path("mesh.yaml"),
) -> None:
    """Remove a subscription, with its approval and decision; the next deploy revokes the grants."""
    from datamesh.shares import lifecycle

    _apply(mesh, lambda edit, m: lifecycle.revoke(edit, m, consumer, product))
    output.line(f"{consumer} <- {product}: revoked; the next `cdk deploy` removes the grants and the resource link")


def share_record(share: Share) -> dict[str, object]:
    decision = share.decision
    return {
        "consumer": share.consumer,
        "product": f"{share.producer}.{share.product}",
        "permissions": [p.value for p in share.permissions],
        "state": share.state.value,
        "reason": share.reason,
        "expires": share.expires.isoformat() if share.expires else None,
        "decision": decision.decision if decision else None,
        "decided_by": decision.by if decision else None,
        "decided_on": decision.date.isoformat() if decision else None,
        "decision_reason": decision.reason if decision else None,
    }


def shares(
    domain: Annotated[
        str | None, typer.Option("--domain", help="Only shares this domain consumes or produces.")
    ] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
    json: output.JsonOption = False,
) -> None:
    """List every share with its state (granted, pending, denied, expired) and who decided."""
    loaded = output.load(mesh)
    if domain is not None and domain not in {d.name for d in loaded.domains}:
        output.fail(ExitCode.REFUSED, f"no domain {domain!r} in the mesh")
    selected = [s for s in loaded.shares() if domain in (None, s.consumer, s.producer)]
    records = [share_record(s) for s in selected]
    if json:
        output.emit_json(records)
        return
    table = Table(
        title=f"shares of mesh {loaded.config.name}" + (f", domain {domain}" if domain else ""), title_justify="left"
    )
    for column in ("consumer", "product", "permissions", "state", "decided by", "on", "expires", "reason"):
        table.add_column(column)
    for share, record in zip(selected, records, strict=False):
        reason = " / ".join(r for r in (record["reason"], record["decision_reason"]) if r)
        table.add_row(
            output.cell(share.consumer),
            output.cell(record["product"]),
            output.cell(", ".join(record["permissions"])),
            output.state_cell(share.state),
            output.cell(record["decided_by"]),
            output.cell(record["decided_on"]),
            output.cell(record["expires"]),
            output.cell(reason),
        )
    output.show(table)
