"""moto's service backends of one account (and region), by service."""

from __future__ import annotations

from moto.athena.models import AthenaBackend, athena_backends
from moto.glue.models import GlueBackend, glue_backends
from moto.iam.models import IAMBackend, iam_backends
from moto.kms.models import KmsBackend, kms_backends
from moto.lakeformation.models import LakeFormationBackend, lakeformation_backends
from moto.s3.models import S3Backend, s3_backends

PARTITION = "aws"


def athena(account: str, region: str) -> AthenaBackend:
    return athena_backends[account][region]


def glue(account: str, region: str) -> GlueBackend:
    return glue_backends[account][region]


def iam(account: str) -> IAMBackend:
    return iam_backends[account][PARTITION]


def kms(account: str, region: str) -> KmsBackend:
    return kms_backends[account][region]


def lakeformation(account: str, region: str) -> LakeFormationBackend:
    return lakeformation_backends[account][region]


def s3(account: str) -> S3Backend:
    return s3_backends[account][PARTITION]


def bucket_owner(bucket: str) -> str | None:
    """The account that owns ``bucket`` (bucket names are global), or None if none does."""
    owner = s3_backends.bucket_accounts.get(bucket)
    return owner[1] if owner else None
