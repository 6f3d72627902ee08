"""Names and values AWS refuses, refused at the local AWS's API with AWS's error.

moto stores almost any name. The rules here are AWS's, read where the SDKs' data has them
(botocore's service models: a shape's ``pattern``, ``min`` and ``max``) and from the
service's documentation where it has none (S3 bucket names). The patterns are Java
regular expressions over UTF-16: the ``regex`` package reads ``\\p{L}`` and friends as Java
does (``re`` cannot), and a surrogate pair range (Glue's ``NameString``) is read as the
characters outside the Basic Multilingual Plane it stands for. Each check wraps a moto
backend method, which boto3 calls and the CloudFormation handlers both reach, so both get
one answer:

- Lake Formation ``CreateLFTag`` / ``UpdateLFTag``: keys 1 to 128 characters of
  ``LFTagKey``, values up to 256 of ``LFTagValue`` (letters of any alphabet, digits, spaces
  and ``_.:*/=+-@%``, so no comma).
- Glue ``CreateDatabase`` / ``CreateTable`` / ``CreateDataQualityRuleset`` (served for
  ``AWS::Glue::DataQualityRuleset``, which calls :func:`require_name`): ``NameString``, 1 to 255
  characters, no control character but tab.
- Athena ``CreateWorkGroup``: ``WorkGroupName``, ``[a-zA-Z0-9._-]{1,128}``.
- KMS ``CreateAlias``: ``AliasNameType``, up to 256 characters of ``^[a-zA-Z0-9:/_-]+$``
  after ``alias/``; ``alias/aws/`` is AWS's (KMS API reference, ``CreateAlias``).
- S3 ``CreateBucket``: S3 user guide, "General purpose bucket naming rules".
- IAM ``CreateRole`` and ``AWS::IAM::Role`` with a ``RoleName``: ``roleNameType``, 1 to 64 of
  ``[\\w+=,.@-]``. A role a template leaves unnamed is not checked: moto names it
  ``stack-logicalid-random`` without shortening it to 64 characters as CloudFormation does.

A value outside a model's constraints gets AWS's answer for it, ``ValidationException: 1
validation error detected: Value ... at ... failed to satisfy constraint: ...``, which the
services of AWS's JSON protocols give even where an operation's reference does not list it
(Glue's ``GetTables`` so answers a too long ``Expression``: boto/boto3 issue 3229; Glue's
``CreateTable`` an out-of-pattern column comment: moj-analytical-services/etl_manager issue
90). That Lake Formation and Athena answer the same way, and the location each names, are
inferred from those, not documented.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.loaders
import regex
from moto.athena.models import AthenaBackend
from moto.core.exceptions import JsonRESTError
from moto.glue.models import GlueBackend
from moto.iam.exceptions import ValidationError
from moto.iam.models import Role
from moto.iam.responses import IamResponse
from moto.kms.exceptions import NotAuthorizedException
from moto.kms.models import KmsBackend
from moto.kms.utils import RESERVED_ALIASES
from moto.lakeformation.models import LakeFormationBackend
from moto.s3.exceptions import InvalidBucketName
from moto.s3.models import S3Backend

# S3 user guide, "General purpose bucket naming rules"
_BUCKET = regex.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_SURROGATE_PAIRS = regex.compile(r"\\uD800\\uDC00-\\uDBFF\\uDFFF", flags=regex.IGNORECASE)


@cache
def _shape(service: str, name: str) -> dict[str, Any]:
    return botocore.loaders.create_loader().load_service_model(service, "service-2")["shapes"][name]


@cache
def _pattern(java: str) -> regex.Pattern[str]:
    """A model's Java pattern as Python reads it: a UTF-16 surrogate pair range is the code points past
    U+FFFF, and ``\\w`` is ASCII, as in Java (``regex``'s ``\\w`` takes any letter)."""
    text = _SURROGATE_PAIRS.sub(lambda _: r"\U00010000-\U0010FFFF", java)
    out, in_class = [], False
    for token in regex.findall(r"\\.|.", text, flags=regex.DOTALL):
        if token == "\\w":
            out.append("A-Za-z0-9_" if in_class else "[A-Za-z0-9_]")
            continue
        in_class = {"[": True, "]": False}.get(token, in_class)
        out.append(token)
    return regex.compile("".join(out))


def _constraint(value: str, service: str, shape: str) -> str | None:
    """The constraint of ``shape`` in ``service``'s model that ``value`` fails, in AWS's words, or ``None``."""
    rule = _shape(service, shape)
    if "max" in rule and len(value) > rule["max"]:
        return f"Member must have length less than or equal to {rule['max']}"
    if "min" in rule and len(value) < rule["min"]:
        return f"Member must have length greater than or equal to {rule['min']}"
    if "pattern" in rule and not _pattern(rule["pattern"]).fullmatch(value):
        return f"Member must satisfy regular expression pattern: {rule['pattern']}"
    return None


def _require(checks: list[tuple[str, str, str | None]]) -> None:
    """Raise AWS's ``ValidationException`` for the first (value, request location, failed constraint) that failed."""
    for value, where, constraint in checks:
        if constraint:
            raise JsonRESTError(
                "ValidationException",
                f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy constraint: {constraint}",
            )


def require_name(value: str, where: str, service: str, shape: str) -> None:
    """Refuse ``value``, found at ``where`` in a request, if it is outside ``shape`` of ``service``'s model.

    :raises JsonRESTError: AWS's ``ValidationException`` naming the value and the constraint it fails.
    """
    _require([(value, where, _constraint(value, service, shape))])


def require_valid(key: str, values: dict[str, list[str] | None]) -> None:
    """Refuse an LF-tag key, or a value of any of ``values`` (by request field), that Lake Formation refuses.

    :raises JsonRESTError: ``ValidationException`` naming the first value refused and where it is in the request.
    """
    checks = [(key, "tagKey", _constraint(key, "lakeformation", "LFTagKey"))]
    checks += [
        (value, f"{field}.{i}.member", _constraint(value, "lakeformation", "LFTagValue"))
        for field, listed in values.items()
        for i, value in enumerate(listed or [], 1)
    ]
    _require(checks)


def bucket_name_problem(name: str) -> str | None:
    """Which of S3's general purpose bucket naming rules ``name`` breaks, or ``None``."""
    if not _BUCKET.fullmatch(name):
        return "3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end"
    if ".." in name:
        return "no two adjacent periods"
    try:
        ipaddress.IPv4Address(name)
        return "not formatted as an IP address"
    except ValueError:
        pass
    if name.startswith(_BUCKET_PREFIXES) or name.endswith(_BUCKET_SUFFIXES):
        return "a prefix or suffix S3 reserves"
    return None


def _create_bucket(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_bucket(self: S3Backend, bucket_name: str, *args: Any, **kwargs: Any) -> Any:
        if bucket_name_problem(bucket_name):
            raise InvalidBucketName()
        return original(self, bucket_name, *args, **kwargs)

    return create_bucket


def _create_work_group(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_work_group(self: AthenaBackend, name: str, *args: Any, **kwargs: Any) -> Any:
        require_name(name, "name", "athena", "WorkGroupName")
        return original(self, name, *args, **kwargs)

    return create_work_group


def _create_database(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_database(self: GlueBackend, database_name: str, *args: Any, **kwargs: Any) -> Any:
        require_name(database_name, "databaseInput.name", "glue", "NameString")
        return original(self, database_name, *args, **kwargs)

    return create_database


def _create_table(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_table(self: GlueBackend, database_name: str, table_name: str, *args: Any, **kwargs: Any) -> Any:
        _require(
            [
                (database_name, "databaseName", _constraint(database_name, "glue", "NameString")),
                (table_name, "tableInput.name", _constraint(table_name, "glue", "NameString")),
            ]
        )
        return original(self, database_name, table_name, *args, **kwargs)

    return create_table


def _create_alias(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_alias(self: KmsBackend, target_key_id: str, alias_name: str) -> Any:
        # moto's own AWS managed keys (alias/aws/s3, ...) are made through this method too
        if alias_name.startswith("alias/aws/") and alias_name not in RESERVED_ALIASES:
            raise NotAuthorizedException()
        require_name(alias_name, "aliasName", "kms", "AliasNameType")
        if not alias_name.startswith("alias/"):
            raise JsonRESTError(
                "ValidationException",
                'Alias must start with the prefix "alias/". '
                "Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
            )
        return original(self, target_key_id, alias_name)

    return create_alias


def _require_role_name(name: str) -> None:
    """IAM's query protocol names the same answer ``ValidationError``."""
    constraint = _constraint(name, "iam", "roleNameType")
    if constraint:
        raise ValidationError(
            f"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: {constraint}"
        )


def _create_role_call(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_role(self: IamResponse) -> Any:
        _require_role_name(self._get_param("RoleName"))
        return original(self)

    return create_role


def _create_role_resource(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_from_cloudformation_json(
        cls: type[Role], resource_name: str, cloudformation_json: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        named = cloudformation_json.get("Properties", {}).get("RoleName")
        if named is not None:
            _require_role_name(named)
        return original(resource_name, cloudformation_json, *args, **kwargs)

    return classmethod(create_from_cloudformation_json)


def _create_lf_tag(original: Callable[..., None]) -> Callable[..., None]:
    def create_lf_tag(self: LakeFormationBackend, catalog_id: str, key: str, values: list[str]) -> None:
        require_valid(key, {"tagValues": values})
        original(self, catalog_id, key, values)

    return create_lf_tag


def _update_lf_tag(original: Callable[..., None]) -> Callable[..., None]:
    def update_lf_tag(
        self: LakeFormationBackend, catalog_id: str, tag_key: str, to_delete: list[str], to_add: list[str]
    ) -> None:
        require_valid(tag_key, {"tagValuesToAdd": to_add, "tagValuesToDelete": to_delete})
        original(self, catalog_id, tag_key, to_delete, to_add)

    return update_lf_tag


_CHECKED: tuple[tuple[type, str, Callable[[Callable[..., Any]], Callable[..., Any]]], ...] = (
    (LakeFormationBackend, "create_lf_tag", _create_lf_tag),
    (LakeFormationBackend, "update_lf_tag", _update_lf_tag),
    (S3Backend, "create_bucket", _create_bucket),
    (AthenaBackend, "create_work_group", _create_work_group),
    (GlueBackend, "create_database", _create_database),
    (GlueBackend, "create_table", _create_table),
    (KmsBackend, "create_alias", _create_alias),
    (IamResponse, "create_role", _create_role_call),
    (Role, "create_from_cloudformation_json", _create_role_resource),
)


def install() -> None:
    """Check names and values in this process's backends; safe to call more than once."""
    for backend, method, check in _CHECKED:
        marker = f"_localaws_name_patterns_{method}"
        if not getattr(backend, marker, False):
            setattr(backend, method, check(getattr(backend, method)))
            setattr(backend, marker, True)
