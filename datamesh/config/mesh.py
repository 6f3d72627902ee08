"""The validated mesh: settings, domains and the shares between them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from functools import cached_property
from pathlib import Path

from datamesh.config.models import Decision, DomainConfig, MeshConfig, Permission, Product


class ShareState(str, Enum):
    """Only ``GRANTED`` shares are deployed; the others grant nothing."""

    GRANTED = "granted"
    PENDING = "pending"
    DENIED = "denied"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Share:
    """A consumer's subscription to a product, resolved against the producer's approval."""

    consumer: str
    producer: str
    product: str
    permissions: tuple[Permission, ...]
    state: ShareState
    reason: str = ""
    expires: date | None = None
    decision: Decision | None = None
    tables: tuple[str, ...] = ()
    """The tables the subscription names; none names every table of the product."""
    principals: tuple[str, ...] = ()
    """The consumer's principals the subscription names; none names all of them."""

    def __str__(self) -> str:
        perms = ", ".join(p.value for p in self.permissions)
        tables = f" tables {', '.join(self.tables)}" if self.tables else ""
        return f"{self.consumer} <- {self.producer}.{self.product}{tables} ({perms}): {self.state.value}"


@dataclass(frozen=True)
class Mesh:
    """Everything the app builds from: validated before any construct exists."""

    config: MeshConfig
    domains: tuple[DomainConfig, ...]
    source: Path
    today: date | None = None
    """The day whose share states (expiry) the mesh builds; None: the current date."""

    def as_of(self, today: date) -> Mesh:
        """This mesh with its shares' states as on ``today`` (e.g. to test an expiry)."""
        return replace(self, today=today)

    def domain(self, name: str) -> DomainConfig:
        return self._domains_by_name[name]

    @cached_property
    def _domains_by_name(self) -> dict[str, DomainConfig]:
        return {d.name: d for d in self.domains}

    @cached_property
    def _granted_by_day(self) -> dict[date, _GrantedShares]:
        """Memo of the granted shares: every stack asks for its own, so a mesh resolves them once a day."""
        return {}

    def product(self, domain: str, product: str) -> Product:
        return next(p for p in self.domain(domain).products if p.name == product)

    @property
    def producers(self) -> tuple[DomainConfig, ...]:
        return tuple(d for d in self.domains if d.is_producer)

    @property
    def consumers(self) -> tuple[DomainConfig, ...]:
        return tuple(d for d in self.domains if d.is_consumer)

    def shares(self, today: date | None = None) -> list[Share]:
        """Every subscription of the mesh, in domain order, with its state on ``today``.

        An expired subscription grants nothing, whatever the producer decided; a denied one
        neither. ``today`` defaults to the mesh's ``today``, else the current date.
        """
        today = today or self.today or date.today()
        result = []
        for consumer in self.consumers:
            for sub in consumer.consumes:
                product = self.product(sub.producer, sub.product_name)
                decision = product.decision_for(consumer.name)
                if sub.expires is not None and sub.expires <= today:
                    state = ShareState.EXPIRED
                elif decision is not None and decision.decision == "denied":
                    state = ShareState.DENIED
                elif product.approves(consumer.name):
                    state = ShareState.GRANTED
                else:
                    state = ShareState.PENDING
                result.append(
                    Share(
                        consumer.name,
                        sub.producer,
                        sub.product_name,
                        tuple(sub.permissions),
                        state,
                        reason=sub.reason,
                        expires=sub.expires,
                        decision=decision,
                        tables=tuple(sub.tables),
                        principals=tuple(sub.principals),
                    )
                )
        return result

    def granted_shares(
        self, *, consumer: str | None = None, producer: str | None = None, today: date | None = None
    ) -> list[Share]:
        today = today or self.today or date.today()
        if today not in self._granted_by_day:
            self._granted_by_day[today] = _GrantedShares.of(
                s for s in self.shares(today) if s.state is ShareState.GRANTED
            )
        granted = self._granted_by_day[today]
        if consumer is not None:
            candidates = granted.by_consumer.get(consumer, ())
        elif producer is not None:
            candidates = granted.by_producer.get(producer, ())
        else:
            candidates = granted.all
        return [s for s in candidates if producer is None or s.producer == producer]


@dataclass(frozen=True)
class _GrantedShares:
    """Granted shares in mesh order, and indexed by consumer and by producer."""

    all: tuple[Share, ...]
    by_consumer: dict[str, tuple[Share, ...]]
    by_producer: dict[str, tuple[Share, ...]]

    @classmethod
    def of(cls, shares: Iterable[Share]) -> _GrantedShares:
        ordered = tuple(shares)
        by_consumer: dict[str, list[Share]] = {}
        by_producer: dict[str, list[Share]] = {}
        for share in ordered:
            by_consumer.setdefault(share.consumer, []).append(share)
            by_producer.setdefault(share.producer, []).append(share)
        return cls(
            ordered,
            {k: tuple(v) for k, v in by_consumer.items()},
            {k: tuple(v) for k, v in by_producer.items()},
        )
