"""meshctl new-domain: a commented, valid domain file; never overwrites; removed again if invalid."""

from __future__ import annotations

import yaml

from datamesh.config import load_mesh
from tests.support.fixture_mesh import domain_text


def test_writes_a_commented_producer_file_that_validates(mesh_dir, meshctl):
    result = meshctl(
        "new-domain", "hr", "--account", "666666666666", "--owner", "hr-data@example.com", "--team", "People: Analytics"
    )
    assert result.exit_code == 0, result.output
    text = domain_text(mesh_dir, "hr")
    assert text.startswith(
        "# yaml-language-server: $schema=../schemas/domain.schema.json\n# People: Analytics: a producer."
    )
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 6
    domain = load_mesh(mesh_dir / "mesh.yaml").domain("hr")
    assert (domain.account, domain.owner.email, domain.owner.team) == (
        "666666666666",
        "hr-data@example.com",
        "People: Analytics",
    )
    assert [(p.name, p.confidentiality, p.shared_with) for p in domain.products] == [("example", "restricted", [])]
    assert "/domains/hr.yaml @<org>/people-analytics" in result.stdout
    mesh = load_mesh(mesh_dir / "mesh.yaml").config
    assert (
        f"cdk bootstrap aws://666666666666/{mesh.region} --trust {mesh.governance_account} "
        f"--cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess "
        f"--qualifier {mesh.lake_formation.cdk_qualifier}"
    ) in " ".join(result.stdout.split())


def test_with_a_tooling_account_the_new_account_trusts_it(mesh_dir, meshctl):
    """With ``delivery`` set the tooling account deploys every stack (docs/delivery.md), so the
    bootstrap line trusts it, not the governance account."""
    config = yaml.safe_load((mesh_dir / "mesh.yaml").read_text(encoding="utf-8"))
    config["organization"] = {"id": "o-exampleorg1"}  # delivery needs one
    config["delivery"] = {
        "tooling_account": "999999999999",
        "repository": "acme/data-mesh",
        "connection_arn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/"
        "12345678-1234-4234-8234-123456789012",
    }
    (mesh_dir / "mesh.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = meshctl("new-domain", "hr", "--account", "666666666666", "--owner", "hr-data@example.com")
    assert result.exit_code == 0, result.output
    line = " ".join(result.stdout.split())
    assert "--trust 999999999999 " in line
    assert f"--trust {config['governance_account']} " not in line


def test_a_consumer_file_subscribes_to_what_it_consumes(mesh_dir, meshctl):
    result = meshctl(
        "new-domain",
        "hr",
        "--account",
        "666666666666",
        "--owner",
        "hr@example.com",
        "--consumer",
        "--consumes",
        "sales.orders",
        "--consumes",
        "finance.invoices",
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(domain_text(mesh_dir, "hr"))
    assert "products" not in data
    assert [s["product"] for s in data["consumes"]] == ["sales.orders", "finance.invoices"]
    states = {s.product: s.state.value for s in load_mesh(mesh_dir / "mesh.yaml").shares() if s.consumer == "hr"}
    assert states == {"orders": "granted", "invoices": "pending"}


def test_producer_and_consumer(mesh_dir, meshctl):
    result = meshctl(
        "new-domain",
        "hr",
        "--account",
        "666666666666",
        "--owner",
        "hr@example.com",
        "--producer",
        "--consumes",
        "sales.orders",
    )
    assert result.exit_code == 0, result.output
    domain = load_mesh(mesh_dir / "mesh.yaml").domain("hr")
    assert domain.is_producer and domain.is_consumer


def test_refuses_to_overwrite(mesh_dir, meshctl):
    before = domain_text(mesh_dir, "sales")
    result = meshctl("new-domain", "sales", "--account", "666666666666", "--owner", "x@example.com")
    assert result.exit_code == 3
    assert result.stderr.strip() == "error: domains/sales.yaml already exists; edit it instead"
    assert domain_text(mesh_dir, "sales") == before


def test_an_account_in_use_names_the_domain_using_it(mesh_dir, meshctl):
    before = domain_text(mesh_dir, "sales")
    result = meshctl("new-domain", "hr", "--account", "222222222222", "--owner", "hr@example.com")
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "error: --account 222222222222 is already used by domain 'sales': each domain has its own account"
    )
    assert not (mesh_dir / "domains" / "hr.yaml").exists() and domain_text(mesh_dir, "sales") == before


def test_removes_the_file_again_when_the_mesh_would_be_invalid(mesh_dir, meshctl):
    result = meshctl(
        "new-domain", "hr", "--account", "666666666666", "--owner", "hr@example.com", "--consumes", "sales.nothing"
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "error: domains/hr.yaml: consumes[0].product: domain 'sales' has no product 'nothing'" in lines
    assert "error: removed domains/hr.yaml again: the mesh would not validate with it" in lines
    assert not (mesh_dir / "domains" / "hr.yaml").exists()


def test_a_malformed_account_is_named_with_its_field(mesh_dir, meshctl):
    result = meshctl("new-domain", "hr", "--account", "12", "--owner", "hr@example.com")
    assert result.exit_code == 1
    assert "error: domains/hr.yaml: account: '12' must be a 12-digit AWS account id" in result.stderr.splitlines()
    assert not (mesh_dir / "domains" / "hr.yaml").exists()


def test_a_consumer_needs_something_to_consume(mesh_dir, meshctl):
    result = meshctl("new-domain", "hr", "--account", "666666666666", "--owner", "hr@example.com", "--consumer")
    assert result.exit_code == 2
    assert "--consumer needs at least one --consumes PRODUCER.PRODUCT" in result.stderr
    assert not (mesh_dir / "domains" / "hr.yaml").exists()


def test_a_name_that_is_not_a_domain_name_writes_nothing(mesh_dir, meshctl):
    result = meshctl("new-domain", "../escape", "--account", "666666666666", "--owner", "hr@example.com")
    assert result.exit_code == 2
    assert not (mesh_dir / "escape.yaml").exists()
    assert sorted(p.name for p in (mesh_dir / "domains").iterdir()) == ["finance.yaml", "marketing.yaml", "sales.yaml"]
