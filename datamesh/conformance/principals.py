"""Sessions as the mesh's own roles: each producer's role and each consumer's analyst role.

The operator's credentials reach each account as ``meshctl doctor`` does (:class:`aws.Accounts`);
from there the run assumes ``<mesh>-<domain>-producer`` or ``<mesh>-<domain>-analyst``, which
trust their own account (the storage and access stacks), so every check is made with exactly
the permissions the mesh gave that role.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3

from datamesh.aws import sessions as aws
from datamesh.config import Mesh
from datamesh.names import naming


class Principals:
    """Sessions as the mesh's roles, made once each."""

    def __init__(self, mesh: Mesh, accounts: aws.Accounts):
        self.mesh = mesh
        self.accounts = accounts
        self._lock = threading.Lock()
        self._sessions: dict[str, boto3.Session] = {}

    def producer_arn(self, domain: str) -> str:
        return naming.role_arn(self.mesh.domain(domain).account, naming.producer_role(self.mesh.config.name, domain))

    def analyst_arn(self, domain: str) -> str:
        return naming.role_arn(self.mesh.domain(domain).account, naming.analyst_role(self.mesh.config.name, domain))

    def as_role(self, domain: str, role_arn: str, service: str) -> Any:
        """A client of ``service`` as ``role_arn``, a role of ``domain``'s account."""
        with self._lock:
            if role_arn not in self._sessions:
                account = self.mesh.domain(domain).account
                sts = self.accounts.client(account, domain, "sts")
                self._sessions[role_arn] = aws.assume(sts, role_arn, "meshctl-conformance")
            session = self._sessions[role_arn]
        settings = self.accounts.settings
        return session.client(service, endpoint_url=settings.endpoint_url, config=settings.config)

    def producer(self, domain: str, service: str) -> Any:
        return self.as_role(domain, self.producer_arn(domain), service)

    def analyst(self, domain: str, service: str) -> Any:
        return self.as_role(domain, self.analyst_arn(domain), service)

    def account(self, account: str, label: str, service: str) -> Any:
        """A client of ``service`` in ``account`` with the operator's role there (to read grants back)."""
        return self.accounts.client(account, label, service)
