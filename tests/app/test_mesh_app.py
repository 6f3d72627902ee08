"""Composition: deploy waves, accounts, cross-account names, retention."""

from __future__ import annotations

import json

from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh


def wave(stack):
    """1 + the longest dependency chain below ``stack``."""
    return 1 + max((wave(dep) for dep in stack.dependencies), default=0)


def test_four_deploy_waves(example_stacks):
    waves = {stack.node.id: wave(stack) for stack in example_stacks.all()}
    assert waves == {
        "Governance": 1,
        "Sales-Storage": 2,
        "Finance-Storage": 2,
        "Sales-Catalog": 3,
        "Finance-Catalog": 3,
        "Analytics-Access": 4,
        "Finance-Access": 4,
        "Marketing-Access": 4,
    }


def test_access_waits_for_every_producer_that_granted_it(example_stacks):
    deps = {d.node.id for d in example_stacks.access["analytics"].dependencies}
    assert deps == {"Governance", "Sales-Catalog", "Finance-Catalog"}
    # marketing's request to finance is pending: no wait for Finance-Catalog
    assert {d.node.id for d in example_stacks.access["marketing"].dependencies} == {"Governance", "Sales-Catalog"}
    assert "Finance-Storage" in {d.node.id for d in example_stacks.access["finance"].dependencies}


def test_stacks_deploy_into_the_declared_accounts_and_region(example_stacks):
    envs = {s.node.id: (s.account, s.region) for s in example_stacks.all()}
    assert envs["Governance"] == ("111111111111", "eu-west-1")
    assert envs["Sales-Storage"] == ("222222222222", "eu-west-1")
    assert envs["Sales-Catalog"] == ("111111111111", "eu-west-1")
    assert envs["Marketing-Access"] == ("444444444444", "eu-west-1")
    assert {s.stack_name for s in example_stacks.all()} >= {"acme-Governance", "acme-Sales-Storage"}


def test_cross_account_names_agree_between_stacks(templates):
    """The names one account writes are the names another account's stack refers to."""
    storage = json.dumps(templates["Sales-Storage"].to_json())
    catalog = json.dumps(templates["Sales-Catalog"].to_json())
    governance = json.dumps(templates["Governance"].to_json())
    access = json.dumps(templates["Marketing-Access"].to_json())
    bucket = "acme-sales-data-222222222222-eu-west-1"
    assert f'"BucketName": "{bucket}"' in storage and f"arn:aws:s3:::{bucket}" in catalog
    role = "acme-lakeformation-data-access"
    assert f'"RoleName": "{role}"' in governance and f"role/{role}" in storage and f"role/{role}" in catalog
    assert '"Name": "sales_customers"' in catalog and '"DatabaseName": "sales_customers"' in access


def test_stateful_resources_are_retained_by_default(templates):
    for name, template in templates.items():
        for kind in ("AWS::S3::Bucket", "AWS::KMS::Key"):
            for logical_id, resource in template.find_resources(kind).items():
                assert resource.get("DeletionPolicy") == "Retain", (name, logical_id)
        for logical_id, resource in template.find_resources("AWS::Glue::Database").items():
            if "TargetDatabase" not in resource["Properties"]["DatabaseInput"]:
                assert resource.get("DeletionPolicy") == "Retain", (name, logical_id)


def test_allow_destroy_is_needed_to_delete_data(example_mesh):
    stacks = build_mesh(App(), example_mesh, allow_destroy=True)
    storage = Template.from_stack(stacks.storage["sales"])
    assert {r["DeletionPolicy"] for r in storage.find_resources("AWS::S3::Bucket").values()} == {"Delete"}
    catalog = Template.from_stack(stacks.catalog["sales"])
    assert {r["DeletionPolicy"] for r in catalog.find_resources("AWS::Glue::Database").values()} == {"Delete"}
    assert any("allow-destroy" in str(m.data) for m in stacks.governance.node.metadata)
