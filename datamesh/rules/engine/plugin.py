"""The CDK policy-validation plugin that runs the resource rules over the synthesized templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
)

from datamesh.rules.engine.rule import Resource, ResourceRule, RuleContext, StackTemplate

PLUGIN_NAME = "DataMesh"
OUTSIDE_THE_MESH = "(outside the mesh)"
TEMPLATE_SUFFIX = ".template.json"


class StackOwner(NamedTuple):
    """The domain a stack of the mesh is built for, and the account it deploys into."""

    domain: str
    account: str


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
        for stack in stacks
        for resource in stack.resources
        for rule in rules
        if rule.applies(resource)
        for reason in rule.check(resource, context)
    ]


@jsii.implements(IPolicyValidationPlugin)
class MeshPolicyPlugin:
    """Checks every resource of every stack once, after synthesis, from the written templates.

    Register it with ``Validations.of(app).add_plugins``. CDK calls it once with the
    template paths; the rules then read JSON in Python, so their cost does not depend on
    jsii round trips. Each violation is an error that fails synthesis, reported with
    the rule id (``DataMesh::<Rule>``), the domain and the construct path.

    :param domains: the domain (``governance`` for the governance stack) and account of each
        stack the app builds, by construct path; other stacks are reported as outside the mesh.
    :param outdir: where the app writes its cloud assembly.
    """

    def __init__(
        self, rules: Sequence[ResourceRule], context: RuleContext, domains: Mapping[str, StackOwner], outdir: Path
    ) -> None:
        self._rules = rules
        self._context = context
        self._domains = domains
        self._outdir = outdir

    @property
    def name(self) -> str:
        return PLUGIN_NAME

    @property
    def rule_ids(self) -> list[str]:
        return [rule.id for rule in self._rules]

    @property
    def version(self) -> str | None:
        return None

    def _stacks(self, context: IPolicyValidationContext) -> list[StackTemplate]:
        """Every stack's template. When the assembly holds exactly the mesh's stacks, read from the
        files (``<id>.template.json``, a stack's path being its id): ``context.stack_templates`` costs
        four jsii round trips per stack, some 10,000 at 1000 domains."""
        written = {p.name.removesuffix(TEMPLATE_SUFFIX): p for p in self._outdir.glob(f"*{TEMPLATE_SUFFIX}")}
        if written.keys() == self._domains.keys():
            return [
                StackTemplate.read(written[path], path=path, domain=owner.domain, account=owner.account)
                for path, owner in self._domains.items()
            ]
        stacks = []
        for stack in context.stack_templates:
            owner = self._domains.get(stack.stack_construct_path, StackOwner(OUTSIDE_THE_MESH, stack.account_id or ""))
            stacks.append(
                StackTemplate.read(
                    Path(stack.template_path),
                    path=stack.stack_construct_path,
                    domain=owner.domain,
                    account=owner.account,
                )
            )
        return stacks

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        stacks = self._stacks(context)
        findings = check(stacks, self._rules, self._context)
        return PolicyValidationPluginReport(
            success=not findings,
            violations=[
                PolicyViolation(
                    rule_name=finding.rule,
                    description=str(finding),
                    severity="error",
                    violating_resources=[
                        PolicyViolatingResource(
                            locations=[],
                            construct_path=finding.resource.path,
                            resource_logical_id=finding.resource.logical_id,
                            template_path=str(finding.resource.stack.template_file),
                        )
                    ],
                )
                for finding in findings
            ],
        )
