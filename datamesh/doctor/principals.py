"""A consumer's principals that name existing IAM roles: each must exist in the domain's account.

Synthesis is offline, so a role named in a domain file is only known to exist once an account is read;
the grants to a role that does not exist fail at deploy (Lake Formation: "Invalid principal").
"""

from __future__ import annotations

from typing import Any

from datamesh.config import DomainConfig
from datamesh.doctor.findings import Finding
from datamesh.doctor.resources import check_role


def check_principal_roles(iam: Any, domain: DomainConfig) -> list[Finding]:
    """One finding per principal with a role: ok, or missing when IAM answers that it has no such role."""
    return [check_role(iam, domain.name, principal.role) for principal in domain.principals if principal.role]
