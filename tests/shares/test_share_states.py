"""Share states in the models: expired and denied subscriptions grant nothing; decisions match sharing."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from datamesh.config import ConfigError, ShareState, load_mesh
from datamesh.config.models import Product
from tests.support.fixture_mesh import domain_text, write_mesh

DAY = date(2030, 6, 1)


def _mesh(tmp_path, **replacements):
    mesh_file = write_mesh(tmp_path)
    for name, (old, new) in replacements.items():
        path = tmp_path / "domains" / f"{name}.yaml"
        assert old in path.read_text()
        path.write_text(domain_text(tmp_path, name).replace(old, new))
    return load_mesh(mesh_file)


def _state(mesh, consumer, product, today=DAY):
    return next(
        s.state for s in mesh.shares(today) if s.consumer == consumer and f"{s.producer}.{s.product}" == product
    )


def test_a_subscription_expires_on_its_expiry_day(tmp_path):
    mesh = _mesh(
        tmp_path, finance=("  - product: sales.orders\n", "  - product: sales.orders\n    expires: 2030-06-01\n")
    )
    assert _state(mesh, "finance", "sales.orders", date(2030, 5, 31)) is ShareState.GRANTED
    assert _state(mesh, "finance", "sales.orders", DAY) is ShareState.EXPIRED
    assert mesh.granted_shares(consumer="finance", today=DAY) == []
    assert len(mesh.granted_shares(consumer="finance", today=date(2030, 5, 31))) == 1


def test_a_mesh_as_of_a_day_judges_expiry_on_that_day_without_being_told_again(tmp_path):
    """``Mesh.as_of`` (the app's ``-c today=``): shares() and granted_shares() then default to that day, not the clock's."""
    mesh = _mesh(
        tmp_path, finance=("  - product: sales.orders\n", "  - product: sales.orders\n    expires: 2099-06-30\n")
    )
    assert _state(mesh.as_of(date(2099, 6, 29)), "finance", "sales.orders", today=None) is ShareState.GRANTED
    later = mesh.as_of(date(2099, 6, 30))
    assert _state(later, "finance", "sales.orders", today=None) is ShareState.EXPIRED
    assert later.granted_shares(consumer="finance") == []


def test_granted_shares_of_a_consumer_from_one_producer(tmp_path):
    mesh = _mesh(
        tmp_path,
        finance=("    shared_with: []\n", "    shared_with: [marketing]\n"),
        marketing=("consumes:\n", "consumes:\n  - product: finance.invoices\n"),
    )

    def products(producer):
        return sorted(
            f"{s.producer}.{s.product}" for s in mesh.granted_shares(consumer="marketing", producer=producer, today=DAY)
        )

    assert products("sales") == ["sales.customers", "sales.orders"]
    assert products("finance") == ["finance.invoices"]


def test_a_denied_request_is_denied_and_carries_the_decision(tmp_path):
    mesh = _mesh(
        tmp_path,
        sales=(
            "    shared_with: [marketing]  # approved in the spring review\n",
            "    shared_with: []\n    decisions:\n      - {consumer: marketing, decision: denied, by: a@example.com,"
            " date: 2030-01-02, reason: no consent}\n",
        ),
    )
    share = next(s for s in mesh.shares(DAY) if s.product == "customers")
    assert share.state is ShareState.DENIED
    assert (share.decision.by, share.decision.date, share.decision.reason) == (
        "a@example.com",
        date(2030, 1, 2),
        "no consent",
    )
    assert all(s.product != "customers" for s in mesh.granted_shares(today=DAY))


def test_an_unanswered_request_is_pending(tmp_path):
    mesh = _mesh(
        tmp_path, sales=("    shared_with: [marketing]  # approved in the spring review\n", "    shared_with: []\n")
    )
    assert _state(mesh, "marketing", "sales.customers") is ShareState.PENDING


def test_expiry_wins_over_an_approval(tmp_path):
    mesh = _mesh(
        tmp_path,
        marketing=(
            "    permissions: [SELECT, DESCRIBE]\n",
            "    permissions: [SELECT, DESCRIBE]\n    expires: 2030-01-01\n",
        ),
    )
    assert _state(mesh, "marketing", "sales.customers") is ShareState.EXPIRED


def test_reason_and_expires_are_kept_on_the_share(tmp_path):
    mesh = _mesh(
        tmp_path,
        finance=(
            "  - product: sales.orders\n",
            "  - product: sales.orders\n    reason: month-end close\n    expires: 2031-01-01\n",
        ),
    )
    share = next(s for s in mesh.shares(DAY) if s.consumer == "finance")
    assert (share.reason, share.expires, share.state) == ("month-end close", date(2031, 1, 1), ShareState.GRANTED)


PRODUCT = {"name": "p", "description": "d", "confidentiality": "internal", "columns": [{"name": "a", "type": "string"}]}


def _decision(consumer, decision):
    return {"consumer": consumer, "decision": decision, "by": "a@example.com", "date": "2030-01-01"}


def test_an_approval_must_match_shared_with():
    with pytest.raises(ValidationError, match="decision 'approved' for 'x' but the product does not share with it"):
        Product(**PRODUCT, shared_with=[], decisions=[_decision("x", "approved")])


def test_a_denial_must_match_shared_with():
    with pytest.raises(ValidationError, match="decision 'denied' for 'x' but the product shares with it"):
        Product(**PRODUCT, shared_with=["x"], decisions=[_decision("x", "denied")])


def test_one_decision_per_consumer():
    with pytest.raises(ValidationError, match="more than one decision for x"):
        Product(**PRODUCT, shared_with=["x"], decisions=[_decision("x", "approved"), _decision("x", "approved")])


def test_a_decision_about_an_unknown_domain_is_a_problem(tmp_path):
    with pytest.raises(ConfigError) as raised:
        _mesh(
            tmp_path,
            finance=(
                "    shared_with: []\n",
                "    shared_with: []\n    decisions:\n      - {consumer: nobody, decision: denied,"
                " by: a@example.com, date: 2030-01-01}\n",
            ),
        )
    assert [(p.field, p.reason) for p in raised.value.problems] == [
        ("products[0].decisions[0].consumer", "unknown domain 'nobody'")
    ]
