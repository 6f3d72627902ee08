"""What deployed stacks rely on staying put: grant logical IDs and paths, dependencies, stack tags;
and that the Catalog and Access stacks hold exactly what the blueprint says (they render it).

Stacks and constructs are written to make few jsii round trips (refs read once, one
``Tags.of`` per stack, L1-to-L1 dependencies); these tests pin the output those choices
must keep.
"""

from __future__ import annotations

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint import Grant as GrantSpec
from datamesh.blueprint import Link, Resource, blueprint
from datamesh.names import naming

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
    # orders withholds no column: one grant on the table, named Describe; customers withholds email: Describe and Select
    assert paths["OrdersShareAnalyticsDescribeFFF67B5E"] == "Sales-Catalog/Orders/ShareAnalytics/Describe/Resource"
    assert "OrdersShareAnalyticsSelect404A6101" not in paths
    assert (
        paths["CustomersShareMarketingDescribeEC287E3A"] == "Sales-Catalog/Customers/ShareMarketing/Describe/Resource"
    )
    assert paths["CustomersShareMarketingSelect51B56911"] == "Sales-Catalog/Customers/ShareMarketing/Select/Resource"


def test_access_grants_keep_their_logical_ids_and_paths(assembly):
    """The analyst's grants in the share's scope, as before any other principal; each other principal's in a
    scope of its own (marketing's BI role and Identity Center group)."""
    stacks, _ = assembly
    paths = grant_paths(Template.from_stack(stacks.access["marketing"]))
    others = {path.split("/")[2] for path in paths.values() if "/Reader-" in path}
    assert others == {"Reader-bi", "Reader-campaigns"}
    assert {logical: path for logical, path in paths.items() if "/Reader-" not in path} == {
        "SalesCustomersLinkGrant0E3CEFEB": "Marketing-Access/SalesCustomers/LinkGrant/Resource",
        "SalesCustomersTargetGrant437C7EE5": "Marketing-Access/SalesCustomers/TargetGrant/Resource",
        "SalesCustomersDescribeGrant6AC5A8EC": "Marketing-Access/SalesCustomers/DescribeGrant/Resource",
        "SalesCustomersSelectGrant22DF234D": "Marketing-Access/SalesCustomers/SelectGrant/Resource",
        "SalesOrdersLinkGrant0CA1480D": "Marketing-Access/SalesOrders/LinkGrant/Resource",
        "SalesOrdersTargetGrant5D7AF379": "Marketing-Access/SalesOrders/TargetGrant/Resource",
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


@pytest.mark.parametrize(
    "stack_id, domain, owner, cost_centre",
    [
        ("Governance", "governance", "platform", "platform"),
        ("Sales-Storage", "sales", "sales-data@example.com", "CC-1001"),
        ("Marketing-Access", "marketing", None, None),
    ],
)
def test_stack_tags_reach_the_manifest(assembly, stack_id, domain, owner, cost_centre):
    _, cloud_assembly = assembly
    tags = cloud_assembly.get_stack_artifact(stack_id).tags
    assert tags["datamesh:mesh"] == "acme"
    assert tags["datamesh:domain"] == domain
    if owner:
        assert (tags["datamesh:owner"], tags["datamesh:cost-centre"]) == (owner, cost_centre)
    else:
        assert {"datamesh:owner", "datamesh:cost-centre"} <= tags.keys()


def _names(resources: dict) -> dict[str, str]:
    """What a ``Ref`` to a Glue database or table stands for: its name."""
    names = {}
    for logical_id, resource in resources.items():
        properties = resource["Properties"]
        if resource["Type"] == "AWS::Glue::Database":
            names[logical_id] = properties["DatabaseInput"]["Name"]
        elif resource["Type"] == "AWS::Glue::Table":
            names[logical_id] = properties["TableInput"]["Name"]
    return names


def _resolved(value, names: dict[str, str], roles: dict[str, str]):
    if isinstance(value, dict) and set(value) == {"Ref"}:
        return names[value["Ref"]]
    if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
        return roles[value["Fn::GetAtt"][0]]
    if isinstance(value, dict):
        return {key: _resolved(item, names, roles) for key, item in value.items()}
    return value


def template_grants(template: Template, account: str) -> list[tuple]:
    """Every PrincipalPermissions of a template as (catalog, principal, resource, permissions, grantable)."""
    resources = template.to_json()["Resources"]
    roles = {
        logical_id: naming.role_arn(account, r["Properties"]["RoleName"])
        for logical_id, r in resources.items()
        if r["Type"] == "AWS::IAM::Role"
    }
    names = _names(resources)
    found = []
    for resource in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values():
        properties = _resolved(resource["Properties"], names, roles)
        granted = properties["Resource"]
        found.append(
            (
                properties["Catalog"],
                properties["Principal"]["DataLakePrincipalIdentifier"],
                Resource.from_api(granted),
                next(iter(granted.values())).get("CatalogId") or next(iter(granted.values()))["TableCatalogId"],
                tuple(properties["Permissions"]),
                tuple(properties["PermissionsWithGrantOption"]),
            )
        )
    return sorted(found)


def blueprint_grants(grants: list[GrantSpec]) -> list[tuple]:
    return sorted(
        (
            g.catalog,
            g.principal,
            g.resource,
            g.resource.catalog,
            tuple(sorted(g.permissions)),
            tuple(sorted(g.grantable)),
        )
        for g in grants
    )


def test_catalog_stacks_hold_exactly_the_blueprints_databases_and_grants(assembly, example_mesh):
    """The stacks render the blueprint, so the two cannot disagree: the same grants, databases and tables."""
    stacks, _ = assembly
    plan = blueprint(example_mesh)
    for producer, stack in stacks.catalog.items():
        template = Template.from_stack(stack)
        assert template_grants(template, example_mesh.config.governance_account) == blueprint_grants(
            [
                *plan.producer_grants_of(producer),
                *plan.grants_of(producer),
                *plan.quality_grants_of(producer),
                *plan.partition_grants_of(producer),
            ]
        )
        tables = {r["Properties"]["TableInput"]["Name"] for r in template.find_resources("AWS::Glue::Table").values()}
        databases = {
            r["Properties"]["DatabaseInput"]["Name"] for r in template.find_resources("AWS::Glue::Database").values()
        }
        assert databases == {db.name for db in plan.databases_of(producer)}
        assert tables == {t.name for db in plan.databases_of(producer) for t in db.tables}


def test_access_stacks_hold_exactly_the_blueprints_links_and_principal_grants(assembly, example_mesh):
    stacks, _ = assembly
    plan = blueprint(example_mesh)
    for consumer, stack in stacks.access.items():
        template = Template.from_stack(stack)
        account = example_mesh.domain(consumer).account
        assert template_grants(template, account) == blueprint_grants(plan.principal_grants(consumer))
        links = sorted(
            Link(
                consumer,
                r["Properties"]["CatalogId"],
                r["Properties"]["DatabaseInput"]["Name"],
                r["Properties"]["DatabaseInput"]["TargetDatabase"]["CatalogId"],
                r["Properties"]["DatabaseInput"]["TargetDatabase"]["DatabaseName"],
            )
            for r in template.find_resources("AWS::Glue::Database").values()
        )
        assert links == sorted(plan.resource_links_of(consumer))
