"""Findings 3, 6, 7 and 8 of the real-AWS audit (docs/real-aws.md), asserted on synthesized templates.

Expected values come from the parameter files and contracts as written (read here with
PyYAML, not through the mesh's models) and from AWS's documented rules:

- Athena projects a partition column only when the table sets ``projection.enabled`` and
  ``projection.<column>.type`` (enum, integer, date or injected) for every partition column;
  date projection needs ``format`` and ``range`` (Athena user guide, "Supported types for
  partition projection", "Setting up partition projection").
- ``LFTag.TagValues`` holds at most 50 values per API call (Lake Formation API reference, LFTag).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from aws_cdk import App, RemovalPolicy
from aws_cdk.assertions import Template

from bench.generate import write_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.policies.parameter_rules import parameter_problems
from datamesh.stacks.catalog import CatalogStack
from datamesh.stacks.governance import GovernanceStack

ROOT = Path(__file__).resolve().parent.parent
LF_TAG_VALUES_PER_CALL = 50
GENERATED_DOMAINS = 130


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _contract_partition_keys(domain: str, product: str) -> list[dict]:
    """The contract's partitioned properties, as the producer wrote them."""
    domain_file = _yaml(ROOT / "domains" / f"{domain}.yaml")
    entry = next(p for p in domain_file["products"] if p["name"] == product)
    contract = _yaml(ROOT / "domains" / entry["contract"])
    return [p for p in contract["schema"][0]["properties"] if p.get("partitioned")]


def _tables(template: Template) -> dict[str, dict]:
    return {
        r["Properties"]["TableInput"]["Name"]: r["Properties"]["TableInput"]
        for r in template.find_resources("AWS::Glue::Table").values()
    }


def _tags(template: Template) -> dict[str, list[str]]:
    return {
        r["Properties"]["TagKey"]: r["Properties"]["TagValues"]
        for r in template.find_resources("AWS::LakeFormation::Tag").values()
    }


def _database_tags(template: Template) -> list[dict]:
    """LF-tag pairs of every database TagAssociation."""
    return [
        pair
        for r in template.find_resources("AWS::LakeFormation::TagAssociation").values()
        if "Database" in r["Properties"]["Resource"]
        for pair in r["Properties"]["LFTags"]
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    """A generated mesh past 50 domains, and one with a domain more."""
    root = tmp_path_factory.mktemp("generated")
    return {n: load_mesh(write_mesh(root / str(n), n)) for n in (GENERATED_DOMAINS, GENERATED_DOMAINS + 1)}


@pytest.fixture(scope="module")
def generated_governance(generated) -> Template:
    mesh = generated[GENERATED_DOMAINS]
    return Template.from_stack(GovernanceStack(App(), "Governance", mesh=mesh, removal_policy=RemovalPolicy.RETAIN))


@pytest.fixture(scope="module")
def generated_catalogs(generated) -> dict[str, Template]:
    """Catalog templates of the generated mesh's first producers (enough partitioned tables to cover every type)."""
    mesh = generated[GENERATED_DOMAINS]
    app = App()
    stacks = {
        d.name: CatalogStack(app, f"C{i}", mesh=mesh, domain=d, removal_policy=RemovalPolicy.RETAIN)
        for i, d in enumerate(mesh.producers[:12])
    }
    return {name: Template.from_stack(stack) for name, stack in stacks.items()}


# Finding 3: partitioned tables are projected, so new partitions need no registration -----------


def test_orders_projects_one_partition_a_day_from_the_contracts_first_day(templates):
    (key,) = _contract_partition_keys("sales", "orders")
    table = _tables(templates["Sales-Catalog"])["orders"]
    parameters, name = table["Parameters"], key["name"]
    assert [k["Name"] for k in table["PartitionKeys"]] == [name]
    assert parameters["projection.enabled"] == "true"
    assert parameters[f"projection.{name}.type"] == "date"
    # A Hive date column's values are yyyy-MM-dd; the range starts at the contract's minimum.
    assert parameters[f"projection.{name}.format"] == "yyyy-MM-dd"
    assert parameters[f"projection.{name}.range"] == f"{key['logicalTypeOptions']['minimum']},NOW"
    assert parameters[f"projection.{name}.interval.unit"] == "DAYS"


def test_invoices_projects_one_partition_a_month_in_the_contracts_format(templates):
    (key,) = _contract_partition_keys("finance", "invoices")
    parameters, name, options = (
        _tables(templates["Finance-Catalog"])["invoices"]["Parameters"],
        key["name"],
        key["logicalTypeOptions"],
    )
    assert parameters[f"projection.{name}.type"] == "date"
    assert parameters[f"projection.{name}.format"] == options["format"] == "yyyy-MM"
    assert parameters[f"projection.{name}.range"] == f"{options['minimum']},NOW"
    assert parameters[f"projection.{name}.interval.unit"] == "MONTHS"


@pytest.mark.parametrize(("stack", "table"), [("Sales-Catalog", "orders"), ("Finance-Catalog", "invoices")])
def test_projected_locations_are_where_producers_write(templates, stack, table):
    found = _tables(templates[stack])[table]
    location = found["StorageDescriptor"]["Location"]
    keys = "".join(f"{k['Name']}=${{{k['Name']}}}/" for k in found["PartitionKeys"])
    assert location.endswith("/")
    assert found["Parameters"]["storage.location.template"] == location + keys


def test_an_unpartitioned_table_is_not_projected(templates):
    assert not any(k.startswith("projection.") for k in _tables(templates["Sales-Catalog"])["customers"]["Parameters"])


def test_every_partition_key_of_a_generated_mesh_is_projected(generated, generated_catalogs):
    partitioned = [
        t for template in generated_catalogs.values() for t in _tables(template).values() if t.get("PartitionKeys")
    ]
    assert len({k["Type"] for t in partitioned for k in t["PartitionKeys"]}) >= 3, "too few key types to prove much"
    for table in partitioned:
        parameters = table["Parameters"]
        assert parameters["projection.enabled"] == "true"
        for key in table["PartitionKeys"]:
            kind = parameters[f"projection.{key['Name']}.type"]
            # Inline keys state no range nor values: a boolean is the enum of its two values,
            # anything else only Athena's injected type can project.
            if key["Type"] == "boolean":
                assert (kind, parameters[f"projection.{key['Name']}.values"]) == ("enum", "true,false")
            else:
                assert kind == "injected"


def _property(contract: dict, name: str) -> dict:
    return next(p for p in contract["schema"][0]["properties"] if p["name"] == name)


def test_a_key_with_allowed_values_is_projected_as_those_values(mesh_copy):
    def partition_segment(contract):
        _property(contract, "segment").update(partitioned=True, partitionKeyPosition=1)
        return contract

    mesh = load_mesh(mesh_copy(("domains/sales/contracts/customers.yaml", partition_segment)))
    segment = _property(_yaml(ROOT / "domains/sales/contracts/customers.yaml"), "segment")
    (rule,) = [q for q in segment["quality"] if q.get("metric") == "invalidValues"]
    template = Template.from_stack(
        CatalogStack(
            App(), "Sales-Catalog", mesh=mesh, domain=mesh.domain("sales"), removal_policy=RemovalPolicy.RETAIN
        )
    )
    parameters = _tables(template)["customers"]["Parameters"]
    assert parameters["projection.segment.type"] == "enum"
    assert parameters["projection.segment.values"] == ",".join(rule["arguments"]["validValues"])


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"logicalType": "number", "physicalType": "double", "logicalTypeOptions": None},
            "Athena cannot project a double key",
        ),
        ({"logicalTypeOptions": {"format": "yyyy-MM", "minimum": "2024-01"}}, "a date key's values are yyyy-MM-dd"),
        (
            {"logicalTypeOptions": {"minimum": "01.01.2024"}},
            "logicalTypeOptions.minimum '01.01.2024' is not in the key's format 'yyyy-MM-dd'",
        ),
    ],
)
def test_a_key_athena_cannot_project_is_refused_in_one_line(mesh_copy, changes, reason):
    def edit(contract):
        key = _property(contract, "order_date")
        key.update(changes)
        for name in [k for k, v in changes.items() if v is None]:
            del key[name]
        return contract

    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_copy(("domains/sales/contracts/orders.yaml", edit)), rules=parameter_problems)
    (problem,) = raised.value.problems
    # Reported at the contract's property: sales.yaml names the contract, order_date is its sixth property.
    contract_file = next(p for p in _yaml(ROOT / "domains/sales.yaml")["products"] if p["name"] == "orders")["contract"]
    index = [p["name"] for p in _yaml(ROOT / "domains" / contract_file)["schema"][0]["properties"]].index("order_date")
    assert Path(problem.file).parts[-4:] == ("domains", *Path(contract_file).parts)
    assert problem.field == f"schema[0].properties[{index}]"
    assert problem.reason.startswith(f"partition key 'order_date' cannot be projected: {reason}")
    assert "\n" not in str(problem)


# Finding 6: the analyst reads partitions of what it subscribed to, and only that ---------------


PARTITION_READS = {"glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"}


def _partition_read_resources(template: Template) -> set[str]:
    found: set[str] = set()
    for policy in template.find_resources("AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if PARTITION_READS <= set(actions):
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                found |= {r for r in resources if isinstance(r, str)}
    return found


def _granted(domain: dict, domains: dict[str, dict]) -> set[tuple[str, str]]:
    """(producer, product) of each subscription the producer approved, from the files."""
    granted = set()
    for subscription in domain.get("consumes", []):
        producer, product = subscription["product"].split(".")
        shared = next(p for p in domains[producer]["products"] if p["name"] == product).get("shared_with", [])
        if shared == "all" or domain["name"] in shared:
            granted.add((producer, product))
    return granted


@pytest.mark.parametrize("consumer", ["analytics", "finance", "marketing"])
def test_analyst_reads_partitions_of_its_subscribed_tables_only(templates, consumer):
    mesh, domains = _yaml(ROOT / "mesh.yaml"), {p.stem: _yaml(p) for p in (ROOT / "domains").glob("*.yaml")}
    account, region, gov = domains[consumer]["account"], mesh["region"], mesh["governance_account"]
    tables = {
        arn for arn in _partition_read_resources(templates[f"{consumer.capitalize()}-Access"]) if ":table/" in arn
    }
    granted = _granted(domains[consumer], domains)
    assert granted, "the consumer should be granted something, or this test proves nothing"
    assert tables == {
        f"arn:aws:glue:{region}:{catalog}:table/{producer}_{product}/{product}"
        for producer, product in granted
        for catalog in (account, gov)
    }


# Finding 7: no LF-tag needs more than 50 values in one call ----------------------------------


def test_example_mesh_keeps_one_domain_tag_listing_every_domain(templates):
    names = sorted(p.stem for p in (ROOT / "domains").glob("*.yaml"))
    tags = _tags(templates["Governance"])
    assert sorted(tags["domain"]) == names
    assert not [k for k in tags if k.startswith("domain-")]


def test_every_lf_tag_of_a_large_mesh_fits_one_call(generated_governance):
    tags = _tags(generated_governance)
    assert {k: len(v) for k, v in tags.items() if len(v) > LF_TAG_VALUES_PER_CALL} == {}


def test_every_domain_of_a_large_mesh_is_one_value_of_one_domain_key(generated, generated_governance):
    values = [v for key, vs in _tags(generated_governance).items() if re.fullmatch(r"domain(-\d\d)?", key) for v in vs]
    assert sorted(values) == sorted(d.name for d in generated[GENERATED_DOMAINS].domains)


def test_each_database_is_tagged_with_the_key_that_lists_its_domain(generated_governance, generated_catalogs):
    tags = _tags(generated_governance)
    for domain, template in generated_catalogs.items():
        pairs = [p for p in _database_tags(template) if p["TagKey"].startswith("domain")]
        assert pairs and all(p["TagValues"] == [domain] and domain in tags[p["TagKey"]] for p in pairs)


def test_a_new_domain_moves_no_value_between_domain_keys(generated):
    def keys(mesh):
        template = Template.from_stack(
            GovernanceStack(App(), "Governance", mesh=mesh, removal_policy=RemovalPolicy.RETAIN)
        )
        return {v: k for k, vs in _tags(template).items() if k.startswith("domain") for v in vs}

    before, after = keys(generated[GENERATED_DOMAINS]), keys(generated[GENERATED_DOMAINS + 1])
    assert {d: after[d] for d in before} == before


def test_a_taxonomy_tag_over_50_values_is_refused(mesh_copy):
    def many_values(config):
        config["taxonomy"]["tags"]["retention"] = [f"r{i}" for i in range(LF_TAG_VALUES_PER_CALL + 1)]
        return config

    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_copy(("mesh.yaml", many_values)), rules=parameter_problems)
    (problem,) = raised.value.problems
    assert (problem.field, problem.reason) == (
        "taxonomy.tags.retention",
        "51 values: an LF-tag is created with at most 50",
    )


# Finding 8: the producer writes through its own role; Lake Formation only ever reads ----------


WRITE_ACCESS = {"INSERT", "DELETE"}  # Lake Formation's data access permissions that write


def test_the_producer_is_granted_no_write_access_lake_formation_cannot_serve(templates):
    account = _yaml(ROOT / "domains/sales.yaml")["account"]
    grants = {
        k: r["Properties"]
        for k, r in templates["Sales-Catalog"].find_resources("AWS::LakeFormation::PrincipalPermissions").items()
        if r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == account
    }
    assert grants
    assert not [k for k, g in grants.items() if WRITE_ACCESS & {*g["Permissions"], *g["PermissionsWithGrantOption"]}]
    # The narrower grants keep the logical ids of the broader ones, so CloudFormation replaces
    # each in place: PrincipalPermissions' replacementStrategy is delete_then_create (the old
    # grant is revoked before the new one is made) instead of creating a second grant with the
    # same identity beside the first.
    tables = {k for k, g in grants.items() if "Table" in g["Resource"]}
    assert tables == {"OrdersProducerTablesGrantE3E932FF", "CustomersProducerTablesGrant5AB75DC7"}


def _statements(template: Template, role_name_part: str) -> list[dict]:
    roles = {
        k
        for k, r in template.find_resources("AWS::IAM::Role").items()
        if role_name_part in str(r["Properties"].get("RoleName", ""))
    }
    return [
        s
        for p in template.find_resources("AWS::IAM::Policy").values()
        if any(ref.get("Ref") in roles for ref in p["Properties"]["Roles"])
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def _actions(statements: list[dict]) -> set[str]:
    return {a for s in statements for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])}


def test_the_registration_role_lake_formation_vends_credentials_with_cannot_write(templates):
    actions = _actions(_statements(templates["Governance"], "lakeformation-data-access"))
    assert actions and not {
        a for a in actions if re.match(r"s3:(Put|Delete|Abort)", a) or a in ("kms:GenerateDataKey", "kms:Encrypt")
    }


def test_the_producer_writes_its_products_with_its_own_role(templates):
    statements = _statements(templates["Sales-Storage"], "sales-producer")
    assert {"s3:PutObject", "s3:DeleteObject"} <= _actions(statements)
    assert "kms:GenerateDataKey" in _actions(statements)
