"""Reaching the mesh's accounts with boto3, and AWS errors as one clear line.

Real AWS: the default credentials assume a role of the same name in every account (or a
named profile per account, from a template). Local AWS: the same, against an endpoint URL
(moto hands out credentials in the role's account on ``sts:AssumeRole``). Every client
retries throttling with botocore's adaptive mode.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer
from botocore.exceptions import BotoCoreError, ClientError

from datamesh.aws.answers import CannotRead, NotFound, failure, watch
from datamesh.names import naming

if TYPE_CHECKING:  # boto3 loads when the first session opens, so that meshctl and its --help start at once
    import boto3
    from botocore.config import Config

DEFAULT_ROLE = "OrganizationAccountAccessRole"


def _endpoint_url(value: str | None) -> str | None:
    """An http(s) URL with a host that botocore accepts (else a usage error, exit 2); empty means none."""
    if not value:
        return None
    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    try:
        scheme = urlsplit(value).scheme
    except ValueError:
        scheme = ""
    if scheme not in {"http", "https"} or not (is_valid_endpoint_url(value) or is_valid_ipv6_endpoint_url(value)):
        raise typer.BadParameter("expected an http:// or https:// URL with a host, such as http://localhost:4566")
    return value


EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint-url",
        envvar="AWS_ENDPOINT_URL",
        metavar="URL",
        callback=_endpoint_url,
        help="Send every AWS call there, e.g. the local AWS's http://localhost:PORT.",
    ),
]
RoleOption = Annotated[
    str, typer.Option("--role-name", envvar="MESHCTL_ROLE_NAME", help="Role assumed in each account of the mesh.")
]
ProfileTemplateOption = Annotated[
    str | None,
    typer.Option(
        "--profile-template",
        metavar="TEMPLATE",
        help="Use a named profile per account instead of assuming a role, e.g. 'acme-{domain}' or "
        "'{account}-readonly' ({domain} is 'governance' for the governance account).",
    ),
]
AttemptsOption = Annotated[
    int,
    typer.Option(
        "--max-attempts",
        min=1,
        help="Attempts per AWS call before throttling or a dropped connection is an error (adaptive retry mode).",
    ),
]


@dataclass(frozen=True)
class Settings:
    region: str
    endpoint_url: str | None = None
    role_name: str = DEFAULT_ROLE
    profile_template: str | None = None
    max_attempts: int = 8

    @property
    def config(self) -> Config:
        from botocore.config import Config

        return Config(
            region_name=self.region,
            retries={"mode": "adaptive", "total_max_attempts": self.max_attempts},
            connect_timeout=5,
            read_timeout=30,
        )


def explain(exc: Exception, where: str) -> str:
    """One line for an AWS failure in ``where`` (an account and what was being read): the API, the
    endpoint and the reason for a call of a client from :class:`Accounts`, the reason alone for a failure
    before any call (a profile that does not exist)."""
    if isinstance(exc, (CannotRead, NotFound)):
        return f"{where}: {exc}"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return (
            f"{where}: {exc.operation_name} failed ({error.get('Code', 'Unknown')}): {error.get('Message', '')}".rstrip(
                ": "
            )
        )
    if isinstance(exc, BotoCoreError):
        return f"{where}: {failure(exc)}"
    return f"{where}: {exc}"


class Accounts:
    """Clients in the mesh's accounts, each made once; safe to use from several threads.

    With roles, every client comes from one boto3 session (so botocore reads each service
    model once, not once per account) with the credentials assumed in its account.
    """

    def __init__(self, settings: Settings, base: boto3.Session | None = None):
        """:param base: the session whose credentials assume the roles; defaults to boto3's default credentials."""
        self.settings = settings
        self._base = base
        self._lock = threading.Lock()
        self._opening: dict[str, threading.Lock] = {}
        self._sessions: dict[str, boto3.Session] = {}  # by account, with --profile-template
        self._credentials: dict[str, dict[str, str]] = {}  # by account, assumed (empty: the base's own account)
        self._clients: dict[tuple[str, str], Any] = {}
        self._sts: Any = None  # the base's
        self._caller: str | None = None

    def client(self, account: str, domain: str, service: str) -> Any:
        """The account's client of ``service``, made once (botocore's clients are thread-safe); its failed calls
        raise :class:`NotFound` (the operation's documented not-found answer) or :class:`CannotRead` (anything
        else), see :mod:`datamesh.aws.answers`."""
        with self._lock:
            made = self._clients.get((account, service))
        if made is not None:
            return made
        with self._account_lock(account):
            if self.settings.profile_template:
                if account not in self._sessions:
                    self._sessions[account] = self._profile_session(account, domain)
                session, credentials = self._sessions[account], {}
            else:
                session = self._base_session()
                credentials = self._assumed(account)
        with self._lock:  # a boto3 session is not thread-safe: one client made at a time
            if (account, service) not in self._clients:
                self._clients[account, service] = watch(
                    session.client(
                        service, endpoint_url=self.settings.endpoint_url, config=self.settings.config, **credentials
                    )
                )
            return self._clients[account, service]

    def _account_lock(self, account: str) -> threading.Lock:
        """One lock per account: accounts open in parallel, each once."""
        with self._lock:
            return self._opening.setdefault(account, threading.Lock())

    def _base_session(self) -> boto3.Session:
        import boto3

        with self._lock:
            if self._base is None:
                self._base = boto3.Session()
            if self._sts is None:
                self._sts = watch(
                    self._base.client("sts", endpoint_url=self.settings.endpoint_url, config=self.settings.config)
                )
            return self._base

    def _profile_session(self, account: str, domain: str) -> boto3.Session:
        import boto3

        return boto3.Session(profile_name=self.settings.profile_template.format(account=account, domain=domain))

    def _assumed(self, account: str) -> dict[str, str]:
        """Credentials in ``account`` (call with the account's lock held); none for the base's own account."""
        if account not in self._credentials:
            if self._caller is None:
                self._caller = self._sts.get_caller_identity()["Account"]
            self._credentials[account] = (
                {}
                if self._caller == account
                else assumed_credentials(self._sts, naming.role_arn(account, self.settings.role_name))
            )
        return self._credentials[account]


def assumed_credentials(sts: Any, role_arn: str, session_name: str = "meshctl") -> dict[str, str]:
    """The credentials ``sts`` (a client) gets for ``role_arn``, as keyword arguments of a boto3 client or session."""
    issued = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)["Credentials"]
    return {
        "aws_access_key_id": issued["AccessKeyId"],
        "aws_secret_access_key": issued["SecretAccessKey"],
        "aws_session_token": issued["SessionToken"],
    }


def assume(sts: Any, role_arn: str, session_name: str = "meshctl") -> boto3.Session:
    """A session with the credentials ``sts`` (a client) gets for ``role_arn``."""
    import boto3

    return boto3.Session(**assumed_credentials(sts, role_arn, session_name))


def items(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of every page: botocore's paginator where it has one, NextToken otherwise."""
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**params):
            yield from page.get(key, [])
        return
    call = getattr(client, operation)
    while True:
        page = call(**params)
        yield from page.get(key, [])
        if not page.get("NextToken"):
            return
        params = {**params, "NextToken": page["NextToken"]}


AWS_FAILURES = (ClientError, BotoCoreError, CannotRead, NotFound)
