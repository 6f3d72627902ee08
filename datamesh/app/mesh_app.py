"""Composes the stacks of a mesh into a CDK app, in four deploy waves."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from aws_cdk import Annotations, App, RemovalPolicy, Stack

from datamesh.annotations.tagging import GOVERNANCE_DOMAIN
from datamesh.blueprint import blueprint
from datamesh.config import Mesh
from datamesh.rules.engine.enforce import enforce
from datamesh.rules.engine.plugin import OUTSIDE_THE_MESH, StackOwner
from datamesh.stacks import AccessStack, CatalogStack, GovernanceStack, StorageStack
from datamesh.stacks.pipeline import PipelineStack

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

    governance: GovernanceStack | None = None  # None only when a targeted build leaves it out
    storage: dict[str, StorageStack] = field(default_factory=dict)
    catalog: dict[str, CatalogStack] = field(default_factory=dict)
    access: dict[str, AccessStack] = field(default_factory=dict)
    pipeline: PipelineStack | None = None  # in the tooling account, when mesh.yaml sets delivery; deploys the others

    def all(self) -> list[Stack]:
        governance = [self.governance] if self.governance is not None else []
        return [*governance, *self.storage.values(), *self.catalog.values(), *self.access.values()]


def build_mesh(app: App, mesh: Mesh, *, allow_destroy: bool = False, only: Collection[str] | None = None) -> MeshStacks:
    """Add every stack of ``mesh`` to ``app`` with dependencies that follow the waves.

    :param allow_destroy: stateful resources (buckets, keys, databases) are retained on
        delete unless this is true; meant only for tearing down a local demo.
    :param only: ids of the stacks to build (``-c since``, :mod:`datamesh.blueprint.targeted`); each has
        the template of a full build and waits for the nearest built stacks on every path of
        the full build's dependencies. Defaults to every stack.
    """
    for flag, value in FEATURE_FLAGS.items():
        app.node.set_context(flag, value)
    app.node.set_context(DISABLE_CREATION_STACK_TRACES, True)
    removal = RemovalPolicy.DESTROY if allow_destroy else RemovalPolicy.RETAIN
    plan = blueprint(mesh)
    stacks = MeshStacks()
    built: dict[str, Stack] = {}
    owners: dict[str, StackOwner] = {}  # by construct path: each stack is a child of the app, its path is its id
    waits_for: dict[str, tuple[str, ...]] = {}  # a built stack stands for itself, one left out for what it waits for
    for spec in plan.stacks:
        needs = tuple(dict.fromkeys(w for dependency in spec.depends_on for w in waits_for[dependency]))
        if only is not None and spec.id not in only:
            waits_for[spec.id] = needs
            continue
        waits_for[spec.id] = (spec.id,)
        if spec.kind == "governance":
            built[spec.id] = stacks.governance = GovernanceStack(app, spec.id, mesh=mesh, removal_policy=removal)
        elif spec.kind in _DOMAIN_STACKS:
            kind, by_domain = _DOMAIN_STACKS[spec.kind], getattr(stacks, spec.kind)
            rendered = {"blueprint": plan}  # the stacks render its specs
            built[spec.id] = by_domain[spec.domain] = kind(
                app, spec.id, mesh=mesh, domain=mesh.domain(spec.domain), removal_policy=removal, **rendered
            )
        elif spec.kind == "pipeline":
            built[spec.id] = stacks.pipeline = PipelineStack(app, spec.id, mesh=mesh, removal_policy=removal)
        domain = {"governance": GOVERNANCE_DOMAIN, "pipeline": OUTSIDE_THE_MESH}.get(spec.kind, spec.domain)
        owners[spec.id] = StackOwner(domain, built[spec.id].mesh_account)
        for dependency in needs:
            built[spec.id].add_stack_dependency(built[dependency], _WAITS_FOR[built[dependency].__class__.__name__])
    if allow_destroy and built:
        Annotations.of(next(iter(built.values()))).add_warning_v2(  # Governance, when built
            "datamesh:allow-destroy", "allow-destroy is set: deleting a stack deletes its buckets, keys and databases"
        )
    enforce(app, mesh, owners, allow_destroy=allow_destroy)
    return stacks
