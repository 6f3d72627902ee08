"""What an AWS answer means: an operation's documented not-found answer, or "cannot read".

Only the answer each API documents for a resource that does not exist (:data:`NOT_FOUND`,
per service and operation, with the message where the code alone is not specific) means the
resource is absent: such a call raises :class:`NotFound`. Every other failure (an HTML page
or a bare 404 from a proxy or a server that does not speak the API, a 5xx, an answer botocore
cannot parse, an error code the operation does not document as not-found, access denied,
throttling, no connection) raises :class:`CannotRead`, whose text is one line naming the API
(service and operation), the endpoint and the reason. :func:`watch` installs this on a client.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
}
THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "ProvisionedThroughputExceededException",
}
JSON_PROTOCOLS = {"json", "rest-json"}
MAX_MESSAGE = 200


@dataclass(frozen=True)
class Absent:
    """An error answer that means "no such resource": its code and, where the code is shared with
    other errors, a pattern its message matches."""

    code: str
    message: re.Pattern[str] | None = None

    def matches(self, code: str, message: str) -> bool:
        return code == self.code and (self.message is None or self.message.search(message) is not None)


# (service id, operation) -> the answers that mean absent; sources in docs/meshctl.md ("What missing means").
NOT_FOUND: dict[tuple[str, str], tuple[Absent, ...]] = {
    ("Athena", "GetWorkGroup"): (Absent("InvalidRequestException", re.compile(r"\bWorkGroup\b.*\bis not found\b")),),
    ("EventBridge", "DescribeRule"): (Absent("ResourceNotFoundException"),),
    ("Glue", "GetCrawler"): (Absent("EntityNotFoundException"),),
    ("Glue", "GetDataQualityRuleset"): (Absent("EntityNotFoundException"),),
    ("IAM", "GetRole"): (Absent("NoSuchEntity"),),
    ("identitystore", "DescribeGroup"): (Absent("ResourceNotFoundException"),),
    ("identitystore", "DescribeUser"): (Absent("ResourceNotFoundException"),),
    ("IAM", "GetRolePolicy"): (Absent("NoSuchEntity"),),
    ("IAM", "ListRolePolicies"): (Absent("NoSuchEntity"),),
    ("IAM", "ListAttachedRolePolicies"): (Absent("NoSuchEntity"),),
    ("KMS", "DescribeKey"): (Absent("NotFoundException"),),
    ("LakeFormation", "DescribeLakeFormationIdentityCenterConfiguration"): (Absent("EntityNotFoundException"),),
    ("S3", "GetBucketVersioning"): (Absent("NoSuchBucket"),),
    ("S3", "ListObjectsV2"): (Absent("NoSuchBucket"),),
    ("S3", "GetBucketPolicy"): (Absent("NoSuchBucketPolicy"), Absent("NoSuchBucket")),
    ("S3", "GetPublicAccessBlock"): (Absent("NoSuchPublicAccessBlockConfiguration"),),
    ("S3", "GetBucketEncryption"): (Absent("ServerSideEncryptionConfigurationNotFoundError"),),
    ("Scheduler", "GetSchedule"): (Absent("ResourceNotFoundException"),),
    ("SNS", "GetTopicAttributes"): (Absent("NotFound"),),
}


class NotFound(Exception):
    """The operation's documented answer for a resource that does not exist."""

    def __init__(self, service: str, operation: str, endpoint: str, code: str, message: str):
        super().__init__(f"{service} {operation} at {endpoint}: not found ({code}): {message}".rstrip(": "))


class CannotRead(Exception):
    """A call that got no usable answer; the text names the API, the endpoint and why, on one line."""

    def __init__(self, service: str, operation: str, endpoint: str, reason: str):
        super().__init__(f"{service} {operation} at {endpoint}: {reason}")


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"


def _is_html(body: bytes) -> bool:
    return body.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html"))


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _error_reason(status: int, code: str, message: str, attempts: int) -> str:
    if code in ACCESS_DENIED:
        return _one_line(f"access denied ({code}): {message}").rstrip(": ")
    if code in THROTTLED:
        return f"throttled ({code}); gave up after {attempts} attempt(s)"
    if not code or code == str(status):
        return _one_line(f"HTTP {status} without an AWS error code: {message}").rstrip(": ")
    return _one_line(f"HTTP {status} {code}: {message}").rstrip(": ")


def _received(service: str, endpoint: str, operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
    """botocore's ``before-parse``: a body that is no answer of the API (an HTML page; for a JSON protocol,
    a success that is not JSON), which botocore would read as an empty answer or fail to parse."""
    if operation_model.has_streaming_output:
        return
    body, status = response_dict["body"], response_dict["status_code"]
    if _is_html(body):
        raise CannotRead(
            service,
            operation_model.name,
            endpoint,
            f"HTTP {status} with an HTML page, not an answer of the {service} API",
        )
    if status < 300 and body and operation_model.service_model.protocol in JSON_PROTOCOLS and not _is_json(body):
        raise CannotRead(service, operation_model.name, endpoint, f"HTTP {status} with a body that is not JSON")


def _answered(service: str, endpoint: str, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
    """botocore's ``after-call``: an error answer is :class:`NotFound` where the operation documents it as
    its not-found answer, else :class:`CannotRead`."""
    operation, status = model.name, http_response.status_code
    if status < 300:
        return
    error = parsed.get("Error", {})
    code, message = error.get("Code", ""), error.get("Message", "")
    if any(absent.matches(code, message) for absent in NOT_FOUND.get((service, operation), ())):
        raise NotFound(service, operation, endpoint, code, message)
    attempts = parsed.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
    raise CannotRead(service, operation, endpoint, _error_reason(status, code, message, attempts))


def _failed(service: str, endpoint: str, exception: Exception, event_name: str, **_: Any) -> None:
    """botocore's ``after-call-error``: no answer at all (no connection, no credentials, unparseable)."""
    if not isinstance(exception, (BotoCoreError, ResponseParserError)):
        return
    operation = event_name.rsplit(".", 1)[-1]
    raise CannotRead(service, operation, endpoint, failure(exception)) from exception


def failure(exc: BotoCoreError | ResponseParserError) -> str:
    """Why a call got no answer, in words."""
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)):
        return f"no answer ({exc.__class__.__name__}); is the endpoint up?"
    if isinstance(exc, NoCredentialsError):
        return "no AWS credentials (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
    if isinstance(exc, ResponseParserError):
        return _one_line(f"an answer botocore cannot parse: {exc}")
    return _one_line(str(exc))


def watch(client: Any) -> Any:
    """``client``, with every failed call raising :class:`NotFound` or :class:`CannotRead`."""
    service, endpoint = client.meta.service_model.service_id, client.meta.endpoint_url
    client.meta.events.register("before-parse", partial(_received, str(service), endpoint))
    client.meta.events.register("after-call", partial(_answered, str(service), endpoint))
    client.meta.events.register("after-call-error", partial(_failed, str(service), endpoint))
    return client


def required(client: Any, operation: str, answer: dict[str, Any], key: str) -> Any:
    """``answer[key]``, which the API documents as always there on success; its absence means the
    endpoint is not the API (a stand-in answering 200 with nothing), hence :class:`CannotRead`."""
    if answer.get(key) is None:
        raise CannotRead(
            str(client.meta.service_model.service_id), operation, client.meta.endpoint_url, f"HTTP 200 without {key}"
        )
    return answer[key]
