"""The validated mesh: settings, domains and the shares between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
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

    def __str__(self) -> str:
        perms = ", ".join(p.value for p in self.permissions)
        return f"{self.consumer} <- {self.producer}.{self.product} ({perms}): {self.state.value}"


@dataclass(frozen=True)
class Mesh:
    """Everything the app builds from: validated before any construct exists."""

    config: MeshConfig
    domains: tuple[DomainConfig, ...]
    source: Path

    def domain(self, name: str) -> DomainConfig:
        return next(d for d in self.domains if d.name == name)

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
        neither. ``today`` defaults to the current date.
        """
        today = today or date.today()
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
                result.append(Share(consumer.name, sub.producer, sub.product_name, tuple(sub.permissions), state,
                                    reason=sub.reason, expires=sub.expires, decision=decision))
        return result

    def granted_shares(
        self, *, consumer: str | None = None, producer: str | None = None, today: date | None = None
    ) -> list[Share]:
        return [
            s for s in self.shares(today)
            if s.state is ShareState.GRANTED
            and (consumer is None or s.consumer == consumer)
            and (producer is None or s.producer == producer)
        ]
