#!/usr/bin/env python3
"""CDK entry point: ``cdk synth`` / ``cdk deploy --all`` build the mesh in ``mesh.yaml``.

``-c mesh=<path to a mesh.yaml>`` selects another mesh (its domains/ sits beside it).
``-c allow-destroy=true`` lets stack deletion destroy data (local demos only); only true or false are accepted.
``-c today=YYYY-MM-DD`` builds the shares as on that day (a subscription whose ``expires``
has come grants nothing); by default the current date.
"""

from aws_cdk import App

from datamesh.config import load_mesh
from datamesh.mesh_app import ALLOW_DESTROY_CONTEXT, MESH_CONTEXT, TODAY_CONTEXT, allow_destroy_from_context, build_mesh, today_from_context
from datamesh.meshctl.output import exit_on_config_error
from datamesh.policies.enforce import exit_on_policy_violations
from datamesh.policies.parameter_rules import parameter_problems


def main() -> None:
    app = App()
    mesh_file = app.node.try_get_context(MESH_CONTEXT) or "mesh.yaml"
    with exit_on_config_error("nothing was synthesized."):
        allow_destroy = allow_destroy_from_context(app.node.try_get_context(ALLOW_DESTROY_CONTEXT))
        today = today_from_context(app.node.try_get_context(TODAY_CONTEXT))
        mesh = load_mesh(mesh_file, rules=parameter_problems)
    if today is not None:
        mesh = mesh.as_of(today)
    build_mesh(app, mesh, allow_destroy=allow_destroy)
    with exit_on_policy_violations():
        app.synth()


if __name__ == "__main__":
    main()
