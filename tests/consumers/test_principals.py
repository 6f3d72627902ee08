"""A consumer's principals: the analyst role by default, existing roles of its account, whom a subscription names."""

from __future__ import annotations

from datamesh.blueprint import blueprint
from tests.consumers.conftest import ANALYST_ARN, BI_ARN, BI_ROLE, GOVERNANCE, MARKETING, synthesized, with_principals
from tests.support.multitable_mesh import EVERY_ROW

BI = {"name": "bi", "role": BI_ROLE, "engine": "athena"}
DOMAIN = "domains/marketing.yaml"


def _grants(bp, principal):
    return sorted(
        (str(g.resource), g.resource.catalog, g.permissions)
        for g in bp.principal_grants("marketing")
        if g.principal == principal
    )


def test_a_listed_role_gets_what_the_analyst_gets_share_by_share(loaded, example_mesh):
    bp = blueprint(loaded((DOMAIN, with_principals({"name": "analyst"}, BI))))
    before = blueprint(example_mesh)
    expected = sorted((str(g.resource), g.resource.catalog, g.permissions) for g in before.analyst_grants("marketing"))
    assert expected  # sales.customers and sales.orders are granted to marketing
    assert _grants(bp, BI_ARN) == expected
    assert _grants(bp, ANALYST_ARN) == expected
    assert all(not g.grantable for g in bp.principal_grants("marketing"))


def test_without_the_analyst_listed_the_analyst_role_gets_nothing(loaded):
    bp = blueprint(loaded((DOMAIN, with_principals(BI))))
    assert bp.analyst_grants("marketing") == []
    assert {g.principal for g in bp.principal_grants("marketing")} == {BI_ARN}


def test_a_subscription_goes_to_the_principals_it_names(loaded):
    bp = blueprint(loaded((DOMAIN, with_principals({"name": "analyst"}, BI, principals=["bi"]))))
    customers = {g.principal for g in bp.principal_grants("marketing") if g.product == "sales.customers"}
    orders = {g.principal for g in bp.principal_grants("marketing") if g.product == "sales.orders"}
    assert customers == {BI_ARN} and orders == {BI_ARN, ANALYST_ARN}


def test_the_access_stack_grants_an_existing_role_by_its_arn_in_a_scope_of_its_own(loaded):
    templates = synthesized(loaded((DOMAIN, with_principals({"name": "analyst"}, BI)), EVERY_ROW))
    found = templates["Marketing-Access"].find_resources("AWS::LakeFormation::PrincipalPermissions")
    bi = {
        logical: r["Properties"]
        for logical, r in found.items()
        if r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == BI_ARN
    }
    analyst = [r for r in found.values() if r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] != BI_ARN]
    assert len(bi) == len(analyst) == 7  # per share: link, target database, tables as the analyst's
    assert all("Readerbi" in logical for logical in bi)
    on_customers = sorted(
        (tuple(p["Permissions"]), next(iter(p["Resource"])))
        for p in bi.values()
        if "sales_customers" in str(p["Resource"])
        and p["Catalog"] == MARKETING
        and next(iter(p["Resource"].values())).get("CatalogId") == GOVERNANCE
    )
    assert on_customers == [(("DESCRIBE",), "Database"), (("DESCRIBE",), "Table"), (("SELECT",), "TableWithColumns")]
    columns = next(
        p["Resource"]["TableWithColumns"]["ColumnNames"] for p in bi.values() if "TableWithColumns" in p["Resource"]
    )
    assert "email" not in columns  # sales.customers' pii column is withheld from every principal


def test_principal_names_and_roles_are_unique_and_subscriptions_name_listed_ones(refused):
    found = refused(
        (
            DOMAIN,
            with_principals(
                {"name": "analyst"},
                BI,
                {"name": "bi", "role": "other"},
                {"name": "again", "role": BI_ROLE},
                {"name": "second"},
                principals=["nobody"],
            ),
        )
    )
    assert found == [
        f"{DOMAIN}: principals[2].name: duplicate principal 'bi'",
        f"{DOMAIN}: principals[3].role: role '{BI_ROLE}' is listed already (Lake Formation holds one grant per role "
        "and resource)",
        f"{DOMAIN}: principals[4].role: the analyst role is listed once (a principal without role)",
        f"{DOMAIN}: consumes[0].principals[0]: no principal 'nobody' in this domain's principals (again, analyst, "
        "bi, second)",
    ]


def test_the_analyst_role_is_not_listed_by_name(refused):
    assert refused((DOMAIN, with_principals({"name": "a", "role": "acme-marketing-analyst"}))) == [
        f"{DOMAIN}: principals[0].role: acme-marketing-analyst is the mesh's analyst role: list it as a principal "
        "without role"
    ]


def test_a_role_name_iam_refuses_is_refused(refused):
    (line,) = refused((DOMAIN, with_principals({"name": "bi", "role": "bad role!"})))
    assert line.startswith(f"{DOMAIN}: principals.0.role: ") or line.startswith(f"{DOMAIN}: principals[0].role: ")
