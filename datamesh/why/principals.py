"""Who ``meshctl why`` asks about: a domain (its analyst role) or a principal a domain file names."""

from __future__ import annotations

from dataclasses import dataclass

from datamesh.blueprint.lake import principal_arn
from datamesh.config import Mesh
from datamesh.config.models import ANALYST, DomainConfig, Principal


class UnknownPrincipal(ValueError):
    """No domain or principal of the files answers to the name, or several do."""


@dataclass(frozen=True)
class Reader:
    """A consumer domain's principal and the IAM role it reads with."""

    domain: DomainConfig
    principal: Principal
    role_arn: str

    @property
    def role(self) -> str:
        return self.role_arn.rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return f"{self.domain.name}'s {self.principal.name} ({self.role})"


def reader(mesh: Mesh, name: str) -> Reader:
    """``name``: a domain (its analyst principal), ``DOMAIN/PRINCIPAL``, or a principal's name or role that one
    domain file lists."""
    domain_name, _, principal_name = name.partition("/")
    if principal_name or any(d.name == name for d in mesh.domains):
        domain = next((d for d in mesh.domains if d.name == domain_name), None)
        if domain is None:
            raise UnknownPrincipal(f"no domain {domain_name!r} in the files")
        wanted = principal_name or ANALYST.name
        principal = next((p for p in domain.principals if p.name == wanted), None)
        if principal is None and wanted == ANALYST.name:
            principal = ANALYST
        if principal is None:
            raise UnknownPrincipal(f"domain {domain.name} lists no principal {wanted!r}")
        return Reader(domain, principal, principal_arn(mesh, domain.name, principal))
    found = [(d, p) for d in mesh.domains for p in d.principals if name in (p.name, p.role)]
    if len(found) != 1:
        where = ", ".join(f"{d.name}/{p.name}" for d, p in found)
        raise UnknownPrincipal(
            f"{name!r} names no domain and no principal of a domain file"
            if not found
            else f"{name!r} is a principal of several domains ({where}): name one as DOMAIN/PRINCIPAL"
        )
    domain, principal = found[0]
    return Reader(domain, principal, principal_arn(mesh, domain.name, principal))
