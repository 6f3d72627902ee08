"""The CDK Aspect that runs the resource rules on every resource of the mesh."""

from __future__ import annotations

from collections.abc import Sequence

import jsii
from aws_cdk import CfnResource, IAspect, Validations
from constructs import IConstruct

from datamesh.policies.resource_rules import ResourceRule, RuleContext


@jsii.implements(IAspect)
class MeshPolicyAspect:
    """Adds an error to each resource that violates a rule; any error fails synthesis.

    The message names the domain and the construct path, and the error carries the rule
    id (``DataMesh::<Rule>``). Register it with ``AspectPriority.READONLY`` so that it
    sees the resources after tags and other mutating aspects were applied.
    """

    def __init__(self, rules: Sequence[ResourceRule], context: RuleContext) -> None:
        self.rules = rules
        self.context = context

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, CfnResource):
            return
        rules = [rule for rule in self.rules if isinstance(node, rule.applies_to)]
        if not rules:
            return
        resource = self.context.resource(node)
        for rule in rules:
            for reason in rule.check(resource, self.context):
                message = f"domain {self.context.domain_of(resource)}: {resource.path}: {reason}"
                Validations.of(node).add_error(rule.id, message)
