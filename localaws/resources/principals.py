"""Whether the IAM principals a policy or a grant names exist, as AWS checks on write."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from localaws.resources import backends

_IAM_ARN = re.compile(r"^arn:aws:iam::(?P<account>\d{12}):(?P<kind>role|user)/(?P<name>.+)$")


def missing(principal: str) -> bool:
    """True when ``principal`` is an IAM role or user ARN that names nothing.

    Account ids, ``:root`` ARNs, service principals and ``*`` always exist.
    """
    match = _IAM_ARN.match(principal)
    if not match:
        return False
    iam = backends.iam(match["account"])
    known = iam.roles.values() if match["kind"] == "role" else iam.users.values()
    return all(entity.arn != principal for entity in known)


def aws_principals(document: str | dict[str, Any]) -> Iterator[str]:
    """Every ``Principal.AWS`` entry of a policy document, in statement order."""
    policy = json.loads(document) if isinstance(document, str) else document
    statements = policy.get("Statement", [])
    for statement in [statements] if isinstance(statements, dict) else statements:
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            names = principal.get("AWS", [])
            yield from [names] if isinstance(names, str) else names


def first_missing(document: str | dict[str, Any]) -> str | None:
    """The first IAM principal of a policy document that does not exist, if any."""
    return next((p for p in aws_principals(document) if missing(p)), None)
