"""What an in-process moto holds, saved once and put back before each test that starts from it.

Deploying the test mesh into moto takes seconds; copying moto's in-memory backends takes
milliseconds. A saved state is a deep copy of every backend in use (per service, account and
region); putting it back gives each test its own copy, so a test that changes what is
deployed never changes what the next test finds.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.core.base_backend import BackendDict


class MotoState:
    def __init__(self) -> None:
        """The state of every backend moto has in use (make it inside ``mock_aws``)."""
        # a service's BackendDict outlives moto's resets, which only empty it
        self._saved: list[tuple[BackendDict, dict[str, dict[str, Any]]]] = [
            (backends, copy.deepcopy({account: dict(regions) for account, regions in backends.items()}))
            for backends in BackendDict._instances
        ]

    def restore(self) -> None:
        """Make moto hold a fresh copy of the saved state (call it inside ``mock_aws``, which starts empty)."""
        for backends, accounts in self._saved:
            for account, regions in copy.deepcopy(accounts).items():
                held = backends[account]  # made on first access, as moto does
                dict.clear(held)
                dict.update(held, regions)
