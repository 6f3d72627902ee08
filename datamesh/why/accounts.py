"""The links of the chain the accounts hold, in the order a query walks them, judged by doctor's own checks.

Each link gathers the findings of doctor's run (on the three accounts involved) that concern this principal,
this product and these tables; a link is broken when one of them is missing or different. Nothing here says
what a grant or a resource should be: the blueprint does, through doctor.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from datamesh.blueprint import Blueprint
from datamesh.doctor.findings import Finding, Status
from datamesh.names import naming
from datamesh.why.links import Link
from datamesh.why.principals import Reader

Select = Callable[[Finding], bool]


@dataclass(frozen=True)
class Scope:
    """Whom and what the chain is about: the accounts, the database, the tables."""

    blueprint: Blueprint
    reader: Reader
    producer: str
    database: str
    tables: tuple[str, ...]

    @property
    def consumer_account(self) -> str:
        return self.reader.domain.account

    @property
    def governance(self) -> str:
        return self.blueprint.mesh.config.governance_account

    @property
    def producer_account(self) -> str:
        return self.blueprint.mesh.domain(self.producer).account

    def on_tables(self, resource: str) -> bool:
        """A grant's subject names this database, or one of these tables."""
        names = "|".join(re.escape(t) for t in self.tables)
        db = re.escape(self.database)
        return bool(
            re.search(rf"\bdatabase {db}( of the governance catalog)?$", resource)
            or re.search(rf"\btable {db}\.({names})( |$)", resource)
        )


def _where(scope: Scope, account: str) -> str:
    names = {scope.governance: "governance", **{d.account: d.name for d in scope.blueprint.mesh.domains}}
    return f"{names.get(account, '?')} {account}"


def _judged(name: str, where: str, findings: list[Finding], empty: str) -> Link:
    """A link from its findings: broken on a missing or different one; ``empty`` when doctor found none."""
    broken = [f for f in findings if f.status in (Status.MISSING, Status.DIFFERENT)]
    if not findings:
        return Link(name, where, empty, None)
    shown = broken or findings
    says = "; ".join(
        f"{f.resource}: {f.status.value}" + (f" ({f.detail})" if f.detail else "") if broken else f.resource
        for f in shown[:3]
    )
    if len(shown) > 3:
        says += f"; and {len(shown) - 3} more"
    return Link(name, where, says, not broken, findings=tuple(findings))


def account_links(scope: Scope, findings: list[Finding], key_access: Finding | None) -> list[Link]:
    """Every account link, in the order a query walks them."""
    reader = scope.reader
    consumer, governance, producer = scope.consumer_account, scope.governance, scope.producer_account
    cfg = scope.blueprint.mesh.config
    registration = naming.role_arn(governance, naming.registration_role(cfg.name))
    data_filter = naming.data_filter(cfg.name, reader.domain.name)
    filters = {f"{data_filter} on {scope.database}.{t}" for t in scope.tables}

    def pick(select: Select) -> list[Finding]:
        return [f for f in findings if select(f)]

    links = [
        _judged(
            "role",
            _where(scope, consumer),
            pick(lambda f: f.account == consumer and f.check == "role" and f.resource == reader.role),
            "not read",
        ),
        _judged(
            "workgroup",
            _where(scope, consumer),
            pick(lambda f: f.account == consumer and f.check == "workgroup"),
            "not read",
        ),
        _judged(
            "catalog key",
            f"{_where(scope, governance)} key, {_where(scope, consumer)} role",
            [key_access] if key_access else [],
            "not read",
        ),
        _judged(
            "lake formation settings",
            f"{_where(scope, consumer)}, {_where(scope, governance)}",
            pick(
                lambda f: (
                    f.account in (consumer, governance)
                    and (
                        f.check == "lf-settings"
                        or (f.check == "iam-allowed-principals" and f.resource.startswith(f"database {scope.database}"))
                        or (f.check == "iam-allowed-principals" and scope.on_tables(f.resource))
                    )
                )
            ),
            "not read",
        ),
        _judged(
            "resource link",
            _where(scope, consumer),
            pick(lambda f: f.account == consumer and f.check == "resource-link" and f.resource == scope.database),
            "not read",
        ),
        _judged(
            "principal grants",
            _where(scope, consumer),
            pick(
                lambda f: (
                    f.account == consumer
                    and f.check == "analyst-grant"
                    and f.resource.startswith(f"{reader.role} on ")
                    and scope.on_tables(f.resource)
                )
            ),
            "not read",
        ),
        _ram(scope, pick(lambda f: f.account == consumer and f.check == "ram-invitation")),
        _judged(
            "account grant",
            _where(scope, governance),
            pick(
                lambda f: (
                    f.account == governance
                    and f.check == "grant"
                    and f.resource.startswith(f"{reader.domain.name} ({consumer}) on ")
                    and scope.on_tables(f.resource)
                )
            ),
            "not read",
        ),
        _judged(
            "table",
            _where(scope, governance),
            pick(
                lambda f: (
                    f.account == governance
                    and (
                        (f.check == "database" and f.resource == scope.database)
                        or (f.check == "table" and f.resource in {f"{scope.database}.{t}" for t in scope.tables})
                        or (f.check == "data-filter" and f.resource in filters)
                    )
                )
            ),
            "not read",
        ),
        _judged(
            "data location",
            _where(scope, governance),
            pick(lambda f: f.account == governance and f.check == "location" and f.domain == scope.producer),
            "not read",
        ),
        _judged(
            "data access",
            _where(scope, producer),
            pick(
                lambda f: (
                    f.account == producer
                    and f.domain == scope.producer
                    and (
                        f.check == "bucket-policy"
                        or (f.check == "key-access" and f.resource.startswith(f"{registration} may "))
                    )
                )
            ),
            "not read",
        ),
    ]
    return links


def _ram(scope: Scope, findings: list[Finding]) -> Link:
    cfg = scope.blueprint.mesh.config
    where = f"AWS RAM, {_where(scope, scope.consumer_account)}"
    if cfg.organization is not None:
        return Link(
            "share",
            where,
            f"accounts of organization {cfg.organization.id}: shared without an invitation (mesh.yaml organization)",
            True,
        )
    if not findings:
        return Link(
            "share",
            where,
            f"no AWS RAM invitation from {cfg.governance_account} to a Lake Formation share",
            False,
            findings=(),
        )
    return _judged("share", where, findings, "not read")
