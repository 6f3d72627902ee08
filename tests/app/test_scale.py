"""Scale smoke test on a generated mesh of about 50 domains (bench/generate.py).

Every stack stays far below CloudFormation's limits, the mesh still deploys in four
waves, and onboarding a domain changes no existing template but Governance's and those of
the Catalog stacks that grant the new domain something. Timings belong to bench/run.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from aws_cdk import App

from bench.assembly import CLI_CONTEXT, changed_templates, deploy_waves, read_assembly
from bench.generate import domain_name, write_mesh
from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.names import naming

DOMAINS = 48  # even: domain 48 joins as a producer only, domain 49 as a producer and consumer
SEED = 0
MAX_RESOURCES = 200
MAX_TEMPLATE_BYTES = 400 * 1024


class Synthesized(NamedTuple):
    mesh_file: Path
    outdir: Path


def granting_producers(mesh_file: Path, consumer: str) -> set[str]:
    """Producers whose files share a product ``consumer``'s file subscribes to, read from the YAML itself."""
    domains = mesh_file.parent / "domains"
    wanted = yaml.safe_load((domains / f"{consumer}.yaml").read_text())["consumes"]
    producers = set()
    for subscription in wanted:
        producer, product = subscription["product"].split(".")
        shared_with = next(
            p["shared_with"]
            for p in yaml.safe_load((domains / f"{producer}.yaml").read_text())["products"]
            if p["name"] == product
        )
        if shared_with == "all" or consumer in shared_with:
            producers.add(producer)
    return producers


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Synthesized]:
    """The generated mesh with ``n`` domains and its cloud assembly, synthesized once per ``n``."""
    root = tmp_path_factory.mktemp("scale")
    built: dict[int, Synthesized] = {}

    def synthesize(n: int) -> Synthesized:
        if n not in built:
            mesh_file = write_mesh(root / f"mesh-{n}", n, SEED)
            app = App(outdir=str(root / f"out-{n}"), context=CLI_CONTEXT)
            build_mesh(app, load_mesh(mesh_file))
            app.synth()
            built[n] = Synthesized(mesh_file, root / f"out-{n}")
        return built[n]

    return synthesize


def test_every_domain_gets_its_stacks(synthesized):
    stacks = read_assembly(synthesized(DOMAINS).outdir)
    # governance + storage and catalog for every domain + access for every consumer (odd-numbered)
    # + the deployment pipeline in the tooling account
    assert len(stacks) == 1 + 2 * DOMAINS + DOMAINS // 2 + 1


def test_every_stack_stays_under_the_resource_limit(synthesized):
    stacks = read_assembly(synthesized(DOMAINS).outdir)
    assert not {s.id: s.resources for s in stacks if s.resources >= MAX_RESOURCES}


def test_every_template_stays_under_the_size_limit(synthesized):
    stacks = read_assembly(synthesized(DOMAINS).outdir)
    assert not {s.id: s.template_bytes for s in stacks if s.template_bytes >= MAX_TEMPLATE_BYTES}


def test_the_mesh_deploys_in_four_waves(synthesized):
    assert deploy_waves(synthesized(DOMAINS).outdir) == 4


def test_a_new_producer_changes_only_the_governance_template(synthesized):
    before, after = synthesized(DOMAINS), synthesized(DOMAINS + 1)
    assert changed_templates(before.outdir, after.outdir) == ["Governance"]


def test_a_new_consumer_changes_governance_and_the_catalogs_granting_it(synthesized):
    before, after = synthesized(DOMAINS + 1), synthesized(DOMAINS + 2)
    producers = granting_producers(after.mesh_file, domain_name(DOMAINS + 1))
    assert producers, "the new consumer should be granted something, or this test proves nothing"
    expected = sorted(["Governance", *(f"{naming.pascal(p)}-Catalog" for p in producers)])
    assert changed_templates(before.outdir, after.outdir) == expected


def test_more_domains_than_the_domain_lf_tag_holds_is_a_clear_error(tmp_path):
    """The `domain` LF-tag takes at most 1000 values; a 1001st domain is refused before any synthesis."""
    mesh_file = write_mesh(tmp_path / "mesh", 1001, SEED)
    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_file)
    assert [str(p) for p in raised.value.problems] == [
        f"{mesh_file.parent / 'domains'}: (file): 1001 domain files: a mesh holds at most 1000 domains "
        "(Lake Formation's limit of values of the LF-tag 'domain')"
    ]
