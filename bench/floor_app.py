#!/usr/bin/env python3
"""The "L1 floor": a plain CDK app with as many stacks and L1 resources as a given cloud assembly.

Each stack gets the same id, environment and resource count as in the spec, filled with
``AWS::CloudFormation::WaitConditionHandle`` resources (no properties). Synthesizing it
costs what starting jsii, creating that many constructs and writing the templates cost
alone, the least any app of that shape can cost.

The spec is a JSON file named by the CDK context key ``floor-spec``: a list of
``{"id": ..., "account": ..., "region": ..., "resources": ...}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from aws_cdk import App, CfnWaitConditionHandle, Environment, Stack

SPEC_CONTEXT = "floor-spec"


def main() -> None:
    app = App()
    spec = json.loads(Path(app.node.get_context(SPEC_CONTEXT)).read_text(encoding="utf-8"))
    for entry in spec:
        stack = Stack(app, entry["id"], env=Environment(account=entry["account"], region=entry["region"]))
        for index in range(entry["resources"]):
            CfnWaitConditionHandle(stack, f"Resource{index}")
    app.synth()


if __name__ == "__main__":
    main()
