"""The CDK policy-validation plugin that runs the resource rules over the synthesized templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
)

from datamesh.policies.resource_rules import Resource, ResourceRule, RuleContext, StackTemplate

PLUGIN_NAME = "DataMesh"
OUTSIDE_THE_MESH = "(outside the mesh)"


@dataclass(frozen=True)
class Finding:
    """One violation: a rule, the domain whose stack holds the resource, the resource, and why."""

    rule: str
    domain: str
    resource: Resource
    reason: str

    def __str__(self) -> str:
        return f"domain {self.domain}: {self.resource.path}: {self.reason}"


def check(stacks: Iterable[StackTemplate], rules: Sequence[ResourceRule], context: RuleContext) -> list[Finding]:
    """Every violation of ``rules`` in ``stacks``, in template order."""
    return [
        Finding(rule.id, stack.domain, resource, reason)
        for stack in stacks for resource in stack.resources
        for rule in rules if rule.applies(resource)
        for reason in rule.check(resource, context)
    ]


@jsii.implements(IPolicyValidationPlugin)
class MeshPolicyPlugin:
    """Checks every resource of every stack once, after synthesis, from the written templates.

    Register it with ``Validations.of(app).add_plugins``. CDK calls it once with the
    template paths; the rules then read JSON in Python, so their cost does not depend on
    jsii round trips. Each violation is an error that fails synthesis, reported with
    the rule id (``DataMesh::<Rule>``), the domain and the construct path.

    :param domains: the domain of each stack, by construct path (``governance`` for the
        governance stack); other stacks are reported as outside the mesh.
    """

    def __init__(self, rules: Sequence[ResourceRule], context: RuleContext, domains: Mapping[str, str]) -> None:
        self._rules = rules
        self._context = context
        self._domains = domains

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def rule_ids(self) -> list[str]:
        return [rule.id for rule in self._rules]

    @property
    def version(self) -> str | None:
        return None

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        stacks = [
            StackTemplate.read(
                Path(stack.template_path),
                path=stack.stack_construct_path,
                domain=self._domains.get(stack.stack_construct_path, OUTSIDE_THE_MESH),
                account=stack.account_id or "",
            )
            for stack in context.stack_templates
        ]
        findings = check(stacks, self._rules, self._context)
        return PolicyValidationPluginReport(
            success=not findings,
            violations=[
                PolicyViolation(
                    rule_name=finding.rule,
                    description=str(finding),
                    severity="error",
                    violating_resources=[PolicyViolatingResource(
                        locations=[],
                        construct_path=finding.resource.path,
                        resource_logical_id=finding.resource.logical_id,
                        template_path=str(finding.resource.stack.template_file),
                    )],
                )
                for finding in findings
            ],
        )
