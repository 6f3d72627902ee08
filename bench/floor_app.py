#!/usr/bin/env python3
"""The "L1 floor": a plain CDK app that writes the templates of a given cloud assembly again.

It reads every stack of the assembly named by the CDK context key ``floor-assembly``
(a ``cdk.out`` directory) and creates, for each resource of its template, one generic L1
``CfnResource`` with the template's type, logical id, properties, ``Metadata`` and other
attributes (``DependsOn``, ``DeletionPolicy``, ...), in the same stack (id, name,
environment, description, tags, stack dependencies). Its templates equal the assembly's;
its synthesis costs what starting jsii, creating those L1 resources and writing the
templates cost, and nothing else: the least any CDK app that writes them can cost.

Template sections other than ``Description`` and ``Resources`` must be the bootstrap
check the default synthesizer adds to every stack (``BootstrapVersion``,
``CheckBootstrapVersion``); anything else stops the floor with a message rather than
being left out silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from aws_cdk import App, CfnDeletionPolicy, CfnResource, Environment, RemovalPolicy, Stack

ASSEMBLY_CONTEXT = "floor-assembly"
SYNTHESIZER_SECTIONS = {"Parameters": {"BootstrapVersion"}, "Rules": {"CheckBootstrapVersion"}}
# Set through the constructor, add_metadata, removal policies or resource dependencies, so that the keys come
# in CDK's own order as in the mesh app's templates; any other attribute of a resource is written as an override.
SET_KEYS = {"Type", "Properties", "Metadata", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy"}

REMOVAL_POLICIES = {"Retain": RemovalPolicy.RETAIN, "Delete": RemovalPolicy.DESTROY, "Snapshot": RemovalPolicy.SNAPSHOT}


def _enum_name(value: str) -> str:
    """``RetainExceptOnDelete`` -> ``RETAIN_EXCEPT_ON_DELETE``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", value).upper()


def _set_policies(resource: CfnResource, deletion: str | None, update_replace: str | None) -> None:
    """``DeletionPolicy`` and ``UpdateReplacePolicy``, in one call when they are equal (as a removal policy sets them)."""
    if deletion is not None and deletion == update_replace and deletion in REMOVAL_POLICIES:
        resource.apply_removal_policy(REMOVAL_POLICIES[deletion])
        return
    if deletion is not None:
        resource.cfn_options.deletion_policy = CfnDeletionPolicy[_enum_name(deletion)]
    if update_replace is not None:
        resource.cfn_options.update_replace_policy = CfnDeletionPolicy[_enum_name(update_replace)]


def _check_sections(stack_id: str, template: dict[str, Any]) -> None:
    for section, body in template.items():
        if section in ("Description", "Resources", "AWSTemplateFormatVersion"):
            continue
        extra = set(body) - SYNTHESIZER_SECTIONS.get(section, set())
        if extra:
            raise SystemExit(f"{stack_id}: the floor does not reproduce {section} {sorted(extra)}")


def add_stack(app: App, stack_id: str, artifact: dict[str, Any], template: dict[str, Any]) -> Stack:
    """One stack of the floor: ``template``'s resources as generic L1 resources."""
    _check_sections(stack_id, template)
    properties = artifact["properties"]
    account, region = artifact["environment"].removeprefix("aws://").split("/")
    stack = Stack(
        app,
        stack_id,
        stack_name=properties.get("stackName"),
        description=template.get("Description"),
        env=Environment(account=account, region=region),
        tags=properties.get("tags"),
        termination_protection=properties.get("terminationProtection"),
    )
    resources = template.get("Resources", {})
    created: dict[str, CfnResource] = {}
    for logical_id, body in resources.items():
        # A top-level construct's logical id is its id, so no override of the logical id is needed.
        resource = created[logical_id] = CfnResource(
            stack, logical_id, type=body["Type"], properties=body.get("Properties")
        )
        for key, value in body.get("Metadata", {}).items():
            resource.add_metadata(key, value)  # the mesh's aws:cdk:path replaces the floor's own
        _set_policies(resource, body.get("DeletionPolicy"), body.get("UpdateReplacePolicy"))
        for key, value in body.items():
            if key not in SET_KEYS:
                resource.add_override(key, value)
    for logical_id, body in resources.items():
        depends_on = body.get("DependsOn", [])
        for target in depends_on:
            created[logical_id].add_resource_dependency(created[target])
        if depends_on != sorted(depends_on):  # CDK sorts them; an app's override may not: its list, in its place
            created[logical_id].add_override("DependsOn", depends_on)
    return stack


def build_floor(app: App, assembly: Path) -> dict[str, Stack]:
    """Every stack of the cloud assembly in ``assembly``, with the same stack dependencies and feature flags."""
    artifacts = json.loads((assembly / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    for artifact in artifacts.values():
        if artifact["type"] == "cdk:feature-flag-report":  # the flags the app set, so that the manifests match too
            for flag, report in artifact["properties"]["flags"].items():
                if "userValue" in report:
                    app.node.set_context(flag, report["userValue"])
    stacks: dict[str, Stack] = {}
    for stack_id, artifact in artifacts.items():
        if artifact["type"] == "aws:cloudformation:stack":
            template = json.loads((assembly / artifact["properties"]["templateFile"]).read_text(encoding="utf-8"))
            stacks[stack_id] = add_stack(app, stack_id, artifact, template)
    for stack_id, stack in stacks.items():
        for dependency in artifacts[stack_id].get("dependencies", []):
            if dependency in stacks:
                stack.add_stack_dependency(stacks[dependency])
    return stacks


def main() -> None:
    app = App()
    build_floor(app, Path(app.node.get_context(ASSEMBLY_CONTEXT)))
    app.synth()


if __name__ == "__main__":
    main()
