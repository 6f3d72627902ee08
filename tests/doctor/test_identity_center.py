"""doctor and the settings step on Identity Center principals: the Lake Formation Identity Center configuration
made once and judged, and each user or group read in the identity store (moto, with the local AWS's model of the
configuration, which moto lacks)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from datamesh.aws.answers import watch
from datamesh.config.models import DomainConfig, Owner, Principal, Subscription
from datamesh.doctor import identity_center
from datamesh.doctor.findings import Status
from localaws.resources import identity_center as local_identity_center
from tests.support.moto_deployed import fake_credentials

ACCOUNT, REGION, OTHER = "123456789012", "eu-west-1", "444444444444"


@pytest.fixture
def aws(monkeypatch):
    fake_credentials(monkeypatch)
    local_identity_center.install()
    with mock_aws():
        yield


def _client(service: str):
    return watch(boto3.client(service, region_name=REGION))


def test_prepare_connects_once_then_adds_a_missing_recipient(aws):
    lf = _client("lakeformation")
    (instance,) = _client("sso-admin").list_instances()["Instances"]
    arn = instance["InstanceArn"]
    assert identity_center.check(lf, ACCOUNT, "", arn, []).status is Status.MISSING
    assert identity_center.prepare(lf, ACCOUNT, arn, []) == f"connected to Identity Center instance {arn}"
    assert identity_center.prepare(lf, ACCOUNT, arn, []) is None
    assert identity_center.check(lf, ACCOUNT, "", arn, [OTHER]).status is Status.DIFFERENT
    assert identity_center.prepare(lf, ACCOUNT, arn, [OTHER]) == f"Identity Center sharing with {OTHER}"
    assert identity_center.check(lf, ACCOUNT, "", arn, [OTHER]).status is Status.OK


def test_a_connection_to_another_instance_is_left_alone_and_different(aws):
    lf = _client("lakeformation")
    (instance,) = _client("sso-admin").list_instances()["Instances"]
    lf.create_lake_formation_identity_center_configuration(CatalogId=ACCOUNT, InstanceArn=instance["InstanceArn"])
    wanted = "arn:aws:sso:::instance/ssoins-0000000000000000"
    assert identity_center.prepare(lf, ACCOUNT, wanted, []) is None
    found = identity_center.check(lf, ACCOUNT, "", wanted, [])
    assert (found.status, found.detail) == (Status.DIFFERENT, f"instance {instance['InstanceArn']}")


def test_a_group_in_the_store_is_ok_and_one_not_in_it_missing(aws):
    (instance,) = _client("sso-admin").list_instances()["Instances"]
    store = instance["IdentityStoreId"]
    identitystore = _client("identitystore")
    there = identitystore.create_group(IdentityStoreId=store, DisplayName="marketing-campaigns")["GroupId"]
    gone = local_identity_center.entity_id(store, "nobody")
    domain = DomainConfig(
        name="marketing",
        account=OTHER,
        owner=Owner(team="t", email="t@example.com"),
        consumes=[Subscription(product="sales.orders")],
        principals=[
            Principal(name="analyst"),
            Principal(name="campaigns", identity_center_group=there),
            Principal(name="gone", identity_center_user=gone),
        ],
    )
    found = identity_center.check_principals(identitystore, store, domain)
    assert [(f.check, f.resource, f.status) for f in found] == [
        ("identity-center-group", there, Status.OK),
        ("identity-center-user", gone, Status.MISSING),
    ]
