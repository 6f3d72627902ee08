"""The share lifecycle as edits of parameter files: subscribe, approve, deny, revoke.

Each operation checks the request against the validated mesh first (raising
:class:`Refused` with the reason), then changes the round-trip documents of an
:class:`~datamesh.shares.yaml_files.Edit`. The next ``cdk deploy`` grants or revokes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from datamesh.config import Mesh, Permission, Product, Subscription
from datamesh.config.models import SUBSCRIPTION
from datamesh.shares.yaml_files import Edit


class Refused(Exception):
    """The request does not fit the files; the message says why, on one line."""


def split_product(reference: str) -> tuple[str, str]:
    """``sales.orders`` -> ``("sales", "orders")``; :class:`ValueError` for anything else."""
    if not re.match(SUBSCRIPTION, reference):
        raise ValueError(f"{reference!r} is not PRODUCER.PRODUCT (e.g. sales.orders)")
    producer, product = reference.split(".", 1)
    return producer, product


def _domain_names(mesh: Mesh) -> set[str]:
    return {d.name for d in mesh.domains}


def _require_domain(mesh: Mesh, name: str) -> None:
    if name not in _domain_names(mesh):
        raise Refused(f"no domain {name!r} in the mesh (domains: {', '.join(sorted(_domain_names(mesh)))})")


def _require_product(mesh: Mesh, reference: str) -> Product:
    producer, name = split_product(reference)
    _require_domain(mesh, producer)
    products = [p.name for p in mesh.domain(producer).products]
    if name not in products:
        raise Refused(f"domain {producer!r} has no product {name!r} (products: {', '.join(products) or 'none'})")
    return mesh.product(producer, name)


def _subscription(mesh: Mesh, consumer: str, reference: str) -> Subscription:
    _require_domain(mesh, consumer)
    found = next((s for s in mesh.domain(consumer).consumes if s.product == reference), None)
    if found is None:
        raise Refused(f"{consumer!r} has not subscribed to {reference} (meshctl subscribe {consumer} {reference})")
    return found


def _flow_list(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _product_document(edit: Edit, reference: str) -> CommentedMap:
    producer, name = split_product(reference)
    return next(p for p in edit.domain(producer)["products"] if p["name"] == name)


def subscribe(
    edit: Edit,
    mesh: Mesh,
    consumer: str,
    reference: str,
    *,
    permissions: list[Permission],
    reason: str = "",
    expires: date | None = None,
    tables: list[str] | None = None,
) -> None:
    """Add the request to the consumer's ``consumes``; ``tables`` names some of the product's tables (default: all)."""
    _require_domain(mesh, consumer)
    _require_product(mesh, reference)
    if reference.split(".", 1)[0] == consumer:
        raise Refused(f"{consumer!r} owns {reference}; a domain does not subscribe to its own product")
    if any(s.product == reference for s in mesh.domain(consumer).consumes):
        raise Refused(f"{consumer!r} already subscribes to {reference} (meshctl revoke first to change it)")
    entry = CommentedMap(product=reference, permissions=_flow_list([p.value for p in permissions]))
    if reason:
        entry["reason"] = reason
    if expires is not None:
        entry["expires"] = expires
    if tables:
        entry["tables"] = _flow_list(tables)
    document = edit.domain(consumer)
    if not document.get("consumes"):
        document["consumes"] = CommentedSeq()
    document["consumes"].append(entry)


def decide(
    edit: Edit,
    mesh: Mesh,
    reference: str,
    consumer: str,
    *,
    decision: Literal["approved", "denied"],
    by: str | None,
    today: date,
    reason: str = "",
) -> None:
    """Record the producer's decision on the product; approving adds the consumer to ``shared_with``.

    ``by`` defaults to the producer domain's owner e-mail.
    """
    product = _require_product(mesh, reference)
    by = by or mesh.domain(split_product(reference)[0]).owner.email
    _subscription(mesh, consumer, reference)
    if product.is_open:
        raise Refused(f"{reference} is open to every domain (shared_with: all); there is nothing to decide")
    previous = product.decision_for(consumer)
    if previous is not None and previous.decision == decision:
        raise Refused(f"{reference} for {consumer!r} was already {decision} by {previous.by} on {previous.date}")
    if previous is None and decision == "approved" and product.approves(consumer):
        raise Refused(f"{reference} is already shared with {consumer!r}")
    document = _product_document(edit, reference)
    shared = document.get("shared_with")
    if decision == "approved":
        if shared is None:
            document["shared_with"] = _flow_list([consumer])
        else:
            shared.append(consumer)
    elif shared is not None and consumer in shared:
        shared.remove(consumer)
    record = CommentedMap(consumer=consumer, decision=decision, by=by, date=today)
    if reason:
        record["reason"] = reason
    decisions = document.setdefault("decisions", CommentedSeq())
    for i, existing in enumerate(decisions):
        if existing["consumer"] == consumer:
            decisions[i] = record
            return
    decisions.append(record)


def revoke(edit: Edit, mesh: Mesh, consumer: str, reference: str) -> None:
    """Remove the subscription, the consumer from ``shared_with`` and the producer's decision on it."""
    _subscription(mesh, consumer, reference)
    consumes = edit.domain(consumer)["consumes"]
    consumes.pop(next(i for i, s in enumerate(consumes) if s["product"] == reference))
    if not consumes:
        del edit.domain(consumer)["consumes"]
    document = _product_document(edit, reference)
    shared = document.get("shared_with")
    if isinstance(shared, list) and consumer in shared:
        shared.remove(consumer)
    decisions = document.get("decisions")
    if decisions:
        for i in reversed(range(len(decisions))):
            if decisions[i]["consumer"] == consumer:
                decisions.pop(i)
        if not decisions:
            del document["decisions"]
