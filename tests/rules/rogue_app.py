"""The project's app.py with one non-compliant bucket in the sales domain's storage.

Run by the enforcement tests as a user runs app.py: ``python`` and ``cdk synth --app``.
"""

from aws_cdk import aws_s3 as s3

import app
from datamesh.app import mesh_app


def build_with_rogue_bucket(scope, mesh, **options):
    stacks = mesh_app.build_mesh(scope, mesh, **options)
    s3.CfnBucket(stacks.storage["sales"], "Rogue")
    return stacks


if __name__ == "__main__":
    app.build_mesh = build_with_rogue_bucket
    app.main()
