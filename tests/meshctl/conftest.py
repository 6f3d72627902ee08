"""The meshctl fixtures: a mesh folder, the command line, an endpoint answering HTML, the views mesh in git."""

from tests.support.meshctl_fixtures import html_endpoint, mesh_dir, meshctl  # noqa: F401
from tests.support.views_mesh import views_repo  # noqa: F401
