"""The meshctl fixtures: a mesh folder, the command line, an endpoint answering HTML."""

from tests.support.meshctl_fixtures import html_endpoint, mesh_dir, meshctl  # noqa: F401
