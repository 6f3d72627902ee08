"""Makes moto's CloudFormation deploy like the real service, where the mesh relies on it.

- A template naming a resource type the local AWS cannot create is refused when the
  change set (or stack) is created ("Unrecognized resource types"); moto would skip the
  resource with a warning and report success.
- Change sets, ``CreateStack``/``UpdateStack`` (``cdk deploy --method=direct``) and
  ``DeleteStack`` run as :mod:`localaws.stack_operations` describes: create, update in
  place or replace as the resource schemas say, clean up, roll back on failure, honour
  ``DeletionPolicy`` and ``UpdateReplacePolicy``.
- A parameter given ``UsePreviousValue`` keeps its previous input value; for an
  ``AWS::SSM::Parameter::Value`` type (the CDK's ``BootstrapVersion``) that is the SSM
  parameter's name, resolved again on every update.
- A stack's outputs are those of the template its last operation deployed.
- A change set named (not given by ARN) is looked up in the stack the request names;
  moto looked it up in any stack of the account, and the CDK CLI gives every stack's
  change set the same name. Describing or executing one that does not exist answers
  ``ChangeSetNotFound`` (the API reference's error for both); deleting one is a no-op
  (the CLI does it routinely; the API reference lists no not-found error for it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.cloudformation import parsing
from moto.cloudformation.exceptions import AlreadyExistsException, CloudFormationError, ValidationError
from moto.cloudformation.models import ChangeSet, CloudFormationBackend, Stack
from moto.cloudformation.responses import CloudFormationResponse
from moto.cloudformation.utils import generate_stack_id
from moto.core.responses import ActionResult, EmptyResult

from localaws.stack_operations import StackOperation, delete_stack_resources, in_dependency_order, input_parameters

_LAMBDA_BACKED = ("Custom::", "AWS::CloudFormation::CustomResource")
_NOT_UPDATABLE = ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "REVIEW_IN_PROGRESS")


class ChangeSetNotFound(CloudFormationError):
    """``ChangeSetNotFoundException``: code ``ChangeSetNotFound``, HTTP 404 (from the service model)."""

    code = "ChangeSetNotFoundException"


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


def _ordered_diff(original: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """A change set lists the resources it adds in the order they will be created."""

    @functools.wraps(original)
    def build_resource_diff(
        self: parsing.ResourceMap, other_template: dict[str, Any], *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
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
                raise ValidationError(
                    message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated."
                )
        return original(self, *args, **kwargs)

    return create_change_set


def _matching(backend: CloudFormationBackend, name: str, stack_name: str | None) -> list[str]:
    """Keys of the change sets ``name`` (an ARN, or a name within ``stack_name``) refers to."""
    return [
        key
        for key, change_set in backend.change_sets.items()
        if key == name
        or (change_set.change_set_name == name and stack_name in (None, change_set.stack_name, change_set.stack_id))
    ]


def _find_change_set(backend: CloudFormationBackend, name: str, stack_name: str | None) -> ChangeSet:
    found = _matching(backend, name, stack_name)
    if not found:
        if stack_name and not name.startswith("arn:"):
            backend.get_stack(stack_name)  # ValidationError when the stack does not exist
        raise ChangeSetNotFound(f"ChangeSet [{name}] does not exist")
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
    """Run a change set as CloudFormation does (see :mod:`localaws.stack_operations`)."""
    change_set = _find_change_set(self, change_set_name, stack_name)
    stack = self.stacks[change_set.stack_id]
    _run(stack, change_set.change_set_type, change_set.template, change_set.parameters)
    change_set.execution_status = "EXECUTE_COMPLETE"


def _run(stack: Stack, operation: str, template_body: str, parameters: dict[str, Any]) -> None:
    template = Stack.parse_template(template_body)
    if StackOperation(stack, operation, template, parameters).run():
        stack.template = template_body
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()


def create_stack(
    self: CloudFormationBackend, name: str, template: str, parameters: dict[str, Any], **kwargs: Any
) -> Stack:
    """``CreateStack`` (``cdk deploy --method=direct`` of a new stack), run like a change set."""
    if any(stack.name == name for stack in self.stacks.values()):
        raise AlreadyExistsException(f"Stack [{name}] already exists")
    _refuse_unrecognized(Stack.parse_template(template))
    stack = Stack(
        stack_id=generate_stack_id(name, self.region_name, self.account_id),
        name=name,
        template={},
        parameters=parameters,
        account_id=self.account_id,
        region_name=self.region_name,
        notification_arns=kwargs.get("notification_arns"),
        tags=kwargs.get("tags"),
        role_arn=kwargs.get("role_arn"),
        cross_stack_resources=self.exports,
    )
    self.stacks[stack.stack_id] = stack
    _run(stack, "CREATE", template, parameters)
    return stack


def update_stack(
    self: CloudFormationBackend,
    name: str,
    template: str,
    role_arn: str | None,
    parameters: list[dict[str, Any]],
    tags: dict[str, str] | None,
) -> Stack:
    """``UpdateStack`` (``cdk deploy --method=direct`` of an existing stack).

    A parameter given ``UsePreviousValue`` keeps its previous input value (for an SSM
    parameter type, the parameter's name, resolved again).
    """
    stack = self.get_stack(name)
    if stack.status in _NOT_UPDATABLE or stack.status.endswith("_IN_PROGRESS"):
        raise ValidationError(message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
    _refuse_unrecognized(Stack.parse_template(template))
    values = {
        p["ParameterKey"]: stack.parameters.get(p["ParameterKey"])
        if p.get("UsePreviousValue")
        else p.get("ParameterValue")
        for p in parameters
    }
    _run(stack, "UPDATE", template, values)
    if tags is not None:
        stack.tags = tags
    return stack


def delete_stack(self: CloudFormationBackend, name_or_stack_id: str) -> None:
    """``DeleteStack``: retained resources stay; a failure leaves the stack ``DELETE_FAILED``."""
    stack = self.stacks.get(name_or_stack_id) or next(
        (s for s in self.stacks.values() if s.name == name_or_stack_id), None
    )
    if stack is None:
        return
    exports = [export.name for export in stack.exports]
    if delete_stack_resources(stack):
        del self.stacks[stack.stack_id]
        self.deleted_stacks[stack.stack_id] = stack
        for export in exports:
            self.exports.pop(export, None)


def _input_parameters(self: Stack) -> dict[str, Any]:
    """What ``UsePreviousValue`` refers to: input values, not values resolved from SSM."""
    return input_parameters(self.template_dict or {}, self.parameters or {})


def install() -> None:
    """Patch moto's CloudFormation in this process; safe to call more than once."""
    if getattr(parsing, "_localaws_installed", False):
        return
    parsing.resource_class_from_type = _strict_resource_class(parsing.resource_class_from_type)
    parsing.ResourceMap.build_resource_diff = _ordered_diff(parsing.ResourceMap.build_resource_diff)
    Stack.stack_parameters = property(_input_parameters)
    CloudFormationBackend.create_change_set = _create_change_set(CloudFormationBackend.create_change_set)
    CloudFormationBackend.execute_change_set = execute_change_set
    CloudFormationBackend.create_stack = create_stack
    CloudFormationBackend.update_stack = update_stack
    CloudFormationBackend.delete_stack = delete_stack
    CloudFormationResponse.describe_change_set = describe_change_set
    CloudFormationResponse.delete_change_set = delete_change_set
    parsing._localaws_installed = True
