"""A grant that withholds columns or rows goes to no principal whose engine does not enforce filtering:
refused by validation (one line naming the principal's engine) and by DataMesh::FilteringEngine at synthesis."""

from __future__ import annotations

import dataclasses

import pytest

from datamesh.blueprint import Grant as GrantSpec
from datamesh.blueprint import Resource
from datamesh.config.engines import Engine, filtering_gap
from datamesh.config.models import Principal
from datamesh.constructs.lake_formation import Grant
from datamesh.rules import FilteringEngine
from tests.consumers.conftest import GOVERNANCE, MARKETING, approving, with_principals

DOMAIN = "domains/marketing.yaml"
ETL = {"name": "etl", "role": "acme-marketing-etl", "engine": "glue", "engine_version": "4.0"}
ETL_ARN = f"arn:aws:iam::{MARKETING}:role/acme-marketing-etl"


@pytest.mark.parametrize(
    ("engine", "version", "enforces"),
    [
        (Engine.ATHENA, None, True),
        (Engine.REDSHIFT_SPECTRUM, None, True),
        (Engine.EMR, None, True),
        (Engine.EMR, "6.15.0", True),
        (Engine.EMR, "6.14.0", False),
        (Engine.GLUE, "5.0", True),
        (Engine.GLUE, "4.0", False),
        (Engine.GLUE, "3.0", False),
        (Engine.ATHENA_SPARK, None, False),
    ],
)
def test_which_engines_enforce_lake_formations_filtering(engine, version, enforces):
    """Lake Formation Developer Guide, "Working with other AWS services"; EMR Management Guide, "Fine-grained
    access with Lake Formation" (6.15.0 and later); Glue 5.0 and later for Spark DataFrames."""
    assert (filtering_gap(engine, version) is None) is enforces


def test_glue_needs_its_version(refused):
    (line,) = refused((DOMAIN, with_principals({"name": "etl", "role": "r", "engine": "glue"})))
    assert line.startswith(f"{DOMAIN}: principals") and "needs engine_version" in line


def test_validate_refuses_pii_withheld_from_a_glue_4_principal_in_one_line(refused):
    assert refused((DOMAIN, with_principals({"name": "analyst"}, ETL))) == [
        f"{DOMAIN}: principals[1].engine: Glue 4.0 does not enforce Lake Formation column or row filtering (5.0 and "
        "later do, for Spark DataFrames), and consumes[0] (sales.customers) withholds pii columns email; rows "
        "(country = 'FR') from it: "
        "name the principals that get it (consumes[].principals)"
    ]


def test_validate_refuses_a_row_filter_to_such_a_principal(refused):
    lines = refused(
        (DOMAIN, with_principals({"name": "analyst"}, ETL)), ("domains/sales.yaml", approving(rows="country = 'FR'"))
    )
    assert len(lines) == 1 and "withholds pii columns email; rows (country = 'FR') from it" in lines[0]


def test_a_glue_4_principal_is_fine_where_nothing_is_withheld_or_the_subscription_skips_it(loaded):
    mesh = loaded((DOMAIN, with_principals({"name": "analyst"}, ETL, principals=["analyst"])))
    assert [p.name for p in mesh.domain("marketing").readers] == ["analyst", "etl"]


def test_glue_5_may_read_a_filtered_grant(loaded):
    loaded((DOMAIN, with_principals({"name": "analyst"}, {**ETL, "engine_version": "5.0"})))


@pytest.fixture
def mesh_with_glue_4_reader(example_mesh):
    """The example with marketing listing a Glue 4.0 role, as a rogue app would build it past validation."""
    marketing = example_mesh.domain("marketing")
    etl = Principal(name="etl", role="acme-marketing-etl", engine=Engine.GLUE, engine_version="4.0")
    changed = marketing.model_copy(update={"principals": [Principal(name="analyst"), etl]})
    return dataclasses.replace(
        example_mesh, domains=tuple(changed if d.name == "marketing" else d for d in example_mesh.domains)
    )


def _select(principal, resource):
    return GrantSpec("marketing", "sales.customers", principal, resource, ("SELECT",), catalog=MARKETING)


CUSTOMERS_BUT_EMAIL = Resource.columns_of(
    "sales_customers", "customers", ("customer_id", "segment", "country"), GOVERNANCE
)
ON_FILTER = Resource("sales_customers", "customers", catalog=GOVERNANCE, data_filter="acme-marketing")


class TestFilteringEngine:
    def test_filtered_grants_to_enforcing_engines_and_whole_tables_to_any_comply(
        self, findings, mesh_with_glue_4_reader
    ):
        def build(stack):
            analyst = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"
            Grant(stack, "Analyst", grant=_select(analyst, CUSTOMERS_BUT_EMAIL))
            Grant(stack, "AnalystFilter", grant=_select(analyst, ON_FILTER))
            Grant(stack, "Whole", grant=_select(ETL_ARN, Resource("sales_orders", "orders", catalog=GOVERNANCE)))

        assert findings(FilteringEngine(), build, mesh=mesh_with_glue_4_reader) == []

    @pytest.mark.parametrize(
        ("resource", "what"), [(CUSTOMERS_BUT_EMAIL, "some columns"), (ON_FILTER, "a data cells filter")]
    )
    def test_rejects_a_filtered_grant_to_a_glue_4_role(self, findings, mesh_with_glue_4_reader, resource, what):
        def build(stack):
            Grant(stack, "Etl", grant=_select(ETL_ARN, resource))

        (message,) = findings(FilteringEngine(), build, mesh=mesh_with_glue_4_reader)
        assert message.startswith("domain sales: Test/Etl/Resource") and "DataMesh::FilteringEngine" in message
        assert f"grants SELECT on {what} to marketing's principal etl ({ETL_ARN})" in message
        assert "Glue 4.0 does not enforce" in message
