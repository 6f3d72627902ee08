"""Composes the stacks of a mesh into a CDK app, in four deploy waves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from aws_cdk import Annotations, App, RemovalPolicy, Stack

from datamesh import naming
from datamesh.blueprint import blueprint
from datamesh.config import ConfigError, Mesh, Problem
from datamesh.policies.enforce import enforce
from datamesh.policies.tagging import GOVERNANCE_DOMAIN
from datamesh.stacks import AccessStack, CatalogStack, GovernanceStack, StorageStack
from datamesh.stacks.pipeline import PipelineStack

ALLOW_DESTROY_CONTEXT = "allow-destroy"
MESH_CONTEXT = "mesh"
TODAY_CONTEXT = "today"

# Set on the app itself, so `cdk synth`, `python app.py` and the tests build the same templates.
FEATURE_FLAGS = {
    "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True,
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope": True,
    # Error annotations (the mesh policies') fail synthesis like cdk-nag's findings do.
    "@aws-cdk/core:annotationsInValidationReport": True,
}

# A Python app's creation stack traces show only jsii and Node internals ("no user code"),
# yet recording one per resource costs about a tenth of a large mesh's synthesis; templates
# are the same without them, and `cdk synth --debug` still records them.
DISABLE_CREATION_STACK_TRACES = "aws:cdk:disable-creation-stack-traces"


def allow_destroy_from_context(value: object) -> bool:
    """The app's reading of ``-c allow-destroy``: unset or ``false`` keeps data, ``true`` allows deleting it.

    Any other value is a :class:`ConfigError`: a typo must not decide whether data survives.
    """
    if value is None:
        return False
    text = str(value).lower()  # `-c` gives a string, cdk.json may give a JSON boolean
    if text not in ("true", "false"):
        raise ConfigError([Problem("cdk context", ALLOW_DESTROY_CONTEXT, f"{value!r} must be true or false")])
    return text == "true"


def today_from_context(value: object) -> date | None:
    """The app's reading of ``-c today=YYYY-MM-DD``: the date shares are judged on; unset is today."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError([Problem("cdk context", TODAY_CONTEXT, f"{value!r} is not a date (YYYY-MM-DD)")]) from None


# Why a stack waits for another (shown by `cdk ls --show-dependencies`), by the kind waited for.
_WAITS_FOR = {
    "GovernanceStack": "Lake Formation admins of the account, and the role bucket and key policies name",
    "StorageStack": "the producer's bucket, and the Lake Formation admins of the account",
    "CatalogStack": "resource links need the producer's grants",
}
_DOMAIN_STACKS = {"storage": StorageStack, "catalog": CatalogStack, "access": AccessStack}


@dataclass
class MeshStacks:
    """The stacks built for a mesh, by wave."""

    governance: GovernanceStack
    storage: dict[str, StorageStack] = field(default_factory=dict)
    catalog: dict[str, CatalogStack] = field(default_factory=dict)
    access: dict[str, AccessStack] = field(default_factory=dict)
    pipeline: PipelineStack | None = None  # in the tooling account, when mesh.yaml sets delivery; deploys the others

    def all(self) -> list[Stack]:
        return [self.governance, *self.storage.values(), *self.catalog.values(), *self.access.values()]

    def domains(self) -> dict[str, str]:
        """The domain of each stack of the mesh (not the pipeline), by construct path."""
        domains = {self.governance.node.path: GOVERNANCE_DOMAIN}
        for kind in (self.storage, self.catalog, self.access):
            domains.update({stack.node.path: domain for domain, stack in kind.items()})
        return domains


def build_mesh(app: App, mesh: Mesh, *, allow_destroy: bool = False) -> MeshStacks:
    """Add every stack of ``mesh`` to ``app`` with dependencies that follow the waves.

    :param allow_destroy: stateful resources (buckets, keys, databases) are retained on
        delete unless this is true; meant only for tearing down a local demo.
    """
    for flag, value in FEATURE_FLAGS.items():
        app.node.set_context(flag, value)
    app.node.set_context(DISABLE_CREATION_STACK_TRACES, True)
    removal = RemovalPolicy.DESTROY if allow_destroy else RemovalPolicy.RETAIN
    plan = blueprint(mesh)
    specs = plan.stacks
    stacks = MeshStacks(GovernanceStack(app, naming.GOVERNANCE_STACK, mesh=mesh, removal_policy=removal))
    if allow_destroy:
        Annotations.of(stacks.governance).add_warning_v2(
            "datamesh:allow-destroy", "allow-destroy is set: deleting a stack deletes its buckets, keys and databases"
        )
    built: dict[str, Stack] = {naming.GOVERNANCE_STACK: stacks.governance}
    for spec in specs:
        if spec.kind in _DOMAIN_STACKS:
            kind, by_domain = _DOMAIN_STACKS[spec.kind], getattr(stacks, spec.kind)
            rendered = {} if kind is StorageStack else {"blueprint": plan}  # the stacks that render its catalog specs
            built[spec.id] = by_domain[spec.domain] = kind(app, spec.id, mesh=mesh, domain=mesh.domain(spec.domain),
                                                           removal_policy=removal, **rendered)
        elif spec.kind == "pipeline":
            built[spec.id] = stacks.pipeline = PipelineStack(app, spec.id, mesh=mesh, removal_policy=removal)
        for dependency in spec.depends_on:
            built[spec.id].add_stack_dependency(built[dependency], _WAITS_FOR[built[dependency].__class__.__name__])
    enforce(app, mesh, stacks.domains(), allow_destroy=allow_destroy)
    return stacks
