"""Makes moto's CloudFormation StackSets behave like the real service, where the mesh's bootstrap relies on it.

- Automatic deployment (service-managed): ``AutoDeployment`` given to CreateStackSet is kept
  and described. An account that joins a target OU (CreateAccount under it, MoveAccount into
  it, at any depth) gets a stack instance in each Region the StackSet deploys to; one that
  leaves loses it, its stack deleted unless ``RetainStacksOnAccountRemoval``
  (CloudFormation API Reference: AutoDeployment). moto ignored the parameter.
- Every stack instance is a stack in its own account, named ``StackSet-<name>-<id>``, that
  DescribeStacks there lists; moto kept service-managed instances' stacks hidden.
- Self-managed StackSets need their roles (User Guide: "Grant self-managed permissions"):
  the administration role in the administrator account, with a policy allowing it
  ``sts:AssumeRole`` on the execution role of each target account, and that execution role.
  Without them the instance is ``OUTDATED`` with the reason AWS gives (the same for either;
  cdklabs/cdk-stacksets issue 438 shows it for an administration role whose policy was not
  attached yet) and the operation ``FAILED``; moto deployed regardless. A template whose
  resources fail does the same. Only the role's own Allow and Deny statements without
  conditions are read (inline and attached managed policies, ``Action``/``NotAction``,
  ``Resource``/``NotResource`` with ``*`` and ``?``); a statement with a condition allows nothing.
- Service-managed StackSets never deploy to the organization's management account, even when
  it is in a target OU (API Reference: DeploymentTargets); moto deployed there too.
- Describing a StackSet reports its ``OrganizationalUnitIds`` and ``Regions``.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import uuid
from collections.abc import Callable
from typing import Any

from moto.cloudformation.models import StackInstance, StackInstances, StackSet, cloudformation_backends
from moto.cloudformation.responses import CloudFormationResponse
from moto.iam.models import Role, iam_backends
from moto.organizations.models import OrganizationsBackend, organizations_backends
from moto.utilities.utils import get_partition

from localaws.stack_operations import reason

SERVICE_MANAGED, SELF_MANAGED = "SERVICE_MANAGED", "SELF_MANAGED"


def _truthy(value: Any) -> bool:
    return str(value).lower() == "true"


def _role(account: str, name: str) -> Role | None:
    return next((role for role in iam_backends[account]["global"].get_roles() if role.name == name), None)


def _statements(role: Role) -> list[dict[str, Any]]:
    """Every statement of ``role``'s inline policies and of the default versions of its managed policies."""
    documents = list(role.policies.values())
    for policy in role.managed_policies.values():
        documents += [v.document for v in policy.versions if v.is_default]
    found = []
    for document in documents:
        parsed = json.loads(document) if isinstance(document, str) else document
        statements = parsed.get("Statement", [])
        found += statements if isinstance(statements, list) else [statements]
    return found


def _listed(values: Any) -> list[str]:
    return values if isinstance(values, list) else [values]


def _covers(statement: dict[str, Any], action: str, resource: str) -> bool:
    """Whether ``statement`` applies to ``action`` on ``resource`` (IAM's wildcards, actions case-insensitive)."""

    def matches(patterns: Any, value: str, fold: bool) -> bool:
        return any(
            fnmatch.fnmatchcase(value.lower() if fold else value, p.lower() if fold else p) for p in _listed(patterns)
        )

    acts = (
        matches(statement["Action"], action, True)
        if "Action" in statement
        else not matches(statement.get("NotAction", []), action, True)
    )
    on = (
        matches(statement["Resource"], resource, False)
        if "Resource" in statement
        else not matches(statement.get("NotResource", []), resource, False)
    )
    return acts and on


def _may_assume(role: Role, target: str) -> bool:
    """Whether ``role``'s own policies allow ``sts:AssumeRole`` on the role ARN ``target``."""
    applying = [s for s in _statements(role) if "Condition" not in s and _covers(s, "sts:AssumeRole", target)]
    return any(s["Effect"] == "Allow" for s in applying) and not any(s["Effect"] == "Deny" for s in applying)


def _is_management_account(account: str, region: str) -> bool:
    org = organizations_backends[account][get_partition(region)].org
    return org is not None and org.master_account_id == account


def _instance_init(
    self: StackInstance,
    account_id: str,
    region_name: str,
    stackset_id: str,
    stack_name: str,
    name: str,
    template: str,
    parameters: Any,
    permission_model: str,
) -> None:
    """A stack instance: its stack created in its own account, or the reason it could not be.

    moto's ``stack_name`` (one name for every instance) is replaced by AWS's per-instance name.
    """
    self.account_id, self.region_name, self.stackset_id = account_id, region_name, stackset_id
    self.name, self.template, self.permission_model = name, template, permission_model
    self.parameters = parameters if isinstance(parameters, list) else []  # overrides only; the StackSet's own are not
    values = (
        parameters
        if isinstance(parameters, dict)
        else {p["ParameterKey"]: p["ParameterValue"] for p in self.parameters}
    )
    self.stack_name = f"StackSet-{name}-{uuid.uuid4()}"
    self.stack, self.status_reason = None, None
    self.excluded = permission_model == SERVICE_MANAGED and _is_management_account(account_id, region_name)
    if self.excluded:
        return
    stack_set = _stack_set(stackset_id)
    if permission_model == SELF_MANAGED and stack_set is not None:
        admin_account, admin_role = (
            stack_set.administration_role_arn.split(":")[4],
            stack_set.administration_role_arn.rsplit("/", 1)[-1],
        )
        administration = _role(admin_account, admin_role)
        execution = f"arn:aws:iam::{account_id}:role/{stack_set.execution_role_name}"
        if (
            administration is None
            or not _may_assume(administration, execution)
            or _role(account_id, stack_set.execution_role_name) is None
        ):
            self.status_reason = (
                f"Account {account_id} should have '{stack_set.execution_role_name}' role with trust relationship "
                f"to Role '{admin_role}'."
            )
            return
    try:
        self.stack = cloudformation_backends[account_id][region_name].create_stack(
            name=self.stack_name, template=template, parameters=values
        )
    except Exception as error:  # whatever a resource raised fails the instance, as on AWS
        self.status_reason = reason(error)
        return
    if not self.stack.status.endswith("_COMPLETE") or "ROLLBACK" in self.stack.status:
        self.status_reason = getattr(self.stack, "status_reason", None) or self.stack.status


def _instance_delete(self: StackInstance, retain: bool = False) -> None:
    if self.stack is not None and not retain:
        cloudformation_backends[self.account_id][self.region_name].delete_stack(self.stack.stack_id)


def _instance_to_dict(self: StackInstance) -> dict[str, Any]:
    failed = self.status_reason is not None
    result = {
        "StackSetId": self.stackset_id,
        "Region": self.region_name,
        "Account": self.account_id,
        "Status": "OUTDATED" if failed else "CURRENT",
        "StackInstanceStatus": {"DetailedStatus": "FAILED" if failed else "SUCCEEDED"},
        "ParameterOverrides": self.parameters,
    }
    if self.stack is not None:
        result["StackId"] = self.stack.stack_id
    if failed:
        result["StatusReason"] = self.status_reason
    return result


def _stack_set(stackset_id: str) -> StackSet | None:
    """The StackSet with this id, in whichever administrator account and Region holds it."""
    for account in list(cloudformation_backends.values()):
        for backend in list(account.values()):
            if stackset_id in backend.stacksets:
                return backend.stacksets[stackset_id]
    return None


def _never_the_management_account(original: Callable[..., list[dict[str, Any]]]) -> Callable[..., list[dict[str, Any]]]:
    """StackInstances.create_instances: a service-managed StackSet leaves the management account out."""

    @functools.wraps(original)
    def create_instances(self: StackInstances, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        created = original(self, *args, **kwargs)
        left_out = {i.account_id for i in self.stack_instances if i.excluded}
        self.stack_instances = [i for i in self.stack_instances if not i.excluded]
        return [i for i in created if i["Account"] not in left_out]

    return create_instances


def _recorded_targets(original: Callable[..., str]) -> Callable[..., str]:
    """StackSet.create_stack_instances: remember target OUs and Regions; fail the operation if an instance failed."""

    @functools.wraps(original)
    def create_stack_instances(
        self: StackSet,
        accounts: list[str],
        regions: list[str],
        deployment_targets: dict[str, Any] | None,
        parameters: list[dict[str, Any]],
    ) -> str:
        before = set(map(id, self.instances.stack_instances))
        operation_id = original(self, accounts, regions, deployment_targets, parameters)
        self.organizational_unit_ids = sorted(
            {*_ous(self), *((deployment_targets or {}).get("OrganizationalUnitIds") or [])}
        )
        self.regions = sorted({*getattr(self, "regions", []), *regions})
        if any(i.status_reason for i in self.instances.stack_instances if id(i) not in before):
            self.update_operation(operation_id, "FAILED")
        return operation_id

    return create_stack_instances


def _ous(stack_set: StackSet) -> list[str]:
    return getattr(stack_set, "organizational_unit_ids", [])


def _create_stack_set(original: Callable[..., Any]) -> Callable[..., Any]:
    """CreateStackSet: keep ``AutoDeployment``."""

    @functools.wraps(original)
    def create_stack_set(self: CloudFormationResponse) -> Any:
        result = original(self)
        stack_set = self.cloudformation_backend.describe_stack_set(self._get_param("StackSetName"))
        auto = self._get_params().get("AutoDeployment") or {}
        stack_set.auto_deployment = {
            "Enabled": _truthy(auto.get("Enabled")),
            "RetainStacksOnAccountRemoval": _truthy(auto.get("RetainStacksOnAccountRemoval")),
        }
        stack_set.organizational_unit_ids, stack_set.regions = [], []
        return result

    return create_stack_set


def _ancestors(org: OrganizationsBackend, parent_id: str | None) -> set[str]:
    """The OU (or root) ``parent_id`` and every OU above it."""
    found: set[str] = set()
    while parent_id and parent_id not in found:
        found.add(parent_id)
        parent = next((ou for ou in org.ou if ou.id == parent_id), None)
        parent_id = getattr(parent, "parent_id", None)
    return found


def _auto_deploy(org: OrganizationsBackend, account_id: str, old_parent: str | None, new_parent: str | None) -> None:
    """Deploy to or remove from ``account_id`` every auto-deploying StackSet whose targets it joined or left."""
    was, now = _ancestors(org, old_parent), _ancestors(org, new_parent)
    for backend in list(cloudformation_backends[org.account_id].values()):
        for stack_set in backend.stacksets.values():
            auto = getattr(stack_set, "auto_deployment", {})
            if stack_set.status != "ACTIVE" or stack_set.permission_model != SERVICE_MANAGED or not auto.get("Enabled"):
                continue
            targets = set(_ous(stack_set))
            if targets & now and not targets & was:
                created = stack_set.instances.create_instances(
                    [account_id], stack_set.regions, stack_set.parameters, {}, SERVICE_MANAGED
                )
                stack_set._create_operation(str(uuid.uuid4()), "CREATE", "SUCCEEDED", [account_id], stack_set.regions)
                if any(i.get("StatusReason") for i in created):
                    stack_set.operations[-1]["Status"] = "FAILED"
            elif targets & was and not targets & now:
                for instance in [i for i in stack_set.instances.stack_instances if i.account_id == account_id]:
                    instance.delete(retain=auto.get("RetainStacksOnAccountRemoval", False))
                    stack_set.instances.stack_instances.remove(instance)
                stack_set._create_operation(str(uuid.uuid4()), "DELETE", "SUCCEEDED", [account_id], stack_set.regions)


def _create_account(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    @functools.wraps(original)
    def create_account(self: OrganizationsBackend, **kwargs: Any) -> dict[str, Any]:
        status = original(self, **kwargs)
        account = self.accounts[-1]
        _auto_deploy(self, account.id, None, account.parent_id)
        return status

    return create_account


def _move_account(original: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(original)
    def move_account(self: OrganizationsBackend, **kwargs: Any) -> None:
        old_parent = self.get_account_by_id(kwargs["AccountId"]).parent_id
        original(self, **kwargs)
        _auto_deploy(self, kwargs["AccountId"], old_parent, kwargs["DestinationParentId"])

    return move_account


def install() -> None:
    """Patch moto's StackSets and Organizations in this process; safe to call more than once."""
    if getattr(StackSet, "_localaws_installed", False):
        return
    StackInstance.__init__ = _instance_init  # type: ignore[method-assign]
    StackInstance.delete = _instance_delete  # type: ignore[method-assign]
    StackInstance.to_dict = _instance_to_dict  # type: ignore[method-assign]
    StackInstances.create_instances = _never_the_management_account(StackInstances.create_instances)  # type: ignore[method-assign]
    StackSet.create_stack_instances = _recorded_targets(StackSet.create_stack_instances)  # type: ignore[method-assign]
    CloudFormationResponse.create_stack_set = _create_stack_set(CloudFormationResponse.create_stack_set)  # type: ignore[method-assign]
    OrganizationsBackend.create_account = _create_account(OrganizationsBackend.create_account)  # type: ignore[method-assign]
    OrganizationsBackend.move_account = _move_account(OrganizationsBackend.move_account)  # type: ignore[method-assign]
    StackSet._localaws_installed = True  # type: ignore[attr-defined]
