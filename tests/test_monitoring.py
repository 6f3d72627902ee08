"""The Catalog and Storage stacks operate each contract: schedules, freshness alarms and the owner's topic,
read from the synthesized templates; expected values come from the parameter files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aws_cdk import App
from aws_cdk.assertions import Match, Template

from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.policies.parameter_rules import parameter_problems

ROOT = Path(__file__).parents[1]
DAY = 86400


def _yaml(relative: str) -> dict:
    return yaml.safe_load((ROOT / relative).read_text())


def _synth(mesh_file: Path) -> dict[str, Template]:
    stacks = build_mesh(App(), load_mesh(mesh_file))
    return {s.node.id: Template.from_stack(s) for s in stacks.all()}


def test_the_domains_topic_subscribes_the_owner_and_the_platform_team(templates):
    owner = _yaml("domains/sales.yaml")["owner"]["email"]
    platform = _yaml("mesh.yaml")["monitoring"]["platform_email"]
    found = templates["Sales-Catalog"].find_resources("AWS::SNS::Subscription")
    assert sorted((s["Properties"]["Protocol"], s["Properties"]["Endpoint"]) for s in found.values()) == [
        ("email", platform),
        ("email", owner),
    ]
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::SNS::Topic", {"TopicName": "acme-sales-alerts", "KmsMasterKeyId": "alias/acme/catalog"}
    )


def test_each_ruleset_has_a_schedule_at_the_contracts_frequency(templates):
    latency = next(
        s for s in _yaml("domains/finance/contracts/invoices.yaml")["slaProperties"] if s["property"] == "latency"
    )
    schedules = templates["Finance-Catalog"].find_resources("AWS::Scheduler::Schedule")
    [schedule] = [s for s in schedules.values() if "DataQuality" in s["Properties"]["Target"]["Arn"]]
    run = json.loads(schedule["Properties"]["Target"]["Input"])
    assert schedule["Properties"]["ScheduleExpression"] == f"rate({latency['value']} hours)"  # no frequency: latency
    assert (
        schedule["Properties"]["Target"]["Arn"]
        == "arn:aws:scheduler:::aws-sdk:glue:startDataQualityRulesetEvaluationRun"
    )
    rulesets = [
        r["Properties"]["Name"]
        for r in templates["Finance-Catalog"].find_resources("AWS::Glue::DataQualityRuleset").values()
    ]
    assert (run["RulesetNames"], run["DataSource"]["GlueTable"]["TableName"]) == (rulesets, "invoices")


def test_the_freshness_alarm_waits_the_contracts_latency_and_treats_no_data_as_stale(templates):
    alarms = templates["Sales-Catalog"].find_resources("AWS::CloudWatch::Alarm")
    by_name = {a["Properties"]["AlarmName"]: a["Properties"] for a in alarms.values()}
    orders = _yaml("domains/sales/contracts/orders.yaml")["slaProperties"][0]
    assert (orders["property"], orders["unit"]) == ("latency", "d")
    alarm = by_name["acme-sales-orders-stale"]
    assert (alarm["Period"], alarm["TreatMissingData"], alarm["MetricName"], alarm["Dimensions"]) == (
        orders["value"] * DAY,
        "breaching",
        "MatchedEvents",
        [{"Name": "RuleName", "Value": "acme-sales-orders-landed"}],
    )
    templates["Sales-Catalog"].has_resource_properties(
        "AWS::Events::Rule",
        {"Name": "acme-sales-orders-landed", "EventPattern": {"detail": {"object": {"key": [{"prefix": "orders/"}]}}}},
    )


def test_the_producer_forwards_its_new_objects_to_the_governance_accounts_bus(templates):
    governance = _yaml("mesh.yaml")["governance_account"]
    storage = templates["Sales-Storage"]
    storage.has_resource_properties(
        "AWS::S3::Bucket", {"NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}}
    )
    storage.has_resource_properties(
        "AWS::Events::Rule",
        {"Targets": [Match.object_like({"Arn": f"arn:aws:events:eu-west-1:{governance}:event-bus/default"})]},
    )


def test_monitoring_false_removes_the_products_schedules_grants_rule_and_alarm(mesh_copy):
    def off(doc: dict) -> dict:
        next(p for p in doc["products"] if p["name"] == "orders")["monitoring"] = False
        return doc

    templates = _synth(mesh_copy(("domains/sales.yaml", off)))
    catalog = templates["Sales-Catalog"]
    names = [s["Properties"]["Name"] for s in catalog.find_resources("AWS::Scheduler::Schedule").values()]
    alarms = [a["Properties"]["AlarmName"] for a in catalog.find_resources("AWS::CloudWatch::Alarm").values()]
    assert (names, alarms) == (["acme-sales-customers"], ["acme-sales-customers-stale"])
    assert catalog.find_resources("AWS::Glue::Crawler") == {}  # customers is not partitioned
    roles = json.dumps(catalog.find_resources("AWS::LakeFormation::PrincipalPermissions"))
    assert "acme-sales-quality" in roles and '"sales_orders"' not in json.dumps(
        [
            r
            for r in catalog.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
            if "acme-sales-quality" in json.dumps(r)
        ]
    )


def test_a_staleness_threshold_beyond_seven_days_is_refused(mesh_copy):
    def eight_days(doc: dict) -> dict:
        doc["slaProperties"][0].update(value=8, unit="d")
        return doc

    with pytest.raises(ConfigError) as refused:
        load_mesh(mesh_copy(("domains/sales/contracts/orders.yaml", eight_days)), rules=parameter_problems)
    assert "latency=8d is longer than 7 days" in str(refused.value)


def _partitioned(contract: str) -> bool:
    return any(p.get("partitioned") for s in _yaml(contract)["schema"] for p in s["properties"])


def _database_of(template: Template, product: str) -> str:
    [name] = [
        d["Properties"]["DatabaseInput"]["Name"]
        for d in template.find_resources("AWS::Glue::Database").values()
        if d["Properties"]["DatabaseInput"]["Name"].endswith(f"_{product}")
    ]
    return name


@pytest.mark.parametrize(
    ("stack", "product", "contract"),
    [
        ("Sales-Catalog", "orders", "domains/sales/contracts/orders.yaml"),
        ("Sales-Catalog", "customers", "domains/sales/contracts/customers.yaml"),
        ("Finance-Catalog", "invoices", "domains/finance/contracts/invoices.yaml"),
    ],
)
def test_a_partitioned_evaluated_table_has_a_crawler_of_its_own_catalog_table(templates, stack, product, contract):
    template = templates[stack]
    database = _database_of(template, product)
    targets = [
        c["Properties"]
        for c in template.find_resources("AWS::Glue::Crawler").values()
        if c["Properties"]["Targets"]["CatalogTargets"][0]["DatabaseName"] == database
    ]
    if not _partitioned(contract):
        assert targets == []
        return
    [crawler] = targets
    assert crawler["Targets"] == {"CatalogTargets": [{"DatabaseName": database, "Tables": [product]}]}
    assert crawler["LakeFormationConfiguration"] == {"UseLakeFormationCredentials": True}
    assert crawler["SchemaChangePolicy"] == {"UpdateBehavior": "LOG", "DeleteBehavior": "LOG"}  # the contract's schema
    assert json.loads(crawler["Configuration"])["CrawlerOutput"]["Partitions"] == {
        "AddOrUpdateBehavior": "InheritFromTable"
    }
    security = template.find_resources("AWS::Glue::SecurityConfiguration")
    [configuration] = [s["Properties"] for s in security.values()]
    assert crawler["CrawlerSecurityConfiguration"] == {"Ref": next(iter(security))}
    assert configuration["EncryptionConfiguration"]["CloudWatchEncryption"]["CloudWatchEncryptionMode"] == "SSE-KMS"


def test_the_crawl_is_started_at_the_cadence_of_its_tables_evaluation(templates):
    schedules = [
        s["Properties"] for s in templates["Finance-Catalog"].find_resources("AWS::Scheduler::Schedule").values()
    ]
    [crawler] = templates["Finance-Catalog"].find_resources("AWS::Glue::Crawler").values()
    [crawl] = [s for s in schedules if s["Target"]["Arn"] == "arn:aws:scheduler:::aws-sdk:glue:startCrawler"]
    [evaluation] = [s for s in schedules if s is not crawl]
    assert json.loads(crawl["Target"]["Input"]) == {"Name": crawler["Properties"]["Name"]}
    assert crawl["ScheduleExpression"] == evaluation["ScheduleExpression"]
    assert crawl["Target"]["RoleArn"] == evaluation["Target"]["RoleArn"]


def test_the_partitions_role_may_alter_its_tables_and_use_the_data_location_but_not_read_or_insert(templates):
    mesh, sales = _yaml("mesh.yaml"), _yaml("domains/sales.yaml")
    role = f"arn:aws:iam::{mesh['governance_account']}:role/{mesh['name']}-sales-partitions"
    grants = [
        g["Properties"]
        for g in templates["Sales-Catalog"].find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        if g["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == role
    ]
    by_kind = {
        next(iter(g["Resource"])): g for g in grants if "Table" in g["Resource"] or "DataLocation" in g["Resource"]
    }
    assert sorted(by_kind["Table"]["Permissions"]) == ["ALTER", "DESCRIBE"]
    assert by_kind["DataLocation"]["Permissions"] == ["DATA_LOCATION_ACCESS"]
    bucket = f"{mesh['name']}-sales-data-{sales['account']}-{mesh['region']}"
    assert by_kind["DataLocation"]["Resource"]["DataLocation"]["ResourceArn"] == f"arn:aws:s3:::{bucket}"
    assert not {p for g in grants for p in g["Permissions"]} & {"SELECT", "INSERT"}
    assert all(g["PermissionsWithGrantOption"] == [] for g in grants)


def _bus_statements(templates: dict[str, Template]) -> dict[str, list[dict]]:
    return {
        stack: [r["Properties"] for r in t.find_resources("AWS::Events::EventBusPolicy").values()]
        for stack, t in templates.items()
    }


def test_with_an_organization_one_governance_statement_lets_the_organization_put_events(templates):
    organization = _yaml("mesh.yaml")["organization"]["id"]
    found = {stack: s for stack, s in _bus_statements(templates).items() if s}
    assert list(found) == ["Governance"]
    [statement] = found["Governance"]
    assert (statement["Statement"]["Principal"], statement["Statement"]["Condition"]) == (
        "*",
        {"StringEquals": {"aws:PrincipalOrgID": organization}},
    )


def test_a_standalone_mesh_names_each_producer_account_in_its_catalog_stack(mesh_copy):
    standalone = _synth(mesh_copy(("mesh.yaml", lambda doc: {k: v for k, v in doc.items() if k != "organization"})))
    found = {stack: s for stack, s in _bus_statements(standalone).items() if s}
    assert sorted(found) == ["Finance-Catalog", "Sales-Catalog"]
    [sales] = found["Sales-Catalog"]
    account = _yaml("domains/sales.yaml")["account"]
    assert json.dumps(sales["Statement"]["Principal"]).count(f":iam::{account}:root") == 1


def test_the_crawler_waits_for_its_table_and_the_location_grant_for_the_registered_location(templates):
    resources = templates["Sales-Catalog"].to_json()["Resources"]
    [(crawler_id, crawler)] = [(k, r) for k, r in resources.items() if r["Type"] == "AWS::Glue::Crawler"]
    [table] = crawler["Properties"]["Targets"]["CatalogTargets"][0]["Tables"]
    [table_id] = [
        k
        for k, r in resources.items()
        if r["Type"] == "AWS::Glue::Table" and r["Properties"]["TableInput"]["Name"] == table
    ]
    assert table_id in crawler["DependsOn"], crawler_id
    [location_id] = [k for k, r in resources.items() if r["Type"] == "AWS::LakeFormation::Resource"]
    [grant] = [
        r
        for r in resources.values()
        if r["Type"] == "AWS::LakeFormation::PrincipalPermissions" and "DataLocation" in r["Properties"]["Resource"]
    ]
    assert location_id in grant["DependsOn"]
