"""The error a local resource raises where real AWS would refuse the request."""

from __future__ import annotations


class Rejected(Exception):
    """A request real AWS would refuse; its text reaches the CDK CLI's output.

    :param code: the AWS error code, e.g. ``EntityNotFoundException``.
    :param message: what is wrong, naming the resource concerned.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
