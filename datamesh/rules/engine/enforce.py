"""Hooks the mesh's policies into a CDK app: the policy plugin and cdk-nag.

Tags and acknowledgements are not applied here: every stack tags itself
(:mod:`datamesh.annotations.tagging`) and every construct acknowledges the findings it causes
(:mod:`datamesh.annotations.acknowledgements`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from aws_cdk import App, Validations
from cdk_nag import AwsSolutionsChecks

from datamesh.config.mesh import Mesh
from datamesh.rules import RULES
from datamesh.rules.engine.plugin import MeshPolicyPlugin, StackOwner
from datamesh.rules.engine.rule import RuleContext


def enforce(app: App, mesh: Mesh, domains: Mapping[str, StackOwner], *, allow_destroy: bool) -> None:
    """Make every violation of a mesh policy or of cdk-nag's AwsSolutions pack fail synthesis.

    :param domains: the domain and account of each stack the app builds, by construct path.
    """
    context = RuleContext(mesh, allow_destroy=allow_destroy)
    plugin = MeshPolicyPlugin(RULES, context, domains, Path(app.outdir))
    Validations.of(app).add_plugins(plugin, AwsSolutionsChecks(app))


@contextmanager
def exit_on_policy_violations() -> Iterator[None]:
    """Exit 1 without a traceback when synthesis fails validation (the report is already on stderr)."""
    try:
        yield
    except RuntimeError as error:
        if not str(error).startswith("ValidationFailed"):
            raise
        print(f"error: synthesis failed: the mesh violates its policies (report above). {error}", file=sys.stderr)
        sys.exit(1)
