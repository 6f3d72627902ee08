"""Composes the stacks of a mesh into a CDK app, in four deploy waves."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from aws_cdk import Annotations, App, RemovalPolicy, Stack

from datamesh import naming
from datamesh.config import ConfigError, Mesh, Problem
from datamesh.policies.enforce import enforce
from datamesh.stacks import AccessStack, CatalogStack, GovernanceStack, StorageStack
from datamesh.stacks.pipeline import PipelineStack
from datamesh.targeted import PIPELINE_STACK

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


GOVERNANCE_STACK = "Governance"


def stack_id(domain: str, kind: str) -> str:
    """Construct id of a domain's stack (``kind``: Storage, Catalog or Access); the CDK CLI selects stacks by it."""
    return f"{naming.pascal(domain)}-{kind}"


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


S = TypeVar("S", bound=Stack)


class _Graph:
    """The stacks of a build and their dependencies, including those of stacks a targeted build leaves out:
    a built stack depends on the nearest built stacks on every path, so the deploy order stays that of a full build."""

    def __init__(self, only: Collection[str] | None) -> None:
        self._only = only
        self._built: dict[str, Stack] = {}
        self._needs: dict[str, list[tuple[str, str]]] = {}

    def wanted(self, id: str) -> bool:
        return self._only is None or id in self._only

    def add(self, stack: S) -> S:
        self._built[stack.node.id] = stack
        for needed, reason in self._needs.get(stack.node.id, []):
            for built in self._nearest_built(needed):
                stack.add_stack_dependency(built, reason)
        return stack

    def depends(self, id: str, on: str, reason: str) -> None:
        """Record that stack ``id`` deploys after ``on``; call before adding ``id``."""
        self._needs.setdefault(id, []).append((on, reason))

    def _nearest_built(self, id: str) -> list[Stack]:
        if id in self._built:
            return [self._built[id]]
        nearest = [s for needed, _ in self._needs.get(id, []) for s in self._nearest_built(needed)]
        return list({s.node.id: s for s in nearest}.values())


def build_mesh(app: App, mesh: Mesh, *, allow_destroy: bool = False, only: Collection[str] | None = None) -> MeshStacks:
    """Add every stack of ``mesh`` to ``app`` with dependencies that follow the waves.

    :param allow_destroy: stateful resources (buckets, keys, databases) are retained on
        delete unless this is true; meant only for tearing down a local demo.
    :param only: ids of the stacks to build (``-c since``, :mod:`datamesh.targeted`); the
        others are left out, each built stack's template is that of a full build.
        Defaults to every stack.
    """
    for flag, value in FEATURE_FLAGS.items():
        app.node.set_context(flag, value)
    app.node.set_context(DISABLE_CREATION_STACK_TRACES, True)
    removal = RemovalPolicy.DESTROY if allow_destroy else RemovalPolicy.RETAIN
    graph, stacks = _Graph(only), MeshStacks()
    if graph.wanted(GOVERNANCE_STACK):
        stacks.governance = GovernanceStack(app, GOVERNANCE_STACK, mesh=mesh, removal_policy=removal)
        graph.add(stacks.governance)
    for domain in mesh.producers:
        storage, catalog = stack_id(domain.name, "Storage"), stack_id(domain.name, "Catalog")
        graph.depends(storage, GOVERNANCE_STACK, "bucket and key policies name the Lake Formation role")
        graph.depends(catalog, storage, "registers the producer's bucket")
        if graph.wanted(storage):
            stacks.storage[domain.name] = graph.add(
                StorageStack(app, storage, mesh=mesh, domain=domain, removal_policy=removal))
        if graph.wanted(catalog):
            stacks.catalog[domain.name] = graph.add(
                CatalogStack(app, catalog, mesh=mesh, domain=domain, removal_policy=removal))
    for domain in mesh.consumers:
        access = stack_id(domain.name, "Access")
        admins = stack_id(domain.name, "Storage") if domain.is_producer else GOVERNANCE_STACK
        graph.depends(access, admins, "Lake Formation admins of the account")
        for producer in sorted({s.producer for s in mesh.granted_shares(consumer=domain.name)}):
            graph.depends(access, stack_id(producer, "Catalog"), "resource links need the producer's grants")
        if graph.wanted(access):
            stacks.access[domain.name] = graph.add(
                AccessStack(app, access, mesh=mesh, domain=domain, removal_policy=removal))
    if mesh.config.delivery is not None and graph.wanted(PIPELINE_STACK):
        stacks.pipeline = PipelineStack(app, PIPELINE_STACK, mesh=mesh, removal_policy=removal)
    warned = next(iter(stacks.all()), None)  # Governance, when built
    if allow_destroy and warned is not None:
        Annotations.of(warned).add_warning_v2(
            "datamesh:allow-destroy", "allow-destroy is set: deleting a stack deletes its buckets, keys and databases"
        )
    enforce(app, mesh, stacks, allow_destroy=allow_destroy)
    return stacks
