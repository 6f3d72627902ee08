"""Create, update and delete a stack's resources as CloudFormation does.

- An update compares each resource's resolved properties with those last applied.
  Unchanged resources are left alone. A change to one of the type's create-only
  properties (its provider schema, see :mod:`localaws.resource_schemas`) replaces the
  resource: the new one is created during the update, after deleting the old one when the
  schema's replacement strategy is delete-then-create; any other change updates it in
  place.
- Cleanup runs after every resource was created or updated: replaced resources are
  deleted unless their ``UpdateReplacePolicy`` is ``Retain``; resources the template no
  longer has are deleted, dependents first, unless their ``DeletionPolicy`` is
  ``Retain`` (or ``RetainExceptOnCreate``), which keeps them (``DELETE_SKIPPED``). A
  deletion that fails in cleanup is reported and leaves the update complete.
- A resource that fails rolls the operation back: resources updated in place get their
  previous properties again, replaced ones their previous physical resource, and those
  created are deleted (a ``Retain`` one is kept). The stack keeps its previous template
  and parameters, so the next update starts from there.
- Each step is a stack event with CloudFormation's statuses and reasons, which is what
  the CDK CLI's progress display reads.
"""

from __future__ import annotations

import copy
import re
import warnings
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.models import Event, Stack

from localaws import resource_schemas

_RETAINED = ("Retain", "RetainExceptOnCreate")
_MILLISECOND = timedelta(milliseconds=1)
_REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."


class ResourceFailure(Exception):
    """A resource of a stack failed; says which, and why."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.reason = reason


def reason(error: Exception) -> str:
    """An error as one line: ``Code: message``.

    moto's errors keep the HTTP status in ``code`` and the AWS error code in ``error_type``.
    """
    code = getattr(error, "error_type", None) or getattr(error, "code", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    return message if message.startswith(f"{code}:") else f"{code}: {message}"


def _dependencies(node: Any) -> set[str]:
    """Logical ids a resource refers to through Ref, Fn::GetAtt, Fn::Sub or DependsOn."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt" and isinstance(value, list) and value:
                found.add(value[0])
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else value)
            elif key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else (value[0], value[1])
                names = {n.split(".")[0] for n in re.findall(r"\$\{([^}!]+)\}", text)}
                found |= (names - set(variables)) | _dependencies(variables)
            else:
                found |= _dependencies(value)
    elif isinstance(node, list):
        for item in node:
            found |= _dependencies(item)
    return found


def in_dependency_order(names: list[str], resources: dict[str, Any]) -> list[str]:
    """``names`` reordered so that each comes after the resources it depends on."""
    ordered: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in resources:
            return
        seen.add(name)
        for dependency in sorted(_dependencies(resources[name])):
            visit(dependency)
        ordered.append(name)

    for name in names:
        visit(name)
    wanted = set(names)
    return [n for n in ordered if n in wanted]


@dataclass
class _Step:
    """One resource the operation changed, and what it was before."""

    action: str  # "create", "update", "replace" (create, then delete) or "recreate" (delete, then create)
    logical_id: str
    previous: Any = None


@dataclass
class _State:
    """What a stack's resource map holds between operations."""

    template: dict[str, Any]
    parameters: dict[str, Any]
    resources: dict[str, Any]
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)


def _applied(stack: Stack) -> dict[str, dict[str, Any]]:
    """Resolved properties of each resource as last created or updated."""
    if not hasattr(stack, "localaws_applied"):
        stack.localaws_applied = {}
    return stack.localaws_applied


def input_parameters(template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Each template parameter's input value: the one given, else its default.

    For an ``AWS::SSM::Parameter::Value`` parameter that is the SSM parameter's name,
    which CloudFormation resolves again on every update.
    """
    declared = template.get("Parameters") or {}
    return {
        name: given.get(name, slot.get("Default"))
        for name, slot in declared.items()
        if name in given or "Default" in slot
    }


class StackOperation:
    """Run one CREATE or UPDATE of ``stack`` to ``template`` with ``parameters``."""

    def __init__(self, stack: Stack, operation: str, template: dict[str, Any], parameters: dict[str, Any]) -> None:
        self.stack = stack
        self.operation = operation
        self.template = template
        self.parameters = input_parameters(template, parameters)
        self.resource_map = stack.resource_map
        self.previous = _State(
            template=self.resource_map._template or {"Resources": {}},
            parameters=dict(self.resource_map.input_parameters or {}),
            resources=dict(self.resource_map._parsed_resources),
            applied=dict(_applied(stack)),
        )
        self.done: list[_Step] = []

    @property
    def _old(self) -> dict[str, Any]:
        return self.previous.template.get("Resources") or {}

    def run(self) -> bool:
        """Apply the template; True when it succeeded, False when it was rolled back."""
        self._set_status(f"{self.operation}_IN_PROGRESS", "User Initiated")
        try:
            unmanaged = {k: v for k, v in self.previous.resources.items() if k not in self._old}  # pseudo parameters
            self._load(self.template, self.parameters, unmanaged)
            wanted = self._wanted()
            for logical_id in in_dependency_order(list(wanted), wanted):
                self._apply(logical_id)
        except Exception as error:
            self._roll_back(
                error
                if isinstance(error, ResourceFailure)
                else ResourceFailure(self.stack.name, "AWS::CloudFormation::Stack", reason(error))
            )
            return False
        if self.operation == "UPDATE":
            self._set_status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
            self._clean_up()
        self.stack.parameters = self.parameters
        self._set_status(f"{self.operation}_COMPLETE")
        return True

    def _load(self, template: dict[str, Any], parameters: dict[str, Any], resources: dict[str, Any]) -> None:
        """Point the resource map at ``template``, holding ``resources``."""
        resource_map = self.resource_map
        resource_map._template = template
        resource_map._resource_json_map = template.get("Resources") or {}
        resource_map.input_parameters = parameters
        resource_map.resolved_parameters = {}
        resource_map._parsed_resources = dict(resources)
        resource_map.load_mapping()
        resource_map.load_parameters()
        resource_map.load_conditions()

    def _wanted(self) -> dict[str, Any]:
        """The template's resources whose condition (if any) holds."""
        conditions = self.resource_map.lazy_condition_map
        return {
            k: v
            for k, v in (self.template.get("Resources") or {}).items()
            if not v.get("Condition") or conditions[v["Condition"]]
        }

    def _resolve(self, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
        parsed = parsing.parse_resource(copy.deepcopy(raw), self.resource_map)
        return parsed[1].get("Properties", {}) if parsed else {}

    def _apply(self, logical_id: str) -> None:
        raw = self.template["Resources"][logical_id]
        old = self._old.get(logical_id)
        if old is None or logical_id not in self.previous.resources:
            self._create(logical_id, raw)
            return
        resource_type = raw["Type"]
        previous = self.previous.resources[logical_id]
        self.resource_map._parsed_resources[logical_id] = previous
        if old["Type"] != resource_type:
            raise ResourceFailure(
                logical_id, resource_type, f"Update of resource type is not permitted (it was {old['Type']})"
            )
        properties = self._resolve(logical_id, raw)
        if properties == self.previous.applied.get(logical_id):
            return
        physical_id = _physical_id(previous)
        changed = resource_schemas.replacing_changes(
            resource_type, self.stack.region_name, self.previous.applied.get(logical_id, {}), properties
        )
        if changed and resource_schemas.deletes_first(resource_type, self.stack.region_name):
            self._delete_now(logical_id, previous, old)
            self.done.append(_Step("recreate", logical_id, previous))
            self._event(logical_id, resource_type, "", "UPDATE_IN_PROGRESS", _REPLACING)
            created = self._call(parsing.parse_and_create_resource, logical_id, raw)
        elif changed:
            self._event(logical_id, resource_type, physical_id, "UPDATE_IN_PROGRESS", _REPLACING)
            created = self._call(parsing.parse_and_create_resource, logical_id, raw)
            self.done.append(_Step("replace", logical_id, previous))
        else:
            self._event(logical_id, resource_type, physical_id, "UPDATE_IN_PROGRESS")
            created = self._call(parsing.parse_and_update_resource, logical_id, raw)
            if created is None:
                raise ResourceFailure(
                    logical_id, resource_type, "the local AWS cannot update this resource type in place"
                )
            self.done.append(_Step("update", logical_id, previous))
        self.resource_map._parsed_resources[logical_id] = created
        _applied(self.stack)[logical_id] = properties
        self._event(logical_id, resource_type, _physical_id(created), "UPDATE_COMPLETE")

    def _delete_now(self, logical_id: str, resource: Any, raw: dict[str, Any]) -> None:
        """Delete the old resource of a delete-then-create replacement; its failure fails the update."""
        self._event(logical_id, raw["Type"], _physical_id(resource), "DELETE_IN_PROGRESS")
        try:
            self.resource_map._delete_resource(resource, raw)
        except Exception as error:
            raise ResourceFailure(logical_id, raw["Type"], reason(error)) from error
        self._event(logical_id, raw["Type"], _physical_id(resource), "DELETE_COMPLETE")

    def _create(self, logical_id: str, raw: dict[str, Any]) -> None:
        self._event(logical_id, raw["Type"], "", "CREATE_IN_PROGRESS")
        properties = self._resolve(logical_id, raw)
        created = self.resource_map._parsed_resources.get(logical_id)  # a reference the order missed made it already
        if created is None:
            created = self._call(parsing.parse_and_create_resource, logical_id, raw)
        self.resource_map._parsed_resources[logical_id] = created
        _applied(self.stack)[logical_id] = properties
        self.done.append(_Step("create", logical_id))
        self._event(logical_id, raw["Type"], _physical_id(created), "CREATE_COMPLETE")

    def _call(self, function: Any, logical_id: str, raw: dict[str, Any]) -> Any:
        try:
            return function(
                logical_id, copy.deepcopy(raw), self.resource_map, self.stack.account_id, self.stack.region_name
            )
        except ResourceFailure:
            raise
        except Exception as error:
            raise ResourceFailure(logical_id, raw.get("Type", "?"), reason(error)) from error

    def _clean_up(self) -> None:
        for step in reversed([s for s in self.done if s.action == "replace"]):
            old = self._old[step.logical_id]
            self._delete(step.logical_id, step.previous, old, old.get("UpdateReplacePolicy"))
        wanted = self._wanted()
        removed = [k for k in self._old if k not in wanted and k in self.previous.resources]
        for logical_id in reversed(in_dependency_order(removed, self._old)):
            old = self._old[logical_id]
            self._delete(logical_id, self.previous.resources[logical_id], old, old.get("DeletionPolicy"))
            _applied(self.stack).pop(logical_id, None)

    def _delete(self, logical_id: str, resource: Any, raw: dict[str, Any], policy: str | None) -> bool:
        """Delete one physical resource unless ``policy`` retains it; False if that failed."""
        physical_id = _physical_id(resource)
        if policy in _RETAINED:
            self._event(logical_id, raw["Type"], physical_id, "DELETE_SKIPPED")
            return True
        self._event(logical_id, raw["Type"], physical_id, "DELETE_IN_PROGRESS")
        try:
            self.resource_map._delete_resource(resource, raw)
        except Exception as error:
            self._event(logical_id, raw["Type"], physical_id, "DELETE_FAILED", reason(error))
            return False
        self._event(logical_id, raw["Type"], physical_id, "DELETE_COMPLETE")
        return True

    def _roll_back(self, failure: ResourceFailure) -> None:
        failed = "UPDATE_FAILED" if failure.logical_id in self._old else "CREATE_FAILED"
        self._event(failure.logical_id, failure.resource_type, "", failed, failure.reason)
        why = f"The following resource(s) failed to {self.operation.lower()}: [{failure.logical_id}]. {failure.reason}"
        rollback = "ROLLBACK" if self.operation == "CREATE" else "UPDATE_ROLLBACK"
        self._set_status(f"{rollback}_IN_PROGRESS", why)
        new_template = self.template
        created = {
            s.logical_id: self.resource_map._parsed_resources.get(s.logical_id)
            for s in self.done
            if s.action != "update"
        }
        for step in self.done:
            if step.action == "recreate" and created[step.logical_id] is step.previous:
                created[step.logical_id] = None  # its new resource was never created
        ok = True
        with warnings.catch_warnings():  # moto warns about resources the failure left uncreated
            warnings.simplefilter("ignore")
            try:
                self._load(self.previous.template, self.previous.parameters, self.previous.resources)
                self.stack.localaws_applied = dict(self.previous.applied)
                for step in reversed([s for s in self.done if s.action in ("update", "recreate")]):
                    ok = self._restore(step, created.get(step.logical_id), new_template) and ok
            except Exception as error:
                ok = False
                why = f"{why} Rollback failed: {reason(error)}"
            if rollback == "UPDATE_ROLLBACK":
                self._set_status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
            for step in reversed([s for s in self.done if s.action in ("create", "replace")]):
                raw = new_template["Resources"][step.logical_id]
                policy = raw.get("UpdateReplacePolicy") if step.action == "replace" else raw.get("DeletionPolicy")
                if policy == "RetainExceptOnCreate":
                    policy = None
                ok = self._delete(step.logical_id, created[step.logical_id], raw, policy) and ok
        if self.operation == "CREATE":
            self.resource_map._resource_json_map = {}
        self._set_status(f"{rollback}_{'COMPLETE' if ok else 'FAILED'}", why)

    def _restore(self, step: _Step, created: Any, new_template: dict[str, Any]) -> bool:
        """Give a resource its previous properties again; a recreated one is deleted and its
        previous self created again."""
        raw = self._old[step.logical_id]
        if step.action == "recreate" and created is not None:
            if not self._delete(step.logical_id, created, new_template["Resources"][step.logical_id], None):
                return False
        self._event(step.logical_id, raw["Type"], _physical_id(step.previous), "UPDATE_IN_PROGRESS")
        function = parsing.parse_and_create_resource if step.action == "recreate" else parsing.parse_and_update_resource
        try:
            restored = self._call(function, step.logical_id, raw)
        except ResourceFailure as error:
            self._event(step.logical_id, raw["Type"], _physical_id(step.previous), "UPDATE_FAILED", error.reason)
            return False
        self.resource_map._parsed_resources[step.logical_id] = restored
        self._event(step.logical_id, raw["Type"], _physical_id(restored), "UPDATE_COMPLETE")
        return True

    def _set_status(self, status: str, why: str | None = None) -> None:
        _set_status(self.stack, status, why)

    def _event(
        self, logical_id: str, resource_type: str, physical_id: str, status: str, why: str | None = None
    ) -> None:
        _event(self.stack, logical_id, resource_type, physical_id, status, why)


def delete_stack_resources(stack: Stack) -> bool:
    """Delete a stack's resources, dependents first, keeping the retained ones.

    Stops at the first resource that cannot be deleted (``DELETE_FAILED``, as
    CloudFormation leaves the stack); True when every resource is gone or retained.
    """
    _set_status(stack, "DELETE_IN_PROGRESS", "User Initiated")
    resource_map = stack.resource_map
    template = resource_map._resource_json_map
    for logical_id in reversed(in_dependency_order(list(template), template)):
        resource = resource_map._parsed_resources.get(logical_id)
        raw = template[logical_id]
        if resource is None:
            continue
        if raw.get("DeletionPolicy") in _RETAINED:
            _event(stack, logical_id, raw["Type"], _physical_id(resource), "DELETE_SKIPPED")
            continue
        _event(stack, logical_id, raw["Type"], _physical_id(resource), "DELETE_IN_PROGRESS")
        try:
            resource_map._delete_resource(resource, raw)
        except Exception as error:
            why = reason(error)
            _event(stack, logical_id, raw["Type"], _physical_id(resource), "DELETE_FAILED", why)
            _set_status(stack, "DELETE_FAILED", f"The following resource(s) failed to delete: [{logical_id}]. {why}")
            return False
        resource_map._parsed_resources.pop(logical_id, None)
        _event(stack, logical_id, raw["Type"], _physical_id(resource), "DELETE_COMPLETE")
    _set_status(stack, "DELETE_COMPLETE")
    return True


def _physical_id(resource: Any) -> str:
    return str(getattr(resource, "physical_resource_id", "") or "")


def _set_status(stack: Stack, status: str, why: str | None = None) -> None:
    stack.status = status
    stack.status_reason = why
    stack._add_stack_event(status, resource_status_reason=why)
    _in_order(stack)


def _in_order(stack: Stack) -> None:
    """Give the newest event a later timestamp than the one before it: the CDK CLI orders the
    events it prints by timestamp, to the millisecond, and several happen within one here."""
    if len(stack.events) > 1:
        earliest = (
            stack.events[-2].timestamp.replace(microsecond=stack.events[-2].timestamp.microsecond // 1000 * 1000)
            + _MILLISECOND
        )
        stack.events[-1].timestamp = max(stack.events[-1].timestamp, earliest)


def _event(
    stack: Stack, logical_id: str, resource_type: str, physical_id: str, status: str, why: str | None = None
) -> None:
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=why,
            resource_properties=None,
        )
    )
    _in_order(stack)
