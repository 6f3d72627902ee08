"""doctor: each existing role a consumer names is read in its account; a deleted one is missing."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from datamesh.aws.answers import CannotRead, watch
from datamesh.config.models import DomainConfig, Owner, Principal, Subscription
from datamesh.doctor.findings import Status
from datamesh.doctor.principals import check_principal_roles
from tests.support.moto_deployed import fake_credentials  # moto's credentials, no endpoint or profile

ACCOUNT = "123456789012"  # moto's default account


def _domain(*roles: str) -> DomainConfig:
    return DomainConfig(
        name="marketing",
        account=ACCOUNT,
        owner=Owner(team="t", email="t@example.com"),
        consumes=[Subscription(product="sales.orders")],
        principals=[Principal(name="analyst"), *(Principal(name=f"p{i}", role=r) for i, r in enumerate(roles))],
    )


@pytest.fixture
def iam(monkeypatch):
    fake_credentials(monkeypatch)
    with mock_aws():
        yield watch(boto3.client("iam", region_name="eu-west-1"))  # as doctor reads: documented not-found only


def test_one_finding_per_named_role_and_a_deleted_one_is_missing(iam):
    iam.create_role(RoleName="acme-marketing-bi", AssumeRolePolicyDocument="{}")
    iam.create_role(RoleName="gone", AssumeRolePolicyDocument="{}")
    iam.delete_role(RoleName="gone")
    found = check_principal_roles(iam, _domain("acme-marketing-bi", "gone"))
    assert [(f.domain, f.check, f.resource, f.status) for f in found] == [
        ("marketing", "role", "acme-marketing-bi", Status.OK),
        ("marketing", "role", "gone", Status.MISSING),
    ]


def test_a_role_that_cannot_be_read_is_not_reported_missing(iam):
    """An answer other than GetRole's documented NoSuchEntity (here access denied) means "cannot read"."""
    with Stubber(iam) as stubber:
        stubber.add_client_error("get_role", "AccessDenied", "not authorized to perform iam:GetRole", 403)
        with pytest.raises(CannotRead):
            check_principal_roles(iam, _domain("acme-marketing-bi"))


def test_the_analyst_is_the_mesh_roles_check_not_this_one(iam):
    assert check_principal_roles(iam, _domain()) == []


def test_doctor_finds_a_principals_grant_removed_by_hand(loaded, monkeypatch):
    """Every grant the access stack makes to each principal is read back in the consumer's catalog; one revoked
    by hand from the BI role is missing, named by the role. The catalog's listing is Lake Formation's answer
    shape (botocore's stubber checks it against the API's model)."""
    from datamesh.blueprint import blueprint
    from datamesh.doctor.grants import check_consumer_grants
    from tests.consumers.conftest import BI_ROLE, MARKETING, with_principals

    bp = blueprint(
        loaded(("domains/marketing.yaml", with_principals({"name": "analyst"}, {"name": "bi", "role": BI_ROLE})))
    )
    granted = bp.principal_grants("marketing")
    removed = next(g for g in granted if BI_ROLE in g.principal and g.resource.table)
    listing = [
        {
            "Principal": {"DataLakePrincipalIdentifier": g.principal},
            "Resource": g.resource.api(g.resource.catalog),
            "Permissions": list(g.permissions),
            "PermissionsWithGrantOption": [],
        }
        for g in granted
        if g != removed
    ]
    fake_credentials(monkeypatch)
    lakeformation = watch(boto3.client("lakeformation", region_name="eu-west-1"))
    with Stubber(lakeformation) as stubber:
        stubber.add_response("list_permissions", {"PrincipalResourcePermissions": listing}, {"CatalogId": MARKETING})
        found = check_consumer_grants(bp, "marketing", lakeformation)
    assert len(found) == len(granted)
    (missing,) = [f for f in found if f.status is not Status.OK]
    assert (missing.status, missing.resource) == (Status.MISSING, f"{BI_ROLE} on {removed.resource}")
    assert any(f.resource.startswith("acme-marketing-analyst on ") for f in found)
