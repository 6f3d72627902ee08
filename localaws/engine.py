"""Makes moto's CloudFormation deploy like the real service, where the mesh relies on it.

- A template naming a resource type the local AWS cannot create is refused when the
  change set is created ("Unrecognized resource types"); moto would skip the resource
  with a warning and report success.
- A resource that fails stops the deploy: the failure is reported as a resource event
  and in the stack's status reason, and the stack rolls back (``ROLLBACK_COMPLETE``
  after a failed create, ``UPDATE_ROLLBACK_COMPLETE`` after a failed update).
- New resources are created in dependency order, ``DependsOn`` included.
- A stack's outputs are those of the template its last change set deployed.
- A change set named (not given by ARN) is looked up in the stack the request names;
  moto looked it up in any stack of the account, and the CDK CLI gives every stack's
  change set the same name. Deleting one that does not exist is a no-op (the CLI does
  it routinely).
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Event, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult, EmptyResult

_LAMBDA_BACKED = ("Custom::", "AWS::CloudFormation::CustomResource")
_NOT_UPDATABLE = ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "REVIEW_IN_PROGRESS")


class ResourceFailure(Exception):
    """A resource of a stack failed; says which, and why."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id} ({resource_type}): {reason}")
        self.logical_id = logical_id
        self.resource_type = resource_type
        self.reason = reason


def reason(error: Exception) -> str:
    """An error as one line: ``Code: message``."""
    code = getattr(error, "code", None) or getattr(error, "error_type", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error)
    return message if message.startswith(f"{code}:") else f"{code}: {message}"


def unrecognized_types(template: dict[str, Any]) -> list[str]:
    """Resource types of a template that the local AWS cannot create, sorted."""
    known = parsing.get_model_map()
    types = {r.get("Type", "") for r in (template.get("Resources") or {}).values()}
    return sorted(t for t in types if t.startswith(_LAMBDA_BACKED) or (t not in known and t not in parsing.NULL_MODELS))


def _refuse_unrecognized(template: dict[str, Any]) -> None:
    unknown = unrecognized_types(template)
    if unknown:
        raise ValidationError(
            message=f"Template format error: Unrecognized resource types: [{', '.join(unknown)}] "
            "(the local AWS has no model for them; Lambda-backed custom resources need Docker)"
        )


def _strict_resource_class(original: Callable[[str], Any]) -> Callable[[str], Any]:
    @functools.wraps(original)
    def resource_class_from_type(resource_type: str) -> Any:
        _refuse_unrecognized({"Resources": {"_": {"Type": resource_type}}})
        return original(resource_type)

    return resource_class_from_type


def _attributed(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a create/update of one resource so that its failure names the resource."""

    @functools.wraps(original)
    def run(logical_id: str, resource_json: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return original(logical_id, resource_json, *args, **kwargs)
        except ResourceFailure:
            raise
        except Exception as error:
            raise ResourceFailure(logical_id, resource_json.get("Type", "?"), reason(error)) from error

    return run


def _dependencies(node: Any) -> set[str]:
    """Logical ids a resource refers to through Ref, Fn::GetAtt or DependsOn."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value)
            elif key == "Fn::GetAtt" and isinstance(value, list) and value:
                found.add(value[0])
            elif key == "DependsOn":
                found.update([value] if isinstance(value, str) else value)
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


def _ordered_diff(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    @functools.wraps(original)
    def build_resource_diff(self: parsing.ResourceMap, other_template: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        diff = original(self, other_template, *args, **kwargs)
        diff["Add"] = in_dependency_order(diff["Add"], other_template["Resources"])
        return diff

    return build_resource_diff


def _create_change_set(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def create_change_set(self: CloudFormationBackend, *args: Any, **kwargs: Any) -> Any:
        _refuse_unrecognized(Stack.parse_template(kwargs["template"]))
        if kwargs.get("change_set_type") == "UPDATE":
            stack = self.get_stack(kwargs["stack_name"])
            if stack.status in _NOT_UPDATABLE:
                raise ValidationError(message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
        return original(self, *args, **kwargs)

    return create_change_set


def _matching(backend: CloudFormationBackend, name: str, stack_name: str | None) -> list[str]:
    """Keys of the change sets ``name`` (an ARN, or a name within ``stack_name``) refers to."""
    return [
        key for key, change_set in backend.change_sets.items()
        if key == name
        or (change_set.change_set_name == name and stack_name in (None, change_set.stack_name, change_set.stack_id))
    ]


def _find_change_set(backend: CloudFormationBackend, name: str, stack_name: str | None) -> ChangeSet:
    found = _matching(backend, name, stack_name)
    if not found:
        raise ValidationError(message=f"ChangeSet [{name}] does not exist")
    return backend.change_sets[found[-1]]


def describe_change_set(self: CloudFormationResponse) -> ActionResult:
    backend = self.cloudformation_backend
    return ActionResult(_find_change_set(backend, self._get_param("ChangeSetName"), self._get_param("StackName")))


def delete_change_set(self: CloudFormationResponse) -> EmptyResult:
    backend = self.cloudformation_backend
    for key in _matching(backend, self._get_param("ChangeSetName"), self._get_param("StackName")):
        del backend.change_sets[key]
    return EmptyResult()


def execute_change_set(self: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    """Run a change set; on a resource failure, roll the stack back as CloudFormation does."""
    change_set = _find_change_set(self, change_set_name, stack_name)
    stack = self.stacks[change_set.stack_id]
    operation = change_set.change_set_type  # CREATE or UPDATE
    previous_template = copy.deepcopy(stack.resource_map._template)
    previous_parameters = dict(stack.parameters or {})
    _set_status(stack, f"{operation}_IN_PROGRESS", "User Initiated")
    try:
        change_set.apply()
    except Exception as error:
        failure = error if isinstance(error, ResourceFailure) else ResourceFailure(stack.name, "AWS::CloudFormation::Stack", reason(error))
        _fail(stack, operation, failure, previous_template, previous_parameters)
    else:
        stack.template = change_set.template
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        _set_status(stack, f"{operation}_COMPLETE")
    change_set.execution_status = "EXECUTE_COMPLETE"


def _set_status(stack: Stack, status: str, why: str | None = None) -> None:
    stack.status = status
    stack.status_reason = why
    stack._add_stack_event(status, resource_status_reason=why)


def _fail(stack: Stack, operation: str, failure: ResourceFailure, template: dict[str, Any], parameters: dict[str, Any]) -> None:
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=failure.logical_id,
            physical_resource_id="",
            resource_type=failure.resource_type,
            resource_status=f"{operation}_FAILED",
            resource_status_reason=failure.reason,
            resource_properties=None,
        )
    )
    why = f"The following resource(s) failed to {operation.lower()}: [{failure.logical_id}]. {failure.reason}"
    rollback = "ROLLBACK" if operation == "CREATE" else "UPDATE_ROLLBACK"
    _set_status(stack, f"{rollback}_IN_PROGRESS", why)
    try:
        with warnings.catch_warnings():  # moto warns about each resource the failure left uncreated
            warnings.simplefilter("ignore")
            if operation == "CREATE":
                stack.resource_map.delete()
                stack.resource_map._resource_json_map = {}
            else:
                stack.resource_map.update(template, parameters)
    except Exception as error:
        _set_status(stack, f"{rollback}_FAILED", f"{why} Rollback failed: {reason(error)}")
    else:
        _set_status(stack, f"{rollback}_COMPLETE", why)


def install() -> None:
    """Patch moto's CloudFormation in this process; safe to call more than once."""
    if getattr(parsing, "_localaws_installed", False):
        return
    parsing.resource_class_from_type = _strict_resource_class(parsing.resource_class_from_type)
    parsing.parse_and_create_resource = _attributed(parsing.parse_and_create_resource)
    parsing.parse_and_update_resource = _attributed(parsing.parse_and_update_resource)
    parsing.ResourceMap.build_resource_diff = _ordered_diff(parsing.ResourceMap.build_resource_diff)
    CloudFormationBackend.create_change_set = _create_change_set(CloudFormationBackend.create_change_set)
    CloudFormationBackend.execute_change_set = execute_change_set
    CloudFormationResponse.describe_change_set = describe_change_set
    CloudFormationResponse.delete_change_set = delete_change_set
    parsing._localaws_installed = True
