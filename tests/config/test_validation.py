"""Each validation error: one problem naming the file, the field and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from datamesh.config import ConfigError, Problem, ShareState, load_mesh
from datamesh.config.parameter_files import ParameterFiles
from datamesh.policies.parameter_rules import parameter_problems


def problems_of(mesh_file: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_file, rules=parameter_problems)
    return [str(p) for p in raised.value.problems]


def set_key(key, value):
    def edit(doc):
        doc[key] = value
        return doc

    return edit


def edit_product(index, key, value):
    def edit(doc):
        doc["products"][index][key] = value
        return doc

    return edit


def inline_columns(index, columns, partition_keys=()):
    """Replace a product's contract with columns written in the domain file."""

    def edit(doc):
        product = doc["products"][index]
        product.pop("contract")
        product.update(description="Inline", columns=columns, partition_keys=list(partition_keys))
        return doc

    return edit


def test_the_loaded_files_cannot_be_changed_after_validation(example_mesh):
    """The models are validated once, then frozen: an assignment afterwards would skip the checks."""
    with pytest.raises(ValidationError, match="frozen"):
        example_mesh.config.name = "Not A Valid Name"
    with pytest.raises(ValidationError, match="frozen"):
        example_mesh.domains[0].account = "1"


def test_example_mesh_is_valid(example_mesh):
    assert [d.name for d in example_mesh.domains] == ["analytics", "finance", "marketing", "sales"]
    assert {d.name for d in example_mesh.producers} == {"finance", "sales"}
    assert {d.name for d in example_mesh.consumers} == {"analytics", "finance", "marketing"}


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "domains/sales.yaml",
            set_key("account", "22222222222"),
            "domains/sales.yaml: account: '22222222222' must be a 12-digit AWS account id",
        ),
        (
            "domains/sales.yaml",
            set_key("acount", "222222222222"),
            "domains/sales.yaml: acount: unknown key (not in the schema; check the spelling)",
        ),
        (
            "domains/sales.yaml",
            set_key("name", "Sales_Team"),
            "domains/sales.yaml: name: 'Sales_Team' must be lower-case letters and digits",
        ),
        (
            "domains/sales.yaml",
            set_key("account", "333333333333"),
            "domains/sales.yaml: account: 333333333333 is already used by domain 'finance'",
        ),
        (
            "domains/marketing.yaml",
            set_key("account", "111111111111"),
            "domains/marketing.yaml: account: 111111111111 is already the governance account",
        ),
        (
            "domains/sales.yaml",
            edit_product(0, "confidentiality", "secret"),
            "domains/sales.yaml: products[0].confidentiality: unknown level 'secret' (taxonomy: public, internal,",
        ),
        (
            "domains/sales.yaml",
            edit_product(0, "name", "Orders"),
            "domains/sales.yaml: products[0].name: 'Orders' must be lower-case letters, digits and underscores",
        ),
        (
            "domains/sales.yaml",
            edit_product(1, "shared_with", ["marketing", "hr"]),
            "domains/sales.yaml: products[1].shared_with[1]: unknown domain 'hr'",
        ),
        (
            "domains/sales.yaml",
            edit_product(1, "shared_with", ["marketing", "sales"]),
            "domains/sales.yaml: products[1].shared_with[1]: a domain does not share with itself",
        ),
        (
            "domains/sales.yaml",
            inline_columns(0, [{"name": "id", "type": "text"}]),
            "domains/sales.yaml: products[0].columns[0].type: 'text' is not a Glue column type: unknown type 'text'",
        ),
        (
            "domains/sales.yaml",
            inline_columns(0, [{"name": "order_id", "type": "string"}], [{"name": "order_id", "type": "string"}]),
            "domains/sales.yaml: products[0]: duplicate column names: order_id",
        ),
        (
            "domains/sales.yaml",
            inline_columns(
                0, [{"name": "order_id", "type": "string"}], [{"name": "email", "type": "string", "pii": True}]
            ),
            "domains/sales.yaml: products[0].partition_keys: partition key 'email' is tagged pii, but Lake Formation "
            "cannot withhold a partition key from a grant (no column filtering on partition keys): drop the pii tag or "
            "make it a column",
        ),
        (
            "domains/analytics.yaml",
            set_key("consumes", [{"product": "hr.payroll"}]),
            "domains/analytics.yaml: consumes[0].product: unknown domain 'hr'",
        ),
        (
            "domains/analytics.yaml",
            set_key("consumes", [{"product": "sales.refunds"}]),
            "domains/analytics.yaml: consumes[0].product: domain 'sales' has no product 'refunds'",
        ),
        (
            "domains/finance.yaml",
            set_key("consumes", [{"product": "finance.invoices"}]),
            "domains/finance.yaml: consumes[0].product: a domain cannot consume its own product",
        ),
        (
            "domains/analytics.yaml",
            set_key("consumes", [{"product": "sales.orders"}, {"product": "sales.orders"}]),
            "domains/analytics.yaml: consumes[1].product: duplicate subscription to 'sales.orders'",
        ),
        (
            "domains/analytics.yaml",
            set_key("consumes", [{"product": "sales.orders", "permissions": ["INSERT"]}]),
            "domains/analytics.yaml: consumes[0].permissions[0]: Input should be 'SELECT' or 'DESCRIBE'",
        ),
        (
            "domains/analytics.yaml",
            set_key("consumes", []),
            "domains/analytics.yaml: (file): a domain needs products, consumes, or both",
        ),
        (
            "domains/analytics.yaml",
            lambda doc: {k: v for k, v in doc.items() if k != "owner"},
            "domains/analytics.yaml: owner: required field is missing",
        ),
        (
            "domains/data-science.yaml",
            lambda _: {
                "name": "datascience",
                "account": "666666666666",
                "owner": {"team": "DS", "email": "ds@example.com"},
                "consumes": [{"product": "sales.orders"}],
            },
            "domains/data-science.yaml: name: 'datascience' must match the file name 'data-science'",
        ),
        (
            "domains/sales.yaml",
            edit_product(0, "columns", [{"name": "id", "type": "string"}]),
            "domains/sales.yaml: products[0]: columns and partition_keys come from the contract; remove them here",
        ),
        (
            "domains/sales.yaml",
            lambda doc: {**doc, "products": [{"name": "x", "confidentiality": "internal"}]},
            "domains/sales.yaml: products[0]: needs a contract, or a description and at least one column",
        ),
        (
            "mesh.yaml",
            set_key("region", "Europe"),
            "mesh.yaml: region: 'Europe' must be an AWS region such as eu-west-1",
        ),
        (
            "mesh.yaml",
            set_key("taxonomy", {"confidentiality": ["low", "low"]}),
            "mesh.yaml: taxonomy.confidentiality: levels must be unique",
        ),
        (
            "mesh.yaml",
            set_key("taxonomy", {"confidentiality": ["low"], "tags": {"domain": ["x"]}}),
            "mesh.yaml: taxonomy.tags: domain is managed by the mesh itself",
        ),
    ],
)
def test_rejects_with_one_line_naming_file_and_field(mesh_copy, file, edit, expected):
    found = problems_of(mesh_copy((file, edit)))
    matching = [p for p in found if expected in p]
    assert matching, f"expected {expected!r} in {found}"
    assert all("\n" not in p for p in found)


def test_single_mistake_gives_single_problem(mesh_copy):
    found = problems_of(mesh_copy(("domains/sales.yaml", edit_product(0, "confidentiality", "secret"))))
    assert len(found) == 1


def test_reports_all_problems_of_all_files_in_one_run(mesh_copy):
    found = problems_of(
        mesh_copy(
            ("domains/sales.yaml", set_key("account", "12")),
            ("domains/finance.yaml", set_key("consumes", [{"product": "hr.payroll"}])),
            ("mesh.yaml", set_key("governance_account", "abc")),
        )
    )
    assert len(found) == 3
    assert {p.split(":")[0].rsplit("/", 2)[-1] for p in found} == {"sales.yaml", "finance.yaml", "mesh.yaml"}


def test_a_broken_file_does_not_cascade_into_unknown_domain_errors(mesh_copy):
    found = problems_of(mesh_copy(("domains/finance.yaml", set_key("owner", "nobody"))))
    assert len(found) == 1
    assert "finance.yaml: owner:" in found[0]


def test_yaml_syntax_error_names_the_line(mesh_copy, tmp_path):
    mesh_file = mesh_copy()
    (mesh_file.parent / "domains" / "sales.yaml").write_text("name: sales\naccount: [unclosed\n")
    found = problems_of(mesh_file)
    assert len(found) == 1
    assert "sales.yaml: (file): invalid YAML: line 3" in found[0]


def test_missing_mesh_file(tmp_path):
    assert problems_of(tmp_path / "nowhere.yaml") == [f"{tmp_path / 'nowhere.yaml'}: (file): mesh file not found"]


def test_mesh_without_domains(tmp_path, mesh_copy):
    mesh_file = mesh_copy()
    shutil.rmtree(mesh_file.parent / "domains")
    (mesh_file.parent / "domains").mkdir()
    assert any("no domain files" in p for p in problems_of(mesh_file))


def test_subscription_to_unapproved_product_is_pending_not_an_error(example_mesh):
    states = {(s.consumer, s.producer, s.product): s.state for s in example_mesh.shares()}
    assert states[("marketing", "finance", "invoices")] is ShareState.PENDING
    assert states[("marketing", "sales", "customers")] is ShareState.GRANTED
    assert states[("analytics", "sales", "orders")] is ShareState.GRANTED
    assert ("marketing", "finance", "invoices") not in {
        (s.consumer, s.producer, s.product) for s in example_mesh.granted_shares()
    }


def test_approving_turns_pending_into_granted(mesh_copy):
    mesh = load_mesh(mesh_copy(("domains/finance.yaml", edit_product(0, "shared_with", ["analytics", "marketing"]))))
    assert ("marketing", "finance", "invoices") in {(s.consumer, s.producer, s.product) for s in mesh.granted_shares()}


def _consumer(name: str) -> dict:
    return {
        "name": name,
        "account": "666666666666",
        "owner": {"team": "CI", "email": "ci@example.com"},
        "consumes": [{"product": "sales.orders"}],
    }


def test_a_consumer_whose_every_bucket_name_fits_is_accepted(mesh_copy):
    # acme-<name>-athena-logs-666666666666-eu-west-1, S3's limit of 63 characters: 22 fit
    name = "customer-insights-euro"
    mesh = load_mesh(mesh_copy((f"domains/{name}.yaml", lambda _: _consumer(name))))
    assert name in {d.name for d in mesh.domains}


def test_too_long_names_are_rejected_before_synth(mesh_copy):
    # The Athena results bucket's own access-log bucket is the longest name a consumer gets:
    # acme-customer-insights-europe-athena-logs-666666666666-eu-west-1 has 64 characters.
    name = "customer-insights-europe"
    found = problems_of(mesh_copy((f"domains/{name}.yaml", lambda _: _consumer(name))))
    assert found == [
        f"{found[0].split(':')[0]}: name: too long: bucket name "
        f"'acme-{name}-athena-logs-666666666666-eu-west-1' would exceed 63 characters"
    ]


def test_contract_problems_name_the_contract_file_and_field(mesh_copy):
    def break_contract(doc):
        doc["schema"][0]["properties"][1]["logicalType"] = "object"
        return doc

    found = problems_of(mesh_copy(("domains/sales/contracts/customers.yaml", break_contract)))
    assert len(found) == 1
    assert found[0].endswith(
        "domains/sales/contracts/customers.yaml: schema[0].properties[1]: "
        "column 'segment': object needs properties (a Glue struct has at least one field)"
    )


def test_column_classification_must_be_a_level_at_most_the_products(mesh_copy):
    def classify(level):
        def edit(doc):
            doc["schema"][0]["properties"][0]["classification"] = level
            return doc

        return edit

    found = problems_of(mesh_copy(("domains/sales/contracts/customers.yaml", classify("secret"))))
    assert [p.split(": ", 1)[1] for p in found] == [
        "schema[0].properties[0].classification: unknown level 'secret' "
        "(taxonomy: public, internal, confidential, restricted)"
    ]
    found = problems_of(mesh_copy(("domains/sales/contracts/customers.yaml", classify("restricted"))))
    assert [p.split(": ", 1)[1] for p in found] == [
        "schema[0].properties[0].classification: 'restricted' is above the product's confidentiality 'confidential'"
    ]


def test_missing_contract_file(mesh_copy):
    found = problems_of(mesh_copy(("domains/sales/contracts/orders.yaml", lambda _: None)))
    assert [p.split(": ", 1)[1] for p in found] == [
        "products[0].contract: 'sales/contracts/orders.yaml': contract file not found"
    ]


def test_inline_contract_problems_point_into_the_domain_file(mesh_copy):
    def inline(doc):
        doc["products"][0]["contract"] = {
            "apiVersion": "v3.1.0",
            "kind": "DataContract",
            "id": "x",
            "version": "1",
            "status": "active",
            "schema": [{"name": "t", "properties": [{"name": "a", "logicalType": "string"}]}],
        }
        return doc

    found = problems_of(mesh_copy(("domains/sales.yaml", inline)))
    assert [p.split(": ", 1)[1] for p in found] == [
        "products[0].contract.version: must be semantic (MAJOR.MINOR.PATCH)"
    ]


def test_the_loader_runs_the_rules_it_is_given_and_knows_no_others(mesh_copy):
    """pii in an internal product breaks only a policy: without rules the mesh loads, with the mesh's
    rules it is one problem; any rule's problems are reported with the files' own."""

    def pii_in_an_internal_product(doc):
        doc["products"][1].update(
            description="Customers.",
            contract=None,
            confidentiality="internal",
            columns=[{"name": "id", "type": "string"}, {"name": "email", "type": "string", "pii": True}],
        )
        doc["products"][1]["decisions"][0].pop("rows")  # it filtered the country column
        return doc

    mesh_file = mesh_copy(("domains/sales.yaml", pii_in_an_internal_product))
    assert load_mesh(mesh_file).product("sales", "customers").confidentiality == "internal"
    assert problems_of(mesh_file) == [
        f"{mesh_file.parent}/domains/sales.yaml: products[1].confidentiality: 'internal' "
        "is below 'confidential', the minimum for a product with pii columns (email); raise it or set "
        "mesh.yaml policies.pii_min_confidentiality"
    ]
    seen = []

    def refuse_everything(files: ParameterFiles) -> list[Problem]:
        seen.append(sorted(Path(file).name for file, _ in files.domains))
        return [Problem(files.mesh_file, "name", "refused by the rule")]

    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_copy(("domains/sales.yaml", set_key("account", "1"))), rules=refuse_everything)
    assert [str(p) for p in raised.value.problems] == [
        f"{mesh_file.parent.parent}/mesh1/domains/sales.yaml: account: '1' must be a 12-digit AWS account id",
        f"{mesh_file.parent.parent}/mesh1/mesh.yaml: name: refused by the rule",
    ]
    assert seen == [["analytics.yaml", "finance.yaml", "marketing.yaml"]]  # the domain files that parsed
