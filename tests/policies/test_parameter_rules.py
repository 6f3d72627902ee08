"""Each parameter rule against compliant and non-compliant copies of the example mesh."""

from __future__ import annotations

import pytest

from datamesh.config import ConfigError, load_mesh
from datamesh.config.errors import Problem
from datamesh.policies.parameter_rules import parameter_problems
from tests.support.multitable_mesh import EVERY_ROW


def problems(mesh_file) -> list[Problem]:
    with pytest.raises(ConfigError) as error:
        load_mesh(mesh_file, rules=parameter_problems)
    return error.value.problems


def set_policies(**settings):
    return "mesh.yaml", lambda doc: {**doc, "policies": settings}


def edit_product(index: int, **changes):
    def edit(doc):
        doc["products"][index].update(changes)
        return doc

    return "domains/sales.yaml", edit


def one(found: list[Problem], file_end: str, field: str, reason: str) -> None:
    """Exactly one problem at ``field`` of the file (other checks may report the same edit elsewhere)."""
    at_field = [p for p in found if p.file.endswith(file_end) and p.field == field]
    assert len(at_field) == 1, found
    assert reason in at_field[0].reason, at_field[0]


class TestPolicyLevels:
    def test_defaults_fit_the_example_taxonomy(self, example_mesh):
        assert example_mesh.config.policies.sharing_limit == "internal"
        assert example_mesh.config.policies.pii_min_confidentiality == "confidential"

    def test_rejects_a_level_outside_the_taxonomy(self, mesh_copy):
        found = problems(mesh_copy(set_policies(sharing_limit="secret")))
        one(
            found,
            "mesh.yaml",
            "policies.sharing_limit",
            "'secret' is not a level of taxonomy.confidentiality (public, internal, confidential, restricted)",
        )

    def test_rejects_a_tag_the_mesh_does_not_set(self, mesh_copy):
        found = problems(mesh_copy(set_policies(required_tags=["mesh", "colour"])))
        one(
            found,
            "mesh.yaml",
            "policies.required_tags[1]",
            "Input should be 'mesh', 'domain', 'owner', 'confidentiality' or 'cost-centre'",
        )


class TestPiiConfidentiality:
    def test_confidential_product_with_pii_complies(self, mesh_copy):
        assert (
            load_mesh(mesh_copy(), rules=parameter_problems).product("sales", "customers").confidentiality
            == "confidential"
        )

    def test_rejects_pii_below_the_minimum(self, mesh_copy):
        inline = {
            "description": "Customer master data.",
            "contract": None,
            "confidentiality": "internal",
            "columns": [{"name": "customer_id", "type": "string"}, {"name": "email", "type": "string", "pii": True}],
        }
        found = problems(mesh_copy(edit_product(1, **inline)))
        one(
            found,
            "domains/sales.yaml",
            "products[1].confidentiality",
            "'internal' is below 'confidential', the minimum for a product with pii columns (email)",
        )

    def test_a_pii_partition_key_is_refused_before_the_rule_reads_it(self, mesh_copy):
        """Lake Formation cannot withhold a partition key, so the model refuses a pii one (one line, not two)."""
        inline = {
            "description": "Customer master data.",
            "contract": None,
            "confidentiality": "internal",
            "columns": [{"name": "customer_id", "type": "string"}],
            "partition_keys": [{"name": "email_domain", "type": "string", "pii": True}],
        }
        found = problems(mesh_copy(edit_product(1, **inline)))
        assert [(p.field, p.reason.split(":")[0]) for p in found if p.file.endswith("domains/sales.yaml")] == [
            (
                "products[1].partition_keys",
                "partition key 'email_domain' is tagged pii, but Lake Formation cannot "
                "withhold a partition key from a grant (no column filtering on partition "
                "keys)",
            )
        ]

    def test_the_organisation_sets_the_minimum(self, mesh_copy):
        found = problems(mesh_copy(set_policies(pii_min_confidentiality="restricted")))
        one(found, "domains/sales.yaml", "products[1].confidentiality", "below 'restricted'")


class TestSharingLimit:
    def test_internal_product_open_to_all_complies(self, mesh_copy):
        assert load_mesh(mesh_copy(), rules=parameter_problems).product("sales", "orders").is_open

    def test_rejects_confidential_product_open_to_all(self, mesh_copy):
        found = problems(mesh_copy(edit_product(0, confidentiality="confidential")))
        one(
            found,
            "domains/sales.yaml",
            "products[0].shared_with",
            "'all' is not allowed for a 'confidential' product: above the sharing limit 'internal'",
        )

    def test_the_organisation_sets_the_limit(self, mesh_copy):
        found = problems(mesh_copy(set_policies(sharing_limit="public")))
        one(found, "domains/sales.yaml", "products[0].shared_with", "above the sharing limit 'public'")


def _inline_partitioned(key_type: str):
    """sales.customers written inline, partitioned by one key of ``key_type``."""
    return edit_product(
        1,
        description="Customer master data.",
        contract=None,
        columns=[{"name": "customer_id", "type": "string"}],
        partition_keys=[{"name": "region", "type": key_type}],
    )


class TestPartitionProjection:
    @pytest.mark.parametrize("key_type", ["string", "varchar(8)", "int", "bigint", "boolean", "date", "timestamp"])
    def test_inline_keys_athena_can_project_comply(self, mesh_copy, key_type):
        # EVERY_ROW: the example's approval filters on country, which these inline columns lack
        assert (
            load_mesh(mesh_copy(_inline_partitioned(key_type), EVERY_ROW), rules=parameter_problems)
            .product("sales", "customers")
            .partition_keys
        )

    @pytest.mark.parametrize("key_type", ["double", "decimal(12,2)", "binary", "array<string>"])
    def test_rejects_an_inline_key_athena_cannot_project(self, mesh_copy, key_type):
        found = problems(mesh_copy(_inline_partitioned(key_type)))
        one(
            found,
            "domains/sales.yaml",
            "products[1].partition_keys[0]",
            f"partition key 'region' cannot be projected: Athena cannot project a {key_type} key",
        )


class TestLfTagValues:
    def test_fifty_values_comply(self, mesh_copy):
        many = [f"v{i}" for i in range(50)]
        edit = ("mesh.yaml", lambda doc: {**doc, "taxonomy": {**doc["taxonomy"], "tags": {"retention": many}}})
        assert load_mesh(mesh_copy(edit), rules=parameter_problems).config.taxonomy.tags["retention"] == many

    def test_rejects_more_confidentiality_levels_than_one_call_creates(self, mesh_copy):
        levels = [f"level{i}" for i in range(51)]
        edit = (
            "mesh.yaml",
            lambda doc: {
                **doc,
                "taxonomy": {**doc["taxonomy"], "confidentiality": levels},
                "policies": {"sharing_limit": "level0", "pii_min_confidentiality": "level1"},
            },
        )
        found = problems(mesh_copy(edit))
        one(found, "mesh.yaml", "taxonomy.confidentiality", "51 values: an LF-tag is created with at most 50")


class TestBusPolicySize:
    """Without an organization, each producing domain whose freshness is watched adds a statement to the
    governance account's default bus policy; EventBridge refuses one past 10,240 characters (EventBridge quotas,
    "Event bus policy size"). A statement of the generated mesh is about 180 characters: about 56 fit."""

    @staticmethod
    def standalone(tmp_path, domains: int):
        import yaml

        from bench.generate import write_mesh

        mesh_file = write_mesh(tmp_path, domains, monitored=True)
        doc = yaml.safe_load(mesh_file.read_text())
        for key in ("organization", "delivery"):  # delivery needs an organization
            doc.pop(key)
        mesh_file.write_text(yaml.safe_dump(doc))
        return mesh_file

    def test_forty_standalone_producers_comply(self, tmp_path):
        assert len(load_mesh(self.standalone(tmp_path, 40), rules=parameter_problems).producers) == 40

    def test_seventy_standalone_producers_are_refused_at_the_organization_field(self, tmp_path):
        found = problems(self.standalone(tmp_path, 70))
        one(found, "mesh.yaml", "organization", "70 producing domains forward new objects")

    def test_an_organization_keeps_any_number_compliant(self, tmp_path):
        from bench.generate import write_mesh

        assert len(load_mesh(write_mesh(tmp_path, 70, monitored=True), rules=parameter_problems).producers) == 70
