"""At 1000 domains, every producer monitored and every consumer listing three principals (the analyst, an
existing BI role, an Identity Center group; bench/generate.py --monitored --principals): the governance account's
default event bus policy stays one statement (the organization's) within EventBridge's 10,240-character quota,
and every stack stays under CloudFormation's 500 resources ("CloudFormation quotas"); the same mesh without an
organization is refused before synthesis, since its bus policy would name every producer account.

Marked slow: synthesizing 1000 domains takes minutes and about 1.5 GB; one synthesis serves every test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aws_cdk import App

from bench.assembly import CLI_CONTEXT, read_assembly
from bench.generate import GOVERNANCE_ACCOUNT, ORGANIZATION, write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.policies.parameter_rules import parameter_problems

pytestmark = pytest.mark.slow

DOMAINS = 1000
MAX_RESOURCES = 500  # CloudFormation quotas: resources declared in a stack
POLICY_SIZE = 10_240  # EventBridge quotas: event bus policy size, characters


@pytest.fixture(scope="module")
def mesh_file(tmp_path_factory) -> Path:
    return write_mesh(tmp_path_factory.mktemp("monitored"), DOMAINS, monitored=True, with_principals=True)


@pytest.fixture(scope="module")
def stacks(mesh_file, tmp_path_factory):
    outdir = tmp_path_factory.mktemp("out")
    app = App(outdir=str(outdir), context=CLI_CONTEXT)
    build_mesh(app, load_mesh(mesh_file, rules=parameter_problems))
    app.synth()
    return read_assembly(outdir)


def test_every_producer_is_monitored(stacks):
    crawlers = sum(
        1
        for s in stacks
        for r in json.loads(s.template_file.read_text())["Resources"].values()
        if r["Type"] == "AWS::Glue::Crawler"
    )
    assert crawlers == DOMAINS


def test_the_governance_bus_policy_is_one_organization_statement_within_the_quota(stacks):
    statements = [
        r["Properties"]
        for s in stacks
        if s.account == GOVERNANCE_ACCOUNT
        for r in json.loads(s.template_file.read_text())["Resources"].values()
        if r["Type"] == "AWS::Events::EventBusPolicy"
    ]
    [statement] = statements
    assert statement["Statement"]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": ORGANIZATION}}
    policy = {"Version": "2012-10-17", "Statement": [{"Sid": statement["StatementId"], **statement["Statement"]}]}
    assert len(json.dumps(policy, separators=(",", ":"))) <= POLICY_SIZE


def test_every_consumer_lists_three_principals(mesh_file):
    mesh = load_mesh(mesh_file)
    assert sum(1 for d in mesh.consumers if len(d.principals) == 3) == len(mesh.consumers) == DOMAINS // 2


def test_every_stack_stays_under_the_resource_limit(stacks):
    assert len(stacks) > 2 * DOMAINS
    assert sum(1 for s in stacks if s.id.endswith("-Access")) == DOMAINS // 2  # every consumer's stack counted
    assert not {s.id: s.resources for s in stacks if s.resources >= MAX_RESOURCES}


def test_without_the_organization_the_mesh_is_refused_naming_the_field(mesh_file, tmp_path):
    standalone = yaml.safe_load(mesh_file.read_text())
    for key in ("organization", "delivery"):  # delivery needs an organization
        standalone.pop(key)
    copy = mesh_file.parent / "standalone.yaml"
    copy.write_text(yaml.safe_dump(standalone))
    with pytest.raises(ConfigError) as refused:
        load_mesh(copy, rules=parameter_problems)
    [line] = [str(p) for p in refused.value.problems if "organization" in str(p)]
    assert "1000 producing domains forward new objects" in line and "10240" in line
