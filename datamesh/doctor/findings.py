"""One finding of doctor: what was checked, where, and whether it matches the blueprint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Status(str, Enum):
    OK = "ok"
    MISSING = "missing"
    EXTRA = "extra"
    DIFFERENT = "different"
    RETAINED = "retained"  # left by CloudFormation after its product was removed (DeletionPolicy Retain)
    PENDING = "pending confirmation"  # an e-mail subscription its address has not confirmed yet


@dataclass(frozen=True, order=True)
class Finding:
    domain: str
    product: str
    check: str
    resource: str
    status: Status
    detail: str = ""
    account: str = ""

    @property
    def drift(self) -> bool:
        return self.status not in (Status.OK, Status.RETAINED, Status.PENDING)


def compare(
    domain: str,
    product: str,
    check: str,
    resource: str,
    expected: Any,
    actual: Any,
    describe: Callable[[Any], str] = str,
) -> Finding:
    if actual is None:
        return Finding(domain, product, check, resource, Status.MISSING, f"expected {describe(expected)}")
    if actual != expected:
        return Finding(
            domain,
            product,
            check,
            resource,
            Status.DIFFERENT,
            f"expected {describe(expected)}, found {describe(actual)}",
        )
    return Finding(domain, product, check, resource, Status.OK)
