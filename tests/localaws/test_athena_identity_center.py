"""The local AWS's Athena on Identity Center enabled workgroups: created only with an execution role, as the
Athena API reference requires (``WorkGroupConfiguration.ExecutionRole``), and read back as created."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.localaws.conftest import LocalAws
from tests.support.templates import CONSUMER

INSTANCE = "arn:aws:sso:::instance/ssoins-78c7a38466c2f165"
ENABLED = {"EnableIdentityCenter": True, "IdentityCenterInstanceArn": INSTANCE}


def test_an_identity_center_workgroup_without_an_execution_role_is_refused(aws: LocalAws) -> None:
    with pytest.raises(ClientError) as refused:
        aws.client("athena", CONSUMER).create_work_group(
            Name="people", Configuration={"IdentityCenterConfiguration": ENABLED}
        )
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"


def test_one_with_an_execution_role_is_created_and_read_back_enabled(aws: LocalAws) -> None:
    athena = aws.client("athena", CONSUMER)
    role = f"arn:aws:iam::{CONSUMER}:role/queries"
    athena.create_work_group(
        Name="people", Configuration={"ExecutionRole": role, "IdentityCenterConfiguration": ENABLED}
    )
    found = athena.get_work_group(WorkGroup="people")["WorkGroup"]["Configuration"]
    assert (found["ExecutionRole"], found["IdentityCenterConfiguration"]) == (role, ENABLED)
