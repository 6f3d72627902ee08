"""What deployed stacks rely on staying put: grant logical IDs and paths, dependencies, stack tags.

Stacks and constructs are written to make few jsii round trips (refs read once, one
``Tags.of`` per stack, L1-to-L1 dependencies); these tests pin the output those choices
must keep.
"""

from __future__ import annotations

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.mesh_app import build_mesh

PATH_METADATA = {"aws:cdk:enable-path-metadata": True}


@pytest.fixture(scope="module")
def assembly(example_mesh):
    app = App(context=PATH_METADATA)
    stacks = build_mesh(app, example_mesh)
    return stacks, app.synth()


def grant_paths(template: Template) -> dict[str, str]:
    return {
        logical_id: resource["Metadata"]["aws:cdk:path"]
        for logical_id, resource in template.find_resources("AWS::LakeFormation::PrincipalPermissions").items()
    }


def test_catalog_grants_keep_their_logical_ids_and_paths(assembly):
    stacks, _ = assembly
    paths = grant_paths(Template.from_stack(stacks.catalog["sales"]))
    assert paths["OrdersProducerDatabaseGrantE88A722E"] == "Sales-Catalog/Orders/ProducerDatabaseGrant/Resource"
    assert paths["OrdersProducerTablesGrantE3E932FF"] == "Sales-Catalog/Orders/ProducerTablesGrant/Resource"
    assert paths["OrdersShareAnalyticsSelect404A6101"] == "Sales-Catalog/Orders/ShareAnalytics/Select/Resource"
    assert paths["CustomersShareMarketingDescribeEC287E3A"] == "Sales-Catalog/Customers/ShareMarketing/Describe/Resource"


def test_access_grants_keep_their_logical_ids_and_paths(assembly):
    stacks, _ = assembly
    assert grant_paths(Template.from_stack(stacks.access["marketing"])) == {
        "SalesCustomersLinkGrant0E3CEFEB": "Marketing-Access/SalesCustomers/LinkGrant/Resource",
        "SalesCustomersDescribeGrant6AC5A8EC": "Marketing-Access/SalesCustomers/DescribeGrant/Resource",
        "SalesCustomersSelectGrant22DF234D": "Marketing-Access/SalesCustomers/SelectGrant/Resource",
        "SalesOrdersLinkGrant0CA1480D": "Marketing-Access/SalesOrders/LinkGrant/Resource",
        "SalesOrdersDescribeGrant6438A4F0": "Marketing-Access/SalesOrders/DescribeGrant/Resource",
    }


def test_producer_table_grant_waits_for_its_table_only(assembly):
    stacks, _ = assembly
    resources = Template.from_stack(stacks.catalog["sales"]).to_json()["Resources"]
    assert resources["OrdersProducerTablesGrantE3E932FF"]["DependsOn"] == ["OrdersTableC3D8F3FA"]
    assert resources["CustomersProducerTablesGrant5AB75DC7"]["DependsOn"] == ["CustomersTable8B48A488"]
    assert "DependsOn" not in resources["OrdersProducerDatabaseGrantE88A722E"]


def test_catalog_entry_refs_are_its_resources_refs(assembly):
    stacks, _ = assembly
    entry = stacks.catalog["sales"].node.find_child("Orders")
    assert (entry.database_ref, entry.table_ref) == (entry.database.ref, entry.table.ref)


@pytest.mark.parametrize("stack_id, domain, owner, cost_centre", [
    ("Governance", "governance", "platform", "platform"),
    ("Sales-Storage", "sales", "sales-data@example.com", "CC-1001"),
    ("Marketing-Access", "marketing", None, None),
])
def test_stack_tags_reach_the_manifest(assembly, stack_id, domain, owner, cost_centre):
    _, cloud_assembly = assembly
    tags = cloud_assembly.get_stack_artifact(stack_id).tags
    assert tags["datamesh:mesh"] == "acme"
    assert tags["datamesh:domain"] == domain
    if owner:
        assert (tags["datamesh:owner"], tags["datamesh:cost-centre"]) == (owner, cost_centre)
    else:
        assert {"datamesh:owner", "datamesh:cost-centre"} <= tags.keys()
