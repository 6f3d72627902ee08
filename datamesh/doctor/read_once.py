"""Reads that several of one run's checks ask for, made once per run.

doctor checks each producer's and each consumer's key access against the same key policies
and the same roles' IAM policies (the mesh's registration role, the catalog key): read for
each check, they were calls per domain; read once, they are calls per account.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class ReadOnce:
    """The answer of each read, by key, made by the first thread that asks; the others wait for it.

    A read that fails fails the same way for every check that asks (its exception is raised again),
    as it would have had each check read it: a not-found answer stays missing, anything else cannot read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[Hashable, Future] = {}

    def __call__(self, key: Hashable, read: Callable[[], T]) -> T:
        with self._lock:
            answer = self._answers.get(key)
            first = answer is None
            if first:
                answer = self._answers[key] = Future()
        if first:
            try:
                answer.set_result(read())
            except Exception as exc:  # noqa: BLE001 - handed to every caller, as read() would raise it
                answer.set_exception(exc)
        return answer.result()
