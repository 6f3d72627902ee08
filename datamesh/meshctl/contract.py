"""``meshctl contract diff``: what changed in data contracts, and whether it breaks consumers."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

if TYPE_CHECKING:  # imported where used, so that meshctl and its --help start at once
    from datamesh.config import Mesh, Problem
    from datamesh.contracts import Contract
    from datamesh.contracts.compatibility import Change

app = typer.Typer(help="Data contracts (ODCS v3) of the products.", no_args_is_help=True)


@dataclass(frozen=True)
class BrokenFilter:
    """A producer's approval whose row filter or withheld columns the new contract's tables refuse."""

    consumer: str
    product: str
    file: str  # the producer's domain file
    field: str
    reason: str

    def problem(self) -> Problem:
        from datamesh.config import Problem

        return Problem(
            self.file, self.field, f"{self.consumer}'s subscription to {self.product}: {self.reason} after the change"
        )


def broken_filters(mesh: Mesh, domain: str, product: str, before: Contract, after: Contract) -> list[BrokenFilter]:
    """The approvals of ``domain.product`` in ``mesh`` whose filters ``before`` takes and ``after`` refuses."""
    from datamesh.config.consumers import broken_filters as broken
    from datamesh.config.loader import display_path
    from datamesh.shares.yaml_files import domain_file

    producer = mesh.domain(domain)
    i, found = next((i, p) for i, p in enumerate(producer.products) if p.name == product)
    file = display_path(domain_file(mesh.source, domain))
    return [
        BrokenFilter(
            found.decisions[j].consumer, f"{domain}.{product}", file, f"products[{i}].decisions[{j}].{field}", why
        )
        for j, field, why in broken(found, before, after)
    ]


@dataclass(frozen=True)
class ContractChange:
    """How one product's contract changed, and who consumes the product."""

    file: str
    product: str
    old_version: str
    new_version: str
    changes: list[Change]
    consumers: list[str]
    unannounced: bool  # breaking without a new major version
    broken_filters: list[BrokenFilter]

    @classmethod
    def of(
        cls,
        file: str,
        product: str,
        before: Contract,
        after: Contract,
        consumers: list[str],
        broken: list[BrokenFilter],
    ) -> ContractChange:
        from datamesh.contracts.compatibility import diff, needs_major_version

        changes = diff(before, after)
        return cls(
            file,
            product,
            before.version,
            after.version,
            changes,
            consumers,
            needs_major_version(before, after, changes),
            broken,
        )

    def problem(self) -> Problem:
        from datamesh.config import Problem

        breaking = "; ".join(f"{c.where} {c.what}" if c.where else c.what for c in self.changes if c.breaking)
        who = f"consumers affected: {', '.join(self.consumers)}" if self.consumers else "no consumers yet"
        return Problem(
            self.file,
            "version",
            f"breaking change without a major version bump "
            f"({self.old_version} -> {self.new_version}): {breaking}; {who}",
        )


def contract_file(mesh: Mesh, domain: str, product: str) -> str:
    """Where a product's contract is written: its own file, or inline in the domain file."""
    from datamesh.config.loader import display_path
    from datamesh.shares.yaml_files import domain_file

    source = mesh.product(domain, product).contract
    folder = domain_file(mesh.source, domain)
    return display_path(folder.parent / source) if isinstance(source, str) else display_path(folder)


def contract_changes(old: Mesh, new: Mesh) -> list[ContractChange]:
    """Every product with a contract in both meshes whose contract changed."""
    from datamesh.contracts.compatibility import diff

    found = []
    for domain in new.producers:
        for product in domain.products:
            after = product.data_contract
            before_domain = next((d for d in old.domains if d.name == domain.name), None)
            before_product = (
                next((p for p in before_domain.products if p.name == product.name), None) if before_domain else None
            )
            before = before_product.data_contract if before_product else None
            if after is None or before is None:
                continue
            changes = diff(before, after)
            broken = {c.table for c in changes if c.breaking}
            consumers = sorted(
                {
                    s.consumer
                    for s in new.granted_shares(producer=domain.name)
                    if s.product == product.name and (None in broken or not s.tables or broken & set(s.tables))
                }
            )
            change = ContractChange.of(
                contract_file(new, domain.name, product.name),
                f"{domain.name}.{product.name}",
                before,
                after,
                consumers,
                broken_filters(new, domain.name, product.name, before, after),
            )
            if change.changes:
                found.append(change)
    return found


def unannounced_problems(old: Mesh, new: Mesh) -> list[Problem]:
    """One line per product whose contract breaks without a major bump (``validate --since``)."""
    return [c.problem() for c in contract_changes(old, new) if c.unannounced and c.consumers]


def _read(path: Path) -> Contract:
    """The contract in ``path``.

    :raises ConfigError: with every reason it is not one.
    """
    from datamesh.config import ConfigError, Problem
    from datamesh.config.loader import display_path, read_mapping
    from datamesh.contracts import load_contract

    unreadable: list[Problem] = []
    data = read_mapping(path, unreadable)
    if data is None:
        raise ConfigError(unreadable)
    contract, problems = load_contract(data)
    if contract is None:
        raise ConfigError([Problem(display_path(path), field, reason) for field, reason in problems])
    return contract


def _show(changes: list[ContractChange], json: bool) -> None:
    if json:
        output.emit_json(
            [
                {
                    "file": c.file,
                    "product": c.product,
                    "old_version": c.old_version,
                    "new_version": c.new_version,
                    "consumers": c.consumers,
                    "needs_major_version": c.unannounced,
                    "changes": [
                        {"table": x.table, "column": x.column, "what": x.what, "breaking": x.breaking}
                        for x in c.changes
                    ],
                    "broken_filters": [
                        {"consumer": b.consumer, "file": b.file, "field": b.field, "reason": b.reason}
                        for b in c.broken_filters
                    ],
                }
                for c in changes
            ]
        )
        return
    if not changes:
        output.line("no contract changes")
    for change in changes:
        table = Table(
            title=f"{change.product} {change.old_version} -> {change.new_version} ({change.file})", title_justify="left"
        )
        for column in ("", "table", "column", "change"):
            table.add_column(column)
        for item in change.changes:
            table.add_row(
                output.cell("BREAKING" if item.breaking else "compatible", "red" if item.breaking else "green"),
                item.table or "",
                item.column or "",
                item.what,
            )
        output.show(table)
        if change.broken_filters:
            broken = Table(title=f"approvals of {change.product} whose filters the change breaks", title_justify="left")
            for column in ("consumer", "file", "field", "why"):
                broken.add_column(column)
            for b in change.broken_filters:
                broken.add_row(output.cell(b.consumer, "bold"), b.file, b.field, output.cell(b.reason, "red"))
            output.show(broken)


def _file_product(mesh_file: Path, *paths: Path) -> tuple[Mesh, str, str] | None:
    """The mesh beside ``mesh_file`` (approvals unchecked) and the product whose contract file is one of ``paths``;
    None when there is no mesh file or no such product. A mesh that does not load is one warning line."""
    from datamesh.config import ConfigError, load_mesh
    from datamesh.shares.yaml_files import domain_file

    if not mesh_file.is_file():
        return None
    try:
        mesh = load_mesh(mesh_file, approvals=False)
    except ConfigError as exc:
        output.warning(
            f"approvals' filters not checked: {mesh_file} has {len(exc.problems)} problem(s) (`meshctl validate`)"
        )
        return None
    wanted = {p.resolve() for p in paths}
    for domain in mesh.producers:
        folder = domain_file(mesh.source, domain.name).parent
        for product in domain.products:
            if isinstance(product.contract, str) and (folder / product.contract).resolve() in wanted:
                return mesh, domain.name, product.name
    return None


@app.command("diff")
def contract_diff(
    old: Annotated[Path | None, typer.Argument(help="The earlier contract file.", show_default=False)] = None,
    new: Annotated[Path | None, typer.Argument(help="The later contract file.", show_default=False)] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="REF", help="Compare every product's contract with its version at this git revision."
        ),
    ] = None,
    mesh: output.MeshOption = Path("mesh.yaml"),
    json: output.JsonOption = False,
) -> None:
    """Classify contract changes as breaking (column removed or renamed, type narrowed, nullable to required...) or compatible.

    Give two contract files, or --since REF to compare every product's contract with a git revision.

    Exit 1 when a breaking change comes without a new major version (with --since: on a product that has consumers, who are named),
    or when it breaks an approval's row filter or withheld columns (a column they name removed or renamed): each such
    subscription is named. With two files, the approvals are those of the product whose contract file is OLD or NEW.
    """
    from datamesh.config.loader import display_path
    from datamesh.meshctl.plan import mesh_at

    if (old is None) != (new is None) or (old is None) == (since is None):
        output.fail(ExitCode.USAGE, "give OLD and NEW contract files, or --since REF")
    if since is None:
        assert old is not None and new is not None
        with output.exit_on_config_error("nothing was compared"):
            before, after = _read(old), _read(new)
        found = _file_product(mesh, old, new)
        broken = broken_filters(*found, before, after) if found else []
        named = f"{found[1]}.{found[2]}" if found else ", ".join(t.name for t in after.tables)
        change = ContractChange.of(display_path(new), named, before, after, [], broken)
        _show([change] if change.changes else [], json)
        failed = [str(change.problem())] if change.unannounced else []
        if failed or broken:
            output.fail(ExitCode.PROBLEMS, *failed, *(str(b.problem()) for b in broken))
        return
    # the approvals are checked against the changed contracts below, naming the subscriptions they break
    current = output.load(mesh, approvals=False)
    with tempfile.TemporaryDirectory() as scratch:
        with (
            output.exit_on_git_error(),
            output.exit_on_config_error(f"the files at {since} do not validate; nothing to compare with"),
        ):
            before_mesh = mesh_at(since, mesh, Path(scratch))
        changes = contract_changes(before_mesh, current) if before_mesh else []
    _show(changes, json)
    problems = unannounced_problems(before_mesh, current) if before_mesh else []
    problems += [b.problem() for c in changes for b in c.broken_filters]
    if problems:
        output.fail(ExitCode.PROBLEMS, *map(str, problems))
