"""The parameter files' limits that come from AWS, each checked on both sides of the limit.

Every case writes a small mesh into ``tmp_path`` and loads it with ``load_mesh``; the
expected outcome comes from AWS's documented limits (the CloudFormation resource schemas
cfn-lint bundles, the service API references), never from the code under test:

- IAM role names: 1 to 64 characters, ASCII letters, digits and ``+=,.@_-``
  (``AWS::IAM::Role`` ``RoleName``: maxLength 64, pattern ``^[\\w+=,.@-]+$``, Java's ``\\w``).
- LF-tag values: letters (of any alphabet), digits, spaces and ``_.:*/=+-@%`` only, at most
  256 characters, and at least one value per key; keys at most 128 characters (Lake Formation
  API reference, ``LFTag``: TagValues minimum 1 item, pattern
  ``^([\\p{L}\\p{Z}\\p{N}_.:\\*\\/=+\\-@%]*)$``); the mesh asks for lower-case keys. Values are
  stored in lower case ("Lake Formation tag-based access control notes and restrictions").
- S3 bucket names: at most 63 characters (``AWS::S3::Bucket`` ``BucketName``: maxLength 63).
- LF-tag values: at most 1000 values per LF-tag (Lake Formation quotas), and one call that
  creates a tag takes at most 50 (``CreateLFTag``: TagValues 1 to 50 items); past 50 domains
  the ``domain`` tag is split into 40 keys ``domain-NN``, NN the name's CRC-32 modulo 40
  (docs/real-aws.md).
- Glue database names: one per product; ``<domain>_<product>`` with hyphens as
  underscores (README, "Names other accounts must know") makes ``sales-eu.orders`` and
  ``sales.eu_orders`` the same database.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from datamesh.config import ConfigError, load_mesh
from tests.support.small_mesh import LEVELS, load, mesh_config, problems, producer

ROLE_CHARACTERS = "ASCII letters and digits and _ + = , . @ -"
LF_VALUE_CHARACTERS = "letters, digits, spaces and _ . : * / = + - @ %"
TAG_VALUE_CHARACTERS = "letters, digits, spaces and _ . : / = + - @"


class TestAdminRoleNames:
    """``lake_formation.admin_role_names``: every entry a valid IAM role name."""

    def test_the_longest_name_and_every_allowed_punctuation_mark_load(self, tmp_path: Path) -> None:
        names = ["DataLakeAdmin", "a" * 64, "svc+role=team,eu.ops@acme_x-1"]
        mesh = load(tmp_path, mesh_config(lake_formation={"admin_role_names": names}))
        assert mesh.config.lake_formation.admin_role_names == names

    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            ("a" * 65, f"too long: role name {'a' * 65!r} would exceed 64 characters"),
            ("", "role name is empty"),
            (
                "data lake admin",
                f"role name 'data lake admin' has characters AWS refuses: ' ' (allowed: {ROLE_CHARACTERS})",
            ),
            ("team/admin", f"role name 'team/admin' has characters AWS refuses: '/' (allowed: {ROLE_CHARACTERS})"),
            ("admin*", f"role name 'admin*' has characters AWS refuses: '*' (allowed: {ROLE_CHARACTERS})"),
        ],
        ids=["65-characters", "empty", "space", "slash", "asterisk"],
    )
    def test_a_name_iam_refuses_is_one_line_naming_the_entry(self, tmp_path: Path, name: str, reason: str) -> None:
        found = problems(tmp_path, mesh_config(lake_formation={"admin_role_names": ["DataLakeAdmin", name]}))
        assert found == [f"mesh.yaml: lake_formation.admin_role_names[1]: {reason}"]

    def test_a_name_with_a_non_ascii_letter_is_an_error(self, tmp_path: Path) -> None:
        """IAM's ``\\w`` is Java's: ASCII only."""
        found = problems(tmp_path, mesh_config(lake_formation={"admin_role_names": ["rôle"]}))
        assert found == [
            "mesh.yaml: lake_formation.admin_role_names[0]: role name 'rôle' has characters AWS "
            f"refuses: 'ô' (allowed: {ROLE_CHARACTERS})"
        ]


class TestTaxonomy:
    """``taxonomy``: confidentiality levels and further tags become LF-tags; a level is also the
    value of the resource tag ``datamesh:confidentiality`` (IAM API reference, ``Tag``: values
    ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``, up to 256 characters)."""

    def test_levels_and_tags_lake_formation_accepts_load(self, tmp_path: Path) -> None:
        taxonomy = {
            "confidentiality": ["public", "internal", "confidential", "eu:restricted/2"],
            "tags": {"retention": ["short", "long"], "data_zone": ["raw"]},
        }
        mesh = load(tmp_path, mesh_config(taxonomy=taxonomy))
        assert mesh.config.taxonomy.confidentiality == taxonomy["confidentiality"]
        assert mesh.config.taxonomy.tags == taxonomy["tags"]

    def test_letters_of_any_alphabet_spaces_and_the_marks_lake_formation_allows_load(self, tmp_path: Path) -> None:
        taxonomy = {
            "confidentiality": ["öffentlich", "intern", "streng vertraulich", "機密"],
            "tags": {"retention": ["kurz", "länger", "*", "50%", "a" * 256]},
        }
        sales = producer("sales", "222222222222")
        sales["products"][0]["confidentiality"] = "intern"
        mesh = load(
            tmp_path,
            mesh_config(taxonomy=taxonomy, policies={"sharing_limit": "intern", "pii_min_confidentiality": "機密"}),
            sales,
        )
        assert mesh.config.taxonomy.confidentiality == taxonomy["confidentiality"]
        assert mesh.config.taxonomy.tags == taxonomy["tags"]

    @pytest.mark.parametrize(("level", "refused"), [("top!secret", "!"), ("secret,internal", ","), ("top#secret", "#")])
    def test_a_level_lake_formation_refuses_is_an_error(self, tmp_path: Path, level: str, refused: str) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": [*LEVELS, level]}))
        assert found == [
            f"mesh.yaml: taxonomy.confidentiality[3]: LF-tag value {level!r} has characters AWS "
            f"refuses: {refused!r} (allowed: {LF_VALUE_CHARACTERS})"
        ]

    @pytest.mark.parametrize(("level", "refused"), [("top*secret", "*"), ("100%", "%")])
    def test_a_level_a_resource_tag_cannot_hold_is_an_error(self, tmp_path: Path, level: str, refused: str) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": [*LEVELS, level]}))
        assert found == [
            f"mesh.yaml: taxonomy.confidentiality[3]: tag value {level!r} has characters AWS refuses: "
            f"{refused!r} (allowed: {TAG_VALUE_CHARACTERS})"
        ]

    def test_a_level_over_256_characters_is_an_error(self, tmp_path: Path) -> None:
        level = "s" * 257
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": [*LEVELS, level]}))
        assert found == [
            f"mesh.yaml: taxonomy.confidentiality[3]: too long: LF-tag value {level!r} would exceed 256 characters"
        ]

    @pytest.mark.parametrize(
        ("value", "reason"),
        [
            (
                "short,long",
                f"LF-tag value 'short,long' has characters AWS refuses: ',' (allowed: {LF_VALUE_CHARACTERS})",
            ),
            ("a" * 257, f"too long: LF-tag value {'a' * 257!r} would exceed 256 characters"),
        ],
        ids=["comma", "257-characters"],
    )
    def test_a_tag_value_lake_formation_refuses_is_an_error(self, tmp_path: Path, value: str, reason: str) -> None:
        found = problems(
            tmp_path, mesh_config(taxonomy={"confidentiality": LEVELS, "tags": {"retention": ["short", value]}})
        )
        assert found == [f"mesh.yaml: taxonomy.tags.retention[1]: {reason}"]

    def test_a_tag_key_over_128_characters_is_an_error(self, tmp_path: Path) -> None:
        key = "k" * 129
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": LEVELS, "tags": {key: ["x"]}}))
        assert found == [f"mesh.yaml: taxonomy.tags: too long: LF-tag key {key!r} would exceed 128 characters"]

    def test_a_level_given_twice_is_an_error(self, tmp_path: Path) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": [*LEVELS, "internal"]}))
        assert found == [
            "mesh.yaml: taxonomy.confidentiality: levels must be unique, whatever their case (Lake "
            "Formation stores LF-tag values in lower case)"
        ]

    def test_levels_that_differ_in_case_only_are_one_level(self, tmp_path: Path) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": [*LEVELS, "Internal"]}))
        assert found == [
            "mesh.yaml: taxonomy.confidentiality: levels must be unique, whatever their case (Lake "
            "Formation stores LF-tag values in lower case)"
        ]

    def test_tag_values_that_differ_in_case_only_are_one_value(self, tmp_path: Path) -> None:
        found = problems(
            tmp_path, mesh_config(taxonomy={"confidentiality": LEVELS, "tags": {"retention": ["short", "Short"]}})
        )
        assert found == [
            "mesh.yaml: taxonomy.tags: tag 'retention': values must be unique, whatever their case "
            "(Lake Formation stores LF-tag values in lower case)"
        ]

    def test_a_taxonomy_of_one_level_loads(self, tmp_path: Path) -> None:
        sales = producer("sales", "222222222222")
        sales["products"][0]["confidentiality"] = "public"
        mesh = load(
            tmp_path,
            mesh_config(
                taxonomy={"confidentiality": ["public"]},
                policies={"sharing_limit": "public", "pii_min_confidentiality": "public"},
            ),
            sales,
        )
        assert mesh.config.taxonomy.confidentiality == ["public"]

    def test_a_taxonomy_without_levels_is_an_error(self, tmp_path: Path) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": []}))
        assert len(found) == 1 and found[0].startswith("mesh.yaml: taxonomy.confidentiality: ")

    @pytest.mark.parametrize("tags", [{"Retention": ["short"]}, {"retention": []}], ids=["upper-case-key", "no-value"])
    def test_a_tag_needs_a_lower_case_key_and_a_value(self, tmp_path: Path, tags: dict[str, list[str]]) -> None:
        found = problems(tmp_path, mesh_config(taxonomy={"confidentiality": LEVELS, "tags": tags}))
        key = next(iter(tags))
        assert found == [f"mesh.yaml: taxonomy.tags: tag {key!r} needs a lower-case key and at least one value"]

    def test_the_mesh_s_own_keys_are_reserved(self, tmp_path: Path) -> None:
        found = problems(
            tmp_path, mesh_config(taxonomy={"confidentiality": LEVELS, "tags": {"pii": ["true"], "domain": ["x"]}})
        )
        assert found == ["mesh.yaml: taxonomy.tags: domain, pii is managed by the mesh itself"]


class TestOwnerTags:
    """A domain's owner becomes the resource tags ``datamesh:owner`` (its email) and ``datamesh:cost-centre``."""

    @staticmethod
    def owned(**owner: str) -> dict:
        sales = producer("sales", "222222222222")
        sales["owner"].update(owner)
        return sales

    def test_values_a_tag_holds_load(self, tmp_path: Path) -> None:
        mesh = load(tmp_path, mesh_config(), self.owned(email="data+eu@example.com", cost_centre="Kostenstelle 4711/ü"))
        assert mesh.domain("sales").owner.cost_centre == "Kostenstelle 4711/ü"

    @pytest.mark.parametrize(
        ("field", "value", "refused"),
        [("email", "r&d@example.com", "&"), ("email", "o'brien@example.com", "'"), ("cost_centre", "CC#1001", "#")],
    )
    def test_a_value_no_tag_holds_is_an_error(self, tmp_path: Path, field: str, value: str, refused: str) -> None:
        found = problems(tmp_path, mesh_config(), self.owned(**{field: value}))
        assert found == [
            f"domains/sales.yaml: owner.{field}: tag value {value!r} has characters AWS refuses: "
            f"{refused!r} (allowed: {TAG_VALUE_CHARACTERS})"
        ]


class TestPipelineNames:
    """With ``delivery``, the tooling account's pipeline buckets ``<mesh>-delivery-artifacts-<account>-<region>``
    and ``<mesh>-delivery-logs-...`` must fit S3's 63 characters too; ``us-isof-south-1`` is the longest
    region botocore lists (15 characters)."""

    DELIVERY = {
        "tooling_account": "999999999999",
        "repository": "acme/data-mesh",
        "connection_arn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/"
        "12345678-1234-4234-8234-123456789012",
    }
    ORGANIZATION = {"id": "o-a1b2c3d4e5"}  # a pipeline delivers to the accounts of one organization

    def test_a_pipeline_bucket_of_63_characters_loads(self, tmp_path: Path) -> None:
        mesh = "m" * 15
        assert len(f"{mesh}-delivery-artifacts-999999999999-us-isof-south-1") == 63
        loaded = load(
            tmp_path,
            mesh_config(name=mesh, region="us-isof-south-1", delivery=self.DELIVERY, organization=self.ORGANIZATION),
        )
        assert loaded.config.name == mesh

    def test_one_character_more_is_an_error_naming_the_bucket(self, tmp_path: Path) -> None:
        mesh = "m" * 16
        bucket = f"{mesh}-delivery-artifacts-999999999999-us-isof-south-1"
        found = problems(
            tmp_path,
            mesh_config(name=mesh, region="us-isof-south-1", delivery=self.DELIVERY, organization=self.ORGANIZATION),
        )
        assert f"mesh.yaml: name: too long: bucket name {bucket!r} would exceed 63 characters" in found
        assert [p for p in found if p.startswith("mesh.yaml")] == [
            f"mesh.yaml: name: too long: bucket name {bucket!r} would exceed 63 characters"
        ]


class TestBucketNamePattern:
    """S3 user guide, "General purpose bucket naming rules": no name starts with ``sthree-`` or
    ``amzn-s3-demo-``; a mesh's buckets all start with its name."""

    @pytest.mark.parametrize("mesh", ["sthree", "amzn-s3-demo"])
    def test_a_mesh_name_that_makes_bucket_names_s3_reserves_is_an_error(self, tmp_path: Path, mesh: str) -> None:
        found = problems(tmp_path, mesh_config(name=mesh))
        assert found == [
            f"domains/sales.yaml: name: bucket name '{mesh}-sales-data-222222222222-eu-west-1' is one "
            "AWS refuses (S3 user guide, General purpose bucket naming rules: lower-case letters, digits, "
            "dots and hyphens, a letter or digit at each end, no reserved prefix or suffix)"
        ]

    def test_a_mesh_name_that_only_begins_like_a_reserved_prefix_loads(self, tmp_path: Path) -> None:
        assert load(tmp_path, mesh_config(name="sthreex")).config.name == "sthreex"


class TestBucketNameLength:
    """The longest bucket a domain gets, its query results' access-log bucket
    ``<mesh>-<domain>-athena-logs-<account>-<region>``, must fit S3's 63 characters."""

    ACCOUNT = "222222222222"

    def test_a_domain_whose_longest_bucket_name_has_63_characters_loads(self, tmp_path: Path) -> None:
        domain = "d" * 23
        assert len(f"acme-{domain}-athena-logs-{self.ACCOUNT}-eu-west-1") == 63
        mesh = load(tmp_path, mesh_config(), producer(domain, self.ACCOUNT))
        assert [d.name for d in mesh.domains] == [domain]

    def test_one_character_more_is_an_error_naming_the_bucket(self, tmp_path: Path) -> None:
        domain = "d" * 24
        bucket = f"acme-{domain}-athena-logs-{self.ACCOUNT}-eu-west-1"
        assert len(bucket) == 64
        found = problems(tmp_path, mesh_config(), producer(domain, self.ACCOUNT))
        assert found == [f"domains/{domain}.yaml: name: too long: bucket name {bucket!r} would exceed 63 characters"]


class TestOneDatabasePerProduct:
    def test_two_products_whose_database_names_meet_are_an_error(self, tmp_path: Path) -> None:
        found = problems(
            tmp_path,
            mesh_config(),
            producer("sales", "222222222222", "eu_orders"),
            producer("sales-eu", "333333333333", "orders"),
        )
        assert found == [
            "domains/sales.yaml: products[0].name: database name 'sales_eu_orders' collides with sales-eu.orders"
        ]

    def test_products_with_distinct_databases_load(self, tmp_path: Path) -> None:
        mesh = load(
            tmp_path,
            mesh_config(),
            producer("sales", "222222222222", "orders", "eu_orders"),
            producer("sales-eu", "333333333333", "returns"),
        )
        assert {(d.name, p.name) for d in mesh.domains for p in d.products} == {
            ("sales", "orders"),
            ("sales", "eu_orders"),
            ("sales-eu", "returns"),
        }


class TestDomainCount:
    """Every domain is one value of a ``domain`` LF-tag key. Only the domain files' names count
    here, so the files are left empty (each is then a problem of its own)."""

    LIMIT = "a mesh holds at most 1000 domains"

    @staticmethod
    def files(folder: Path, names: list[str]) -> None:
        (folder / "domains").mkdir()
        for name in names:
            (folder / "domains" / f"{name}.yaml").write_text("")
        (folder / "mesh.yaml").write_text("name: acme\n")

    @staticmethod
    def same_key(count: int, slot: int = 0) -> list[str]:
        """``count`` domain names whose CRC-32 modulo 40 is ``slot``: one ``domain-NN`` key."""
        names = (f"d{i}" for i in range(100_000))
        return [n for n in names if zlib.crc32(n.encode()) % 40 == slot][:count]

    def test_1000_domain_files_are_within_the_limit(self, tmp_path: Path) -> None:
        self.files(tmp_path, [f"d{i}" for i in range(1000)])
        assert not [p for p in self.problems(tmp_path) if self.LIMIT in p]

    def test_1001_domain_files_are_one_problem(self, tmp_path: Path) -> None:
        self.files(tmp_path, [f"d{i}" for i in range(1001)])
        assert [p for p in self.problems(tmp_path) if self.LIMIT in p] == [
            "domains: (file): 1001 domain files: a mesh holds at most 1000 domains "
            "(Lake Formation's limit of values of the LF-tag 'domain')"
        ]

    def test_50_domains_in_one_domain_key_are_within_one_call(self, tmp_path: Path) -> None:
        self.files(tmp_path, self.same_key(50) + self.same_key(1, slot=1))
        assert not [p for p in self.problems(tmp_path) if "share the LF-tag key" in p]

    def test_51_domains_in_one_domain_key_are_one_problem_naming_them(self, tmp_path: Path) -> None:
        names = self.same_key(51)
        self.files(tmp_path, names)
        assert [p for p in self.problems(tmp_path) if "share the LF-tag key" in p] == [
            "domains: (file): 51 domains share the LF-tag key domain-00, which takes at most 50: "
            f"rename one of {', '.join(sorted(names))}"
        ]

    @staticmethod
    def problems(folder: Path) -> list[str]:
        with pytest.raises(ConfigError) as raised:
            load_mesh(folder / "mesh.yaml")
        return [str(p).replace(f"{folder}/", "") for p in raised.value.problems]


class TestDeployingAccount:
    """docs/delivery.md: with ``delivery`` the tooling account deploys every stack; without, the governance account."""

    DELIVERY = {
        "tooling_account": "999999999999",
        "repository": "acme/mesh",
        "connection_arn": "arn:aws:codeconnections:eu-west-1:999999999999:connection/"
        "12345678-1234-1234-1234-123456789012",
    }

    def test_the_tooling_account_deploys_when_there_is_delivery(self, tmp_path: Path) -> None:
        mesh = load(tmp_path, mesh_config(delivery=self.DELIVERY, organization={"id": "o-exampleorg1"}))
        assert mesh.config.deploying_account == "999999999999"

    def test_the_governance_account_deploys_without(self, tmp_path: Path) -> None:
        assert load(tmp_path, mesh_config()).config.deploying_account == "111111111111"
