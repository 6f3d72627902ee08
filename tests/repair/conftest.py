"""The meshctl fixtures: a mesh folder, the command line, an endpoint answering HTML; the test mesh deployed into moto."""

from tests.support.meshctl_fixtures import html_endpoint, mesh_dir, meshctl  # noqa: F401
from tests.support.moto_deployed import credentials, deployed, deployed_state  # noqa: F401
