"""The whole chain for one principal and one product: the files' links, then the accounts', and the first fix."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from datamesh.why.files import file_links
from datamesh.why.links import Link
from datamesh.why.principals import Reader

if TYPE_CHECKING:
    import boto3

    from datamesh.aws.sessions import Settings
    from datamesh.config import Mesh
    from datamesh.config.models import ProductTable

PLATFORM_TEAM = "the platform team (a Lake Formation admin of the accounts)"


@dataclass(frozen=True)
class Answer:
    reader: Reader
    product: str
    tables: tuple[str, ...]
    column: str | None
    links: list[Link]
    errors: list[str] = field(default_factory=list)
    offline: bool = False

    @property
    def first_broken(self) -> Link | None:
        return next((link for link in self.links if link.ok is False), None)

    @property
    def files_grant(self) -> bool:
        return all(link.ok for link in self.links if link.where == "files")

    @property
    def can_read(self) -> bool:
        """Every link ok (offline: every link of the files)."""
        return all(link.ok for link in self.links) and not self.errors


def tables_of(mesh: Mesh, reference: str, table: str | None, column: str | None) -> tuple[ProductTable, ...]:
    """The tables asked about: ``table``, else the one holding ``column``, else every table of the product."""
    producer, product_name = reference.split(".", 1)
    product = mesh.product(producer, product_name)
    if table is not None:
        chosen = tuple(t for t in product.tables if t.name == table)
        if not chosen:
            raise ValueError(f"{reference} has no table {table!r} (tables: {', '.join(product.table_names)})")
        tables = chosen
    else:
        tables = product.tables
    if column is not None:
        holding = tuple(t for t in tables if column in {c.name for c in (*t.columns, *t.partition_keys)})
        if not holding:
            raise ValueError(f"no column {column!r} in {reference} ({', '.join(t.name for t in tables)})")
        if len(holding) > 1:
            raise ValueError(f"column {column!r} is in several tables of {reference}: name one with --table")
        tables = holding
    return tables


def ask(
    mesh: Mesh,
    reader: Reader,
    reference: str,
    tables: tuple[ProductTable, ...],
    column: str | None,
    today: date,
    settings: Settings | None,
    base: boto3.Session | None = None,
    repair_options: tuple[str, ...] = (),
) -> Answer:
    """The chain; ``settings`` None: the files alone (offline). ``repair_options``: the connection options the
    printed ``meshctl repair`` repeats (``--endpoint-url URL``)."""
    links = file_links(mesh, reader, reference, tables, column, today)
    answer = Answer(reader, reference, tuple(t.name for t in tables), column, links, offline=settings is None)
    if not answer.files_grant or settings is None:
        return answer
    from datamesh.blueprint import blueprint as blueprint_of
    from datamesh.why.accounts import Scope, account_links

    producer = reference.split(".", 1)[0]
    plan = blueprint_of(mesh, today)
    scope = Scope(plan, reader, producer, reference.replace(".", "_", 1), answer.tables)
    findings, errors, key_access, repairs = _read(plan, scope, settings, today, base)
    links = [*links, *account_links(scope, findings, key_access)]
    if errors:
        return replace(answer, links=links, errors=errors)
    return replace(answer, links=_with_fix(links, reader, repairs, repair_options))


def _read(plan, scope, settings, today, base):  # noqa: ANN001, ANN202 - the tuple of ask's reads
    """Doctor's run on the three accounts involved, the principal's use of the catalog key, and the repairs
    doctor's drift findings there would take."""
    from datamesh.aws import sessions as aws
    from datamesh.blueprint import CATALOG_KEY_ACTIONS
    from datamesh.blueprint.accounts import GOVERNANCE
    from datamesh.doctor.read_once import ReadOnce
    from datamesh.doctor.resources import check_key_access
    from datamesh.doctor.run import run_checks
    from datamesh.names import naming
    from datamesh.repair.actions import plan as repair_plan

    mesh, cfg = plan.mesh, plan.mesh.config
    involved = {scope.consumer_account, scope.governance, scope.producer_account}
    findings, errors = run_checks(mesh, settings, today, base, only=involved)
    if errors:
        return findings, errors, None, []
    accounts = aws.Accounts(settings, base)
    labels = {cfg.governance_account: GOVERNANCE, **{d.account: d.name for d in mesh.domains}}

    def client(account: str, service: str):  # noqa: ANN202
        return accounts.client(account, labels[account], service)

    try:
        key_access = check_key_access(
            client,
            ReadOnce(),
            scope.reader.domain.name,
            scope.reader.role_arn,
            cfg.governance_account,
            naming.catalog_key_alias(cfg.name),
            CATALOG_KEY_ACTIONS,
            f"glue.{cfg.region}.amazonaws.com",
        )
        key_access = replace(key_access, account=scope.consumer_account)
        actions, _ = repair_plan(plan, [*findings, key_access], client)
    except aws.AWS_FAILURES as exc:
        return findings, [aws.explain(exc, "the catalog key")], None, []
    return findings, [], key_access, actions


def _with_fix(links: list[Link], reader: Reader, repairs: list, options: tuple[str, ...]) -> list[Link]:
    """The first broken account link with its fix: ``meshctl repair`` of every repairable drift finding of the
    chain (so that, run, it restores the whole chain), else what a person must do."""
    first = next((i for i, link in enumerate(links) if link.ok is False), None)
    if first is None or links[first].fix:
        return links
    chain = {f for link in links for f in link.findings if f.drift}
    mine = [a for a in repairs if a.finding in chain]
    broken = {f for f in links[first].findings if f.drift}
    if broken and broken <= {a.finding for a in mine}:
        selectors = []
        for finding in dict.fromkeys(a.finding for a in mine):
            selectors += ["--check", finding.check, "--resource", finding.resource]
        fix = shlex.join(["meshctl", "repair", *selectors, *options])
        who = PLATFORM_TEAM
    elif links[first].name == "share":
        fix, who = "meshctl deploy (it accepts the consumers' AWS RAM invitations between its waves)", PLATFORM_TEAM
    elif links[first].name == "role" and reader.principal.role:
        fix = f"create the role {reader.role}, or correct principals[].role in domains/{reader.domain.name}.yaml"
        who = f"{reader.domain.name}'s owner ({reader.domain.owner.email})"
    else:
        fix, who = "meshctl deploy, then meshctl doctor (not a drift meshctl repair puts back)", PLATFORM_TEAM
    return [*links[:first], replace(links[first], fix=fix, who=who), *links[first + 1 :]]
