#!/usr/bin/env python3
"""CDK entry point: ``cdk synth`` / ``cdk deploy --all`` build the mesh in ``mesh.yaml``.

``-c mesh=<path to a mesh.yaml>`` selects another mesh (its domains/ sits beside it).
``-c allow-destroy=true`` lets stack deletion destroy data (local demos only); only true or false are accepted.
``-c today=YYYY-MM-DD`` builds the shares as on that day (a subscription whose ``expires``
has come grants nothing); by default the current date.
``-c since=<git ref>`` builds only the stacks added or changed since that revision of the
mesh's git repository (every stack when the project's code changed; see datamesh/blueprint/targeted.py).
"""

import sys
from datetime import date

from aws_cdk import App

from datamesh.app.mesh_app import build_mesh
from datamesh.blueprint.targeted import since
from datamesh.config import load_mesh
from datamesh.config.app_context import (
    ALLOW_DESTROY_CONTEXT,
    MESH_CONTEXT,
    SINCE_CONTEXT,
    TODAY_CONTEXT,
    allow_destroy_from_context,
    today_from_context,
)
from datamesh.meshctl.output import exit_on_config_error
from datamesh.policies.parameter_rules import parameter_problems
from datamesh.rules.engine.enforce import exit_on_policy_violations


def main() -> None:
    app = App()
    mesh_file = app.node.try_get_context(MESH_CONTEXT) or "mesh.yaml"
    ref = app.node.try_get_context(SINCE_CONTEXT)
    with exit_on_config_error("nothing was synthesized."):
        allow_destroy = allow_destroy_from_context(app.node.try_get_context(ALLOW_DESTROY_CONTEXT))
        today = today_from_context(app.node.try_get_context(TODAY_CONTEXT))
        mesh = load_mesh(mesh_file, rules=parameter_problems)
        selection = since(str(ref), mesh, today or date.today()) if ref is not None else None
    if today is not None:
        mesh = mesh.as_of(today)
    if selection is not None:
        print(selection.note, file=sys.stderr)
    build_mesh(app, mesh, allow_destroy=allow_destroy, only=selection.stacks if selection else None)
    with exit_on_policy_violations():
        app.synth()


if __name__ == "__main__":
    main()
