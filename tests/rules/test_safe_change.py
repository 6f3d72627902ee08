"""Refactors never replace stateful resources; removing a product or a domain never deletes data."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import App, RemovalPolicy
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import FEATURE_FLAGS, build_mesh
from datamesh.config import load_mesh
from datamesh.stacks import storage
from tests.rules.stateful_snapshot import SNAPSHOT, UPDATE_COMMAND, render, stateful_ids

Templates = dict[str, dict[str, Any]]


def as_json(templates) -> Templates:
    return {name: template.to_json() for name, template in templates.items()}


def synthesize(mesh_file) -> Templates:
    stacks = build_mesh(App(), load_mesh(mesh_file))
    return {s.node.id: Template.from_stack(s).to_json() for s in stacks.all()}


def is_resource_link(resource: dict[str, Any]) -> bool:
    return "TargetDatabase" in resource["Properties"].get("DatabaseInput", {})


def removed_stateful(before: Templates, after: Templates) -> dict[tuple[str, str], dict[str, Any]]:
    """(stack, logical id) to the old resource, for every stateful resource the change removes."""
    old, new = stateful_ids(before), stateful_ids(after)
    return {
        (stack, lid): before[stack]["Resources"][lid]
        for stack, ids in old.items()
        for lid in ids
        if lid not in new.get(stack, {})
    }


def assert_nothing_replaced(before: Templates, after: Templates) -> None:
    """Every stateful resource of the new templates exists, with its logical id and type, in the old ones."""
    old, new = stateful_ids(before), stateful_ids(after)
    added = {
        (stack, lid) for stack, ids in new.items() for lid, kind in ids.items() if old.get(stack, {}).get(lid) != kind
    }
    assert added == set()


def assert_retained(removed: dict[tuple[str, str], dict[str, Any]]) -> None:
    """CloudFormation applies the old template's policies to a resource it removes."""
    for where, resource in removed.items():
        if not is_resource_link(resource):
            assert (resource.get("DeletionPolicy"), resource.get("UpdateReplacePolicy")) == ("Retain", "Retain"), where


def drop_subscriptions(*products: str):
    def edit(doc):
        doc["consumes"] = [s for s in doc.get("consumes", []) if s["product"] not in products]
        return doc

    return edit


class TestStatefulLogicalIds:
    def test_match_the_committed_snapshot(self, templates):
        current = render(stateful_ids(as_json(templates)))
        assert current == SNAPSHOT.read_text(), (
            "A bucket, key or Glue database of the example mesh changed its logical ID, so CloudFormation would "
            "replace it (a new, empty resource). Restore the construct IDs; if the replacement is intended, "
            f"run `{UPDATE_COMMAND}` and explain it in the commit."
        )

    def test_a_renamed_construct_is_caught(self, templates, example_mesh, monkeypatch):
        """Sales' data bucket built under another construct id: the snapshot check sees the replacement."""
        secure_bucket = storage.SecureBucket

        def renamed(scope, id, **kwargs):
            return secure_bucket(scope, "DataRenamed" if id == "Data" else id, **kwargs)

        monkeypatch.setattr(storage, "SecureBucket", renamed)
        sales = example_mesh.domain("sales")
        stack = storage.StorageStack(
            App(context=FEATURE_FLAGS),
            "Sales-Storage",
            mesh=example_mesh,
            domain=sales,
            removal_policy=RemovalPolicy.RETAIN,
        )
        after = as_json(templates) | {"Sales-Storage": Template.from_stack(stack).to_json()}
        assert render(stateful_ids(after)) != SNAPSHOT.read_text()
        pinned = json.loads(SNAPSHOT.read_text())
        now = stateful_ids(after)
        assert {stack: ids for stack, ids in now.items() if stack != "Sales-Storage"} == {
            stack: ids for stack, ids in pinned.items() if stack != "Sales-Storage"
        }
        gone = pinned["Sales-Storage"].keys() - now["Sales-Storage"].keys()
        new = now["Sales-Storage"].keys() - pinned["Sales-Storage"].keys()
        assert gone == {"Data2D4B752F"}
        assert [lid[:-8] for lid in new] == ["DataRenamed"]
        assert now["Sales-Storage"][new.pop()] == "AWS::S3::Bucket"


class TestRemovingAProduct:
    def test_retains_its_database_and_replaces_nothing(self, templates, mesh_copy):
        def drop_customers(doc):
            doc["products"] = [p for p in doc["products"] if p["name"] != "customers"]
            return doc

        before = as_json(templates)
        after = synthesize(
            mesh_copy(
                ("domains/sales.yaml", drop_customers),
                ("domains/marketing.yaml", drop_subscriptions("sales.customers")),
            )
        )
        removed = removed_stateful(before, after)
        assert set(removed) == {
            ("Sales-Catalog", "CustomersDatabaseB91D8B22"),
            ("Marketing-Access", "SalesCustomersResourceLink747384E4"),
        }
        assert_retained(removed)
        assert_nothing_replaced(before, after)  # the sales bucket and key stay as they are


class TestRemovingADomain:
    def test_drops_its_stacks_whose_data_is_retained(self, templates, mesh_copy):
        before = as_json(templates)
        after = synthesize(
            mesh_copy(
                ("domains/finance.yaml", lambda doc: None),
                ("domains/analytics.yaml", drop_subscriptions("finance.invoices")),
                ("domains/marketing.yaml", drop_subscriptions("finance.invoices")),
            )
        )
        assert set(before) - set(after) == {"Finance-Storage", "Finance-Catalog", "Finance-Access"}
        removed = removed_stateful(before, after)
        assert {stack for stack, _ in removed} == {
            "Finance-Storage",
            "Finance-Catalog",
            "Finance-Access",
            "Analytics-Access",
        }
        assert_retained(removed)
        assert_nothing_replaced(before, after)
        assert json.dumps(after).count("finance_invoices") == 0
