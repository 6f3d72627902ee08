"""The stacks of a mesh: id, account, wave, dependencies, and a digest of what each is built from."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from datamesh.blueprint.filters import table_filter
from datamesh.blueprint.lake import principal_arn, share_readers
from datamesh.blueprint.specs import StackSpec
from datamesh.config import Mesh, Share
from datamesh.names import naming
from datamesh.policies import classification

_SETTINGS_EVERY_STACK_READS = {"name", "region", "governance_account"}


def _digest(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, default=str)


def _share_inputs(mesh: Mesh, share: Share, consumer_side: bool = False) -> dict[str, Any]:
    """What a share's grants read. On the ``consumer_side`` (its Access stack) SELECT names the approval's data
    filter, not its rows or columns (the Catalog stack's), nor the pii columns a filter leaves out."""
    product = mesh.product(share.producer, share.product)
    tables = product.tables_named(share.tables)
    sliced = [share.decision.rows, share.decision.withhold] if share.decision and share.decision.filters else None
    filtered = consumer_side and all(table_filter(mesh, share, t) is not None for t in tables)
    return {
        "consumer": share.consumer,
        "account": mesh.domain(share.consumer).account,
        "product": f"{share.producer}.{share.product}",
        "permissions": sorted(p.value for p in share.permissions),
        "pii": None if filtered else product.pii_columns,
        "tables": [t.name for t in tables],
        # an approval's slice: the data cells filter the Catalog stack makes and both stacks grant on
        "filter": filtered if consumer_side else sliced,
    }


def _reader_inputs(mesh: Mesh, share: Share) -> list[list[str]]:
    """Who in the consumer's account a share's grants go to: each principal's name (its grants' construct ids)
    and role."""
    return [[p.name, principal_arn(mesh, share.consumer, p)] for p in share_readers(mesh, share)]


def stacks(mesh: Mesh, today: date | None = None) -> list[StackSpec]:
    """Every stack of the mesh in deploy-wave order (the pipeline's last), with the inputs each reads.

    Every resource of a stack carries its confidentiality tag (:mod:`datamesh.policies.classification`),
    so the level is an input of each; tests/meshctl/test_plan_against_templates.py checks the inputs
    against synthesized templates.
    """
    cfg = mesh.config
    settings = cfg.model_dump(mode="json", include=_SETTINGS_EVERY_STACK_READS)
    admins = cfg.lake_formation.model_dump(mode="json")  # read by the one stack per account that sets its admins
    granted = mesh.granted_shares(today=today)

    def spec(
        stack_id: str, kind: str, account: str, domain: str, inputs: str, depends_on: tuple[str, ...] = ()
    ) -> StackSpec:
        wave = stack_id.rsplit("-", 1)[-1]
        return StackSpec(
            stack_id, naming.stack_name(cfg.name, stack_id), kind, wave, account, domain, inputs, depends_on
        )

    governance = naming.GOVERNANCE_STACK
    result = [
        spec(
            governance,
            "governance",
            cfg.governance_account,
            "",
            _digest(
                settings, admins, cfg.taxonomy.model_dump(mode="json"), [(d.name, d.account) for d in mesh.domains]
            ),
        )
    ]
    for domain in mesh.producers:
        result.append(
            spec(
                naming.stack_id(domain.name, "Storage"),
                "storage",
                domain.account,
                domain.name,
                _digest(
                    settings,
                    admins,
                    domain.account,
                    domain.owner.model_dump(mode="json"),
                    [p.name for p in domain.products],
                    classification.producer_level(mesh, domain),
                ),
                (governance,),
            )
        )
    for domain in mesh.producers:
        products = [
            [
                p.model_dump(mode="json", exclude={"shared_with", "decisions"}),
                [
                    (t.name, t.folder, [c.model_dump(mode="json") for c in (*t.columns, *t.partition_keys)])
                    for t in p.tables
                ],
            ]
            for p in domain.products
        ]
        result.append(
            spec(
                naming.stack_id(domain.name, "Catalog"),
                "catalog",
                cfg.governance_account,
                domain.name,
                _digest(
                    settings,
                    domain.account,
                    domain.owner.model_dump(mode="json"),
                    products,
                    [_share_inputs(mesh, s) for s in granted if s.producer == domain.name],
                ),
                (naming.stack_id(domain.name, "Storage"),),
            )
        )
    for domain in mesh.consumers:
        # The account's Lake Formation admins come first (set by its Storage stack, or by Governance),
        # then the Catalog stacks whose grants the resource links need.
        first = naming.stack_id(domain.name, "Storage") if domain.is_producer else governance
        producers = sorted({s.producer for s in granted if s.consumer == domain.name})
        result.append(
            spec(
                naming.stack_id(domain.name, "Access"),
                "access",
                domain.account,
                domain.name,
                _digest(
                    settings,
                    None if domain.is_producer else admins,
                    domain.account,
                    domain.owner.model_dump(mode="json"),
                    [_share_inputs(mesh, s, consumer_side=True) for s in granted if s.consumer == domain.name],
                    [_reader_inputs(mesh, s) for s in granted if s.consumer == domain.name],
                    classification.consumer_level(mesh, domain),
                ),
                (first, *(naming.stack_id(p, "Catalog") for p in producers)),
            )
        )
    if cfg.delivery is not None:
        result.append(
            StackSpec(
                naming.PIPELINE_STACK,
                naming.stack_name(cfg.name, naming.PIPELINE_STACK),
                "pipeline",
                naming.PIPELINE_STACK,
                cfg.delivery.tooling_account,
                "",
                _digest(
                    settings,
                    cfg.delivery.model_dump(mode="json"),
                    cfg.lake_formation.cdk_qualifier,
                    classification.governance_level(mesh),
                ),
            )
        )
    return result
