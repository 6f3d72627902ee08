"""The Identity Center workgroup of a consumer naming Identity Center principals: made once by the step after the
last wave, and judged by doctor (missing, not enabled for Identity Center, ok), in moto with the local AWS's
Athena (which refuses an Identity Center enabled workgroup without an execution role, as Athena does)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from datamesh.aws.answers import watch
from datamesh.config import Mesh
from datamesh.doctor import identity_center_workgroups
from datamesh.doctor.findings import Status
from localaws.resources import athena as local_athena
from tests.support.moto_deployed import fake_credentials

REGION = "eu-west-1"
MARKETING = "444444444444"  # domains/marketing.yaml
WORKGROUP = "acme-marketing-identity-center"  # <mesh>-<domain>-identity-center
ROLE = f"arn:aws:iam::{MARKETING}:role/acme-marketing-identity-center-queries"


@pytest.fixture
def athena(monkeypatch):
    fake_credentials(monkeypatch)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", MARKETING)
    local_athena.install()
    with mock_aws():
        yield watch(boto3.client("athena", region_name=REGION))


def _marketing(mesh: Mesh):
    (domain,) = [d for d in identity_center_workgroups.domains(mesh) if d.name == "marketing"]
    return domain


def test_only_consumers_naming_identity_center_principals_get_one(example_mesh: Mesh) -> None:
    assert [d.name for d in identity_center_workgroups.domains(example_mesh)] == ["marketing"]


def test_prepare_creates_it_enabled_for_the_mesh_instance_once(athena, example_mesh: Mesh) -> None:
    marketing = _marketing(example_mesh)
    assert identity_center_workgroups.check(athena, example_mesh, marketing).status is Status.MISSING
    assert identity_center_workgroups.prepare(athena, example_mesh, marketing) == (
        f"Athena workgroup {WORKGROUP} created for Identity Center users"
    )
    assert identity_center_workgroups.prepare(athena, example_mesh, marketing) is None
    found = athena.get_work_group(WorkGroup=WORKGROUP)["WorkGroup"]["Configuration"]
    assert found["ExecutionRole"] == ROLE
    assert found["IdentityCenterConfiguration"] == {
        "EnableIdentityCenter": True,
        "IdentityCenterInstanceArn": "arn:aws:sso:::instance/ssoins-78c7a38466c2f165",  # mesh.yaml
    }
    assert found["QueryResultsS3AccessGrantsConfiguration"]["EnableS3AccessGrants"] is True
    assert identity_center_workgroups.check(athena, example_mesh, marketing).status is Status.OK


def test_a_workgroup_of_that_name_not_enabled_for_identity_center_is_different(athena, example_mesh: Mesh) -> None:
    athena.create_work_group(Name=WORKGROUP, Configuration={"EnforceWorkGroupConfiguration": True})
    marketing = _marketing(example_mesh)
    assert identity_center_workgroups.prepare(athena, example_mesh, marketing) is None  # set only at creation
    found = identity_center_workgroups.check(athena, example_mesh, marketing)
    assert (found.status, found.detail) == (Status.DIFFERENT, "not enabled for Identity Center (recreate it)")
