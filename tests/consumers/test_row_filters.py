"""A producer's approval may grant a slice of a table: a row filter and further withheld columns, checked before
synthesis and rendered as a Lake Formation data cells filter in the governance catalog."""

from __future__ import annotations

import pytest

from datamesh.blueprint import blueprint
from datamesh.blueprint.lake import principal_arn
from datamesh.config import row_filter
from tests.consumers.conftest import GOVERNANCE, MARKETING, approving, synthesized

SALES = "domains/sales.yaml"
FIELD = f"{SALES}: products[1].decisions[0]"  # sales' second product: customers
# sales.customers: customer_id, segment, email (pii), country (char(2)); no partition key
COLUMNS = {
    "customer_id": "string",
    "segment": "string",
    "email": "string",
    "country": "char(2)",
    "signup": "date",
    "address": "struct<city:string>",
    "year": "int",
}


@pytest.mark.parametrize(
    "expression",
    [
        "country = 'FR'",
        "(country = 'FR') OR (segment <> 'smb')",
        "year between 2010 and 2020 and country != 'US'",
        "country in ('FR', 'DE')",
        "segment like '%ent%'",
        "not country = 'FR'",
        "address.city = 'Paris'",
        "segment is not null",
        "country = 'it''s'",
    ],
)
def test_the_partiql_subset_lake_formation_documents_is_accepted(expression):
    """Lake Formation Developer Guide, "PartiQL support in row filter expressions": its examples' shapes."""
    assert row_filter.problem(expression, COLUMNS, {"year"}) is None


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("region = 'EU'", "no column 'region' in the table"),
        ("country = segment", "country compared with segment: Lake Formation compares columns with constants only"),
        ("upper(country) = 'FR'", "upper(...): Lake Formation allows no functions"),
        ("signup > '2020-01-01'", "column signup is date, a type Lake Formation's row filters do not take"),
        ("year is null", "IS [NOT] NULL on partition column year"),
        ("country = 'FR' )", "unexpected ')' at character 16"),
        ("country ~ 'FR'", "unexpected \"~ 'FR'\" at character 9"),
        ("country =", "expected a constant after country, found the end"),
        ("segment.x = 1", "segment is string, not a struct with fields"),
        ("(" * 40 + "year = 1" + ")" * 40, "nested more than 32 deep"),
        ("country = '" + "x" * 2040 + "'", "2052 characters; Lake Formation takes fewer than 2048"),
    ],
)
def test_what_lake_formation_refuses_is_refused_naming_the_column_or_token(expression, reason):
    assert reason in (row_filter.problem(expression, COLUMNS, {"year"}) or "")


def test_validate_refuses_a_row_filter_on_a_missing_column_in_one_line(refused):
    assert refused((SALES, approving(rows="region = 'EU'"))) == [
        f"{FIELD}.rows: no column 'region' in the table (its columns: customer_id, segment, email, country)"
    ]


def test_validate_refuses_withholding_a_column_the_table_lacks_or_every_column(refused):
    assert refused((SALES, approving(withhold=["phone"]))) == [f"{FIELD}.withhold[0]: no column 'phone' in customers"]
    assert refused((SALES, approving(withhold=["customer_id", "segment", "country"]))) == [
        f"{FIELD}.withhold: withholds every column: deny the request instead"
    ]


def test_a_denial_carries_no_filter(refused):
    (line,) = refused((SALES, approving(decision="denied", rows="country = 'FR'")))
    assert "rows and withhold narrow an approval" in line


@pytest.fixture
def filtered(loaded):
    return loaded((SALES, approving(rows="country = 'FR'", withhold=["segment"])))


def test_the_blueprint_holds_one_filter_with_the_rows_and_the_columns_left(filtered):
    (found,) = blueprint(filtered).data_filters
    assert (found.consumer, found.catalog, found.database, found.table, found.name, found.rows, found.columns) == (
        "marketing",
        GOVERNANCE,
        "sales_customers",
        "customers",
        "acme-marketing",
        "country = 'FR'",
        ("customer_id", "country"),
    )  # email is pii, segment withheld by the approval


def test_select_goes_on_the_filter_for_the_consumer_account_and_each_principal(filtered):
    bp = blueprint(filtered)
    readers = [principal_arn(filtered, "marketing", p) for p in filtered.domain("marketing").readers]
    assert len(readers) == 3  # the example's marketing: its analyst, its BI role, its Identity Center group
    for grants, catalog, grantable, principals in (
        (bp.grants_of("sales"), GOVERNANCE, ("SELECT",), [MARKETING]),
        (bp.principal_grants("marketing"), MARKETING, (), readers),
    ):
        selects = [
            g
            for g in grants
            if g.consumer == "marketing" and g.product == "sales.customers" and "SELECT" in g.permissions
        ]
        assert [(g.principal, g.resource.data_filter, g.resource.table, g.catalog, g.grantable) for g in selects] == [
            (principal, "acme-marketing", "customers", catalog, grantable) for principal in principals
        ]


def test_the_catalog_stack_renders_the_filter_and_the_grant_on_it_waits_for_it(filtered):
    template = synthesized(filtered)["Sales-Catalog"]
    ((logical, data_filter),) = template.find_resources("AWS::LakeFormation::DataCellsFilter").items()
    properties = data_filter["Properties"]
    assert properties["TableCatalogId"] == GOVERNANCE and properties["Name"] == "acme-marketing"
    assert properties["RowFilter"] == {"FilterExpression": "country = 'FR'"}
    assert properties["ColumnNames"] == ["customer_id", "country"]
    (grant,) = [
        r
        for r in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        if "DataCellsFilter" in r["Properties"]["Resource"]
    ]
    assert grant["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == MARKETING
    assert grant["Properties"]["PermissionsWithGrantOption"] == ["SELECT"]
    assert grant["Properties"]["Resource"]["DataCellsFilter"]["Name"] == "acme-marketing"
    assert logical in grant["DependsOn"]


def test_the_access_stack_grants_the_analyst_select_on_the_filter(filtered):
    grants = synthesized(filtered)["Marketing-Access"].find_resources("AWS::LakeFormation::PrincipalPermissions")
    (on_filter,) = [
        r["Properties"]
        for r in grants.values()
        if "DataCellsFilter" in r["Properties"]["Resource"]
        and not isinstance(r["Properties"]["Principal"]["DataLakePrincipalIdentifier"], str)
    ]  # the analyst role's grants name its Arn attribute; an existing role's or a group's, a string
    assert on_filter["Permissions"] == ["SELECT"] and on_filter["Catalog"] == MARKETING
    assert on_filter["Resource"]["DataCellsFilter"]["TableCatalogId"] == GOVERNANCE
    assert not [r for r in grants.values() if "TableWithColumns" in r["Properties"]["Resource"]]
