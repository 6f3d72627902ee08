"""LF-tag keys and values Lake Formation takes, checked at its API (CreateLFTag, UpdateLFTag).

moto stores any key and value. Lake Formation's API reference (``LFTag``, ``CreateLFTag``,
``UpdateLFTag``) allows keys of 1 to 128 characters matching
``^([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*)$`` and values of up to 256 characters matching
``^([\\p{L}\\p{Z}\\p{N}_.:\\*\\/=+\\-@%]*)$``: letters of any alphabet, digits, spaces and those
marks, so no comma. The rules are read from botocore's model of the service, the same data
the SDKs are generated from; the ``regex`` package reads ``\\p{L}`` as Java does (``re`` cannot).
Every caller goes through the backend, so a boto3 call and a CloudFormation handler get one answer.

The error is AWS's answer to a value outside its model's constraints, ``ValidationException:
1 validation error detected: Value ... at ... failed to satisfy constraint: ...``, which the
services of AWS's JSON protocols give even where an operation's reference does not list it
(Glue's ``GetTables``, whose reference lists no ``ValidationException``, answers a too long
``Expression`` so: boto/boto3 issue 3229). That Lake Formation answers the same way is
inferred from those, not documented.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.loaders
import regex
from moto.core.exceptions import JsonRESTError
from moto.lakeformation.models import LakeFormationBackend


@cache
def _shape(name: str) -> dict[str, Any]:
    return botocore.loaders.create_loader().load_service_model("lakeformation", "service-2")["shapes"][name]


def _constraint(value: str, shape: str) -> str | None:
    """The constraint of ``shape`` that ``value`` fails, in AWS's words, or ``None``."""
    rule = _shape(shape)
    if len(value) > rule["max"]:
        return f"Member must have length less than or equal to {rule['max']}"
    if len(value) < rule["min"]:
        return f"Member must have length greater than or equal to {rule['min']}"
    if not regex.fullmatch(rule["pattern"], value):
        return f"Member must satisfy regular expression pattern: {rule['pattern']}"
    return None


def require_valid(key: str, values: dict[str, list[str] | None]) -> None:
    """Refuse an LF-tag key, or a value of any of ``values`` (by request field), that Lake Formation refuses.

    :raises JsonRESTError: ``ValidationException`` naming the first value refused and where it is in the request.
    """
    refused = [(key, "tagKey", _constraint(key, "LFTagKey"))]
    refused += [(value, f"{field}.{i}.member", _constraint(value, "LFTagValue"))
                for field, listed in values.items() for i, value in enumerate(listed or [], 1)]
    for value, where, constraint in refused:
        if constraint:
            raise JsonRESTError("ValidationException", f"1 validation error detected: Value '{value}' at '{where}' "
                                                       f"failed to satisfy constraint: {constraint}")


def _create(original: Callable[..., None]) -> Callable[..., None]:
    def create_lf_tag(self: LakeFormationBackend, catalog_id: str, key: str, values: list[str]) -> None:
        require_valid(key, {"tagValues": values})
        original(self, catalog_id, key, values)
    return create_lf_tag


def _update(original: Callable[..., None]) -> Callable[..., None]:
    def update_lf_tag(self: LakeFormationBackend, catalog_id: str, tag_key: str, to_delete: list[str],
                      to_add: list[str]) -> None:
        require_valid(tag_key, {"tagValuesToAdd": to_add, "tagValuesToDelete": to_delete})
        original(self, catalog_id, tag_key, to_delete, to_add)
    return update_lf_tag


def install() -> None:
    """Check keys and values in this process's Lake Formation backends; safe to call more than once."""
    if getattr(LakeFormationBackend, "_localaws_lf_tag_patterns", False):
        return
    LakeFormationBackend.create_lf_tag = _create(LakeFormationBackend.create_lf_tag)
    LakeFormationBackend.update_lf_tag = _update(LakeFormationBackend.update_lf_tag)
    LakeFormationBackend._localaws_lf_tag_patterns = True
