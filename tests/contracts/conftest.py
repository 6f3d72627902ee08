"""A minimal valid ODCS contract to vary in each test."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

BASE: dict[str, Any] = {
    "apiVersion": "v3.1.0",
    "kind": "DataContract",
    "id": "c-1",
    "version": "1.0.0",
    "status": "active",
    "schema": [
        {
            "name": "orders",
            "properties": [
                {"name": "order_id", "logicalType": "string", "required": True},
                {"name": "amount", "physicalType": "decimal(12,2)", "logicalType": "number"},
            ],
        }
    ],
}


@pytest.fixture
def contract_doc() -> Callable[..., dict[str, Any]]:
    """A deep copy of BASE; ``properties=[...]`` or ``quality=[...]`` replace the table's."""

    def make(**table: Any) -> dict[str, Any]:
        doc = copy.deepcopy(BASE)
        doc["schema"][0].update(table)
        return doc

    return make
