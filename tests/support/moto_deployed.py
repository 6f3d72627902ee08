"""The test mesh deployed into moto once per module, and a fresh copy of it for each test, with fake credentials."""

from __future__ import annotations

import pytest
from moto import mock_aws

from datamesh.config import load_mesh
from tests.support.fixture_mesh import write_mesh
from tests.support.moto_deploy import REGION, deploy
from tests.support.moto_state import MotoState


def fake_credentials(patch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        patch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "MESHCTL_ROLE_NAME"):
        patch.delenv(name, raising=False)


@pytest.fixture
def credentials(monkeypatch):
    fake_credentials(monkeypatch)


@pytest.fixture(scope="module")
def deployed_state(tmp_path_factory) -> MotoState:
    """The test mesh deployed into moto once for the module's tests."""
    folder = tmp_path_factory.mktemp("deployed")
    write_mesh(folder)
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        fake_credentials(patch)
        deploy(load_mesh(folder / "mesh.yaml"))
        return MotoState()


@pytest.fixture
def deployed(mesh_dir, credentials, deployed_state):
    """The test mesh in ``mesh_dir`` and deployed into moto: a fresh copy of the module's deploy, for this test only."""
    with mock_aws():
        deployed_state.restore()
        yield mesh_dir
