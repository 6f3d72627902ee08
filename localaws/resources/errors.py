"""The error a local resource or API raises where real AWS would refuse the request."""

from __future__ import annotations

from moto.core.exceptions import JsonRESTError


class Rejected(JsonRESTError):
    """A request real AWS would refuse. Raised by a CloudFormation handler, its text reaches the CDK
    CLI's output; raised by a service API (a moto backend method), boto3 receives it as the error
    ``code`` with ``message``, as from AWS.

    :param code: the AWS error code, e.g. ``EntityNotFoundException``.
    :param message: what is wrong, naming the resource concerned.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)

    def __str__(self) -> str:
        return f"{self.error_type}: {self.message}"
