"""Who CloudFormation acts as while it creates, updates or deletes a stack's resources.

CloudFormation calls each service with the stack's service role (``RoleArn``; the CDK
CLI passes its bootstrap ``cfn-exec-role``) or, without one, with the caller's
credentials. Every client of the local AWS reaches an account through its
``OrganizationAccountAccessRole`` (:mod:`localaws.accounts`), so that role stands for
the caller. Lake Formation checks this principal, not the account, when it grants.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from moto.cloudformation.models import cloudformation_backends

from localaws.accounts import ACCESS_ROLE


@dataclass(frozen=True)
class Deployer:
    """The principal a stack operation acts as, and where it stands in that operation.

    :param principal: an IAM role ARN.
    :param stack_id: the stack being deployed ("" outside a stack).
    :param operation: identifies the stack operation under way (its start event).
    :param logical_id: the resource being deployed.
    :param depends_on: the logical ids it names in ``DependsOn``.
    """

    principal: str
    stack_id: str = ""
    operation: str = ""
    logical_id: str = ""
    depends_on: tuple[str, ...] = ()


_current: ContextVar[Deployer | None] = ContextVar("deployer", default=None)


def caller(account_id: str) -> str:
    return f"arn:aws:iam::{account_id}:role/{ACCESS_ROLE}"


def of_stack(
    stack_id: str | None, account_id: str, region: str, logical_id: str, resource_json: dict[str, Any]
) -> Deployer:
    """Who deploys resource ``logical_id`` of ``stack_id`` (its service role, else the caller)."""
    named = resource_json.get("DependsOn", [])
    depends_on = (named,) if isinstance(named, str) else tuple(named)
    stack = cloudformation_backends[account_id][region].stacks.get(stack_id or "")
    if stack is None:
        return Deployer(caller(account_id), logical_id=logical_id, depends_on=depends_on)
    started = [
        e for e in stack.events if e.logical_resource_id == stack.name and e.resource_status.endswith("_IN_PROGRESS")
    ]
    operation = str(started[-1].event_id) if started else ""
    return Deployer(stack.role_arn or caller(account_id), stack.stack_id, operation, logical_id, depends_on)


def current(account_id: str) -> Deployer:
    """Who acts now: set by :func:`acting`, else the account's caller."""
    return _current.get() or Deployer(caller(account_id))


@contextlib.contextmanager
def acting(deployer: Deployer) -> Iterator[None]:
    token = _current.set(deployer)
    try:
        yield
    finally:
        _current.reset(token)
