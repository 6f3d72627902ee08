"""Writing the sample files to the producers' buckets as each producer's role, and removing them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from datamesh.aws.sessions import AWS_FAILURES
from datamesh.conformance.principals import Principals
from datamesh.conformance.sample_data import SampleFile, TableSample
from datamesh.conformance.writers import encode


@dataclass(frozen=True)
class Outcome:
    """What became of one file: ``error`` is empty when the call succeeded."""

    sample: TableSample
    file: SampleFile
    error: str = ""
    request_id: str = ""


def request_id(exc: Exception) -> str:
    """The AWS request id of the failed call, when AWS answered with an error."""
    if not isinstance(exc, ClientError):
        return ""
    metadata = exc.response.get("ResponseMetadata", {})
    return metadata.get("RequestId") or metadata.get("HTTPHeaders", {}).get("x-amz-request-id", "")


def error_code(exc: Exception) -> str:
    """The AWS error code of the failed call, when AWS answered with an error."""
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


def failure(exc: Exception) -> str:
    """One line: the operation, the code and the message of AWS's error, or why there was no answer (the text of
    :class:`~datamesh.aws.answers.CannotRead`)."""
    if not isinstance(exc, ClientError):
        return str(exc)
    error = exc.response.get("Error", {})
    return f"{exc.operation_name} failed ({error.get('Code', 'Unknown')}): {error.get('Message', '')}".rstrip(": ")


def _each(
    samples: list[TableSample], principals: Principals, call: Callable[[Any, TableSample, SampleFile], None]
) -> Iterator[Outcome]:
    """``call(s3, sample, file)`` for each file, with an S3 client as its producer's role; one outcome per file
    (a role that cannot be assumed fails each of its files)."""
    for sample in samples:
        for file in sample.files:
            try:
                call(principals.producer(sample.domain, "s3"), sample, file)
            except AWS_FAILURES as exc:
                yield Outcome(sample, file, failure(exc), request_id(exc))
            else:
                yield Outcome(sample, file)


def write(samples: list[TableSample], principals: Principals) -> Iterator[Outcome]:
    """Puts each file as its producer's role."""
    return _each(
        samples,
        principals,
        lambda s3, sample, file: s3.put_object(
            Bucket=sample.bucket, Key=file.key, Body=encode(sample.format, file.columns, file.rows)
        ),
    )


def remove(samples: list[TableSample], principals: Principals) -> Iterator[Outcome]:
    """Deletes each file as its producer's role (in a versioned bucket: a delete marker)."""
    return _each(samples, principals, lambda s3, sample, file: s3.delete_object(Bucket=sample.bucket, Key=file.key))
