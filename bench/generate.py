#!/usr/bin/env python3
"""Write a seeded synthetic mesh for benchmarks: ``DIR/mesh.yaml`` and ``DIR/domains/*.yaml``.

Every domain produces three products: the first is open to all domains, the second is
shared with the consumers its producer approved, the third with nobody. Every odd-numbered
domain also consumes three products of earlier domains, so open, approved and pending
subscriptions all occur.

With ``--monitored``, each domain's first product instead takes its columns from an ODCS contract file
(``domains/<domain>/contracts/events.yaml``) with a quality rule, a latency and a projected date
partition: the product is evaluated on schedule, its partitions crawled and its freshness watched.

The output grows by appending: the files of ``--domains N+1`` are those of ``--domains N``
plus one domain file, except that a producer whose second product the new domain subscribes
to (and was approved for) lists it in ``shared_with``. Domain ``N`` is a consumer only when
``N`` is odd, so for even ``N`` the first ``N`` files are byte-identical.
"""

from __future__ import annotations

import argparse
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

MESH_NAME = "bench"
REGION = "eu-west-1"
GOVERNANCE_ACCOUNT = "100000000000"
ORGANIZATION = "o-benchmesh01"
TOOLING_ACCOUNT = "100000000001"  # runs the deployment pipeline (mesh.yaml: delivery)
CONNECTION = "arn:aws:codeconnections:eu-west-1:100000000001:connection/00000000-0000-4000-8000-000000000000"
FIRST_DOMAIN_ACCOUNT = 200_000_000_000
CONFIDENTIALITY = ["public", "internal", "confidential", "restricted"]
OPEN_LEVELS = CONFIDENTIALITY[:2]
PII_LEVELS = CONFIDENTIALITY[2:]
PII_RATE = 0.4
PRODUCTS_PER_DOMAIN = 3
SUBSCRIPTIONS_PER_CONSUMER = 3
OPEN, APPROVED = 0, 1  # indexes of the open and the approved-list product; the third is private
PRODUCT_NAMES = ("events", "entities", "metrics")
APPROVAL_RATE = 2 / 3
FORMATS = ["parquet", "orc", "json", "csv", "avro"]
COLUMN_TYPES = ["string", "bigint", "int", "double", "boolean", "date", "timestamp", "decimal(12,2)", "array<string>"]
PARTITION_TYPES = ["string", "bigint", "int", "boolean", "date"]  # those Athena can project
PERMISSION_SETS = [["SELECT", "DESCRIBE"], ["SELECT"], ["DESCRIBE"]]

Subscription = tuple[int, int]  # (producer index, product index)


def domain_name(index: int) -> str:
    return f"domain-{index:05d}"


def is_consumer(index: int) -> bool:
    return index % 2 == 1


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    """A generator that depends only on the seed and one domain, so earlier files never change."""
    return random.Random(f"{seed}:{index}:{purpose}")


def subscriptions(seed: int, consumer: int) -> list[tuple[Subscription, list[str], bool]]:
    """The consumer's picks among earlier domains' products: (pick, permissions, approved)."""
    rng = _rng(seed, consumer, "consumes")
    picks = rng.sample(range(consumer * PRODUCTS_PER_DOMAIN), SUBSCRIPTIONS_PER_CONSUMER)
    return [
        (divmod(pick, PRODUCTS_PER_DOMAIN), list(rng.choice(PERMISSION_SETS)), rng.random() < APPROVAL_RATE)
        for pick in sorted(picks)
    ]


def _approvals(seed: int, domains: int) -> dict[int, list[str]]:
    """Producer index to the consumers its approved-list product names."""
    approved: dict[int, list[str]] = {}
    for consumer in filter(is_consumer, range(domains)):
        for (producer, product), _, ok in subscriptions(seed, consumer):
            if product == APPROVED and ok:
                approved.setdefault(producer, []).append(domain_name(consumer))
    return approved


def _columns(
    rng: random.Random, count: int, prefix: str, with_pii: bool, types: list[str] = COLUMN_TYPES
) -> list[dict[str, Any]]:
    columns = [
        {"name": f"{prefix}{i}", "type": rng.choice(types), "description": f"Synthetic column {i}"}
        for i in range(count)
    ]
    if with_pii:
        columns[-1]["pii"] = True
    return columns


def _product(rng: random.Random, index: int, shared_with: str | list[str]) -> dict[str, Any]:
    # Within the default policies: open products are at most internal and carry no pii;
    # products with pii are at least confidential.
    pii = index != OPEN and rng.random() < PII_RATE
    levels = OPEN_LEVELS if index == OPEN else PII_LEVELS if pii else CONFIDENTIALITY
    product: dict[str, Any] = {
        "name": PRODUCT_NAMES[index],
        "description": f"Synthetic {PRODUCT_NAMES[index]} product.",
        "confidentiality": rng.choice(levels),
        "format": rng.choice(FORMATS),
        "columns": _columns(rng, rng.randint(3, 12), "col_", with_pii=pii),
    }
    if rng.random() < 0.5:
        product["partition_keys"] = _columns(rng, 1, "part_", with_pii=False, types=PARTITION_TYPES)
    product["shared_with"] = shared_with
    return product


INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-0000000000000000"
IDENTITY_STORE = "d-0000000000"


def principals(name: str) -> list[dict[str, Any]]:
    """A consumer's three principals: the mesh's analyst, an existing BI role, an Identity Center group."""
    group = str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench:{name}"))
    return [
        {"name": "analyst"},
        {"name": "bi", "role": f"{name}-bi"},
        {"name": "people", "identity_center_group": group},
    ]


def contract(name: str) -> dict[str, Any]:
    """The ODCS contract of a monitored product of domain ``name``: a unique id, a value, a day partition."""
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": f"bench-{name}-{PRODUCT_NAMES[OPEN]}",
        "name": PRODUCT_NAMES[OPEN],
        "version": "1.0.0",
        "status": "active",
        "domain": name,
        "dataProduct": PRODUCT_NAMES[OPEN],
        "schema": [
            {
                "name": PRODUCT_NAMES[OPEN],
                "physicalType": "table",
                "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
                "properties": [
                    {"name": "event_id", "logicalType": "string", "required": True, "description": "Identifier"},
                    {"name": "value", "logicalType": "string", "description": "Payload"},
                    {
                        "name": "day",
                        "logicalType": "date",
                        "logicalTypeOptions": {"minimum": "2024-01-01"},
                        "description": "Day of the event",
                        "partitioned": True,
                        "partitionKeyPosition": 1,
                    },
                ],
            }
        ],
        "slaProperties": [{"property": "latency", "value": 1, "unit": "d"}],
    }


def domain(
    seed: int, index: int, approved: list[str], monitored: bool = False, with_principals: bool = False
) -> dict[str, Any]:
    """The parameter file of domain ``index``; ``approved`` are the consumers of its second product; ``monitored``:
    its first product's columns come from :func:`contract`; ``with_principals``: a consumer lists three principals
    (:func:`principals`), else the analyst reads alone."""
    rng = _rng(seed, index, "products")
    name = domain_name(index)
    sharing: list[str | list[str]] = ["all", approved, []]
    result: dict[str, Any] = {
        "name": name,
        "account": str(FIRST_DOMAIN_ACCOUNT + index),
        "owner": {"team": f"Team {index}", "email": f"{name}@example.com", "cost_centre": f"CC-{index % 50:02d}"},
        "products": [_product(rng, i, sharing[i]) for i in range(PRODUCTS_PER_DOMAIN)],
    }
    if monitored:
        first = result["products"][OPEN]
        for inline in ("columns", "partition_keys"):
            first.pop(inline, None)
        first["contract"] = f"{name}/contracts/{PRODUCT_NAMES[OPEN]}.yaml"
    if is_consumer(index):
        result["consumes"] = [
            {"product": f"{domain_name(producer)}.{PRODUCT_NAMES[product]}", "permissions": permissions}
            for (producer, product), permissions, _ in subscriptions(seed, index)
        ]
        if with_principals:
            result["principals"] = principals(name)
    return result


def mesh(with_principals: bool = False) -> dict[str, Any]:
    identity_center = {"identity_center": {"instance_arn": INSTANCE_ARN, "identity_store_id": IDENTITY_STORE}}
    return {
        "name": MESH_NAME,
        "region": REGION,
        "governance_account": GOVERNANCE_ACCOUNT,
        "taxonomy": {"confidentiality": CONFIDENTIALITY, "tags": {"retention": ["short", "standard", "long"]}},
        "organization": {"id": ORGANIZATION},  # the pipeline deploys only within one (docs/delivery.md)
        "delivery": {"tooling_account": TOOLING_ACCOUNT, "repository": "bench/mesh", "connection_arn": CONNECTION},
        **(identity_center if with_principals else {}),
    }


def domains(count: int, seed: int, monitored: bool = False, with_principals: bool = False) -> Iterator[dict[str, Any]]:
    approved = _approvals(seed, count)
    for index in range(count):
        yield domain(seed, index, approved.get(index, []), monitored, with_principals)


def _dump(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when PyYAML has it: 20x faster
    return yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=False, width=120)


def write_mesh(out: Path, count: int, seed: int = 0, monitored: bool = False, with_principals: bool = False) -> Path:
    """Write the mesh into ``out`` (replacing any ``domains/*.yaml`` there); return the mesh file. ``monitored``:
    see :func:`domain`; ``with_principals``: every consumer lists three principals (:func:`principals`)."""
    if count < 2:
        raise ValueError("a mesh needs at least 2 domains (domain 1 consumes domain 0's products)")
    domains_dir = out / "domains"
    domains_dir.mkdir(parents=True, exist_ok=True)
    for stale in domains_dir.glob("*.yaml"):
        stale.unlink()
    for data in domains(count, seed, monitored, with_principals):
        (domains_dir / f"{data['name']}.yaml").write_text(_dump(data), encoding="utf-8")
        if monitored:
            contracts = domains_dir / data["name"] / "contracts"
            contracts.mkdir(parents=True, exist_ok=True)
            (contracts / f"{PRODUCT_NAMES[OPEN]}.yaml").write_text(_dump(contract(data["name"])), encoding="utf-8")
    mesh_file = out / "mesh.yaml"
    mesh_file.write_text(_dump(mesh(with_principals)), encoding="utf-8")
    return mesh_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/generate.py",
        description=__doc__.split("\n\n")[0].strip()
        + (
            f" Each domain has {PRODUCTS_PER_DOMAIN} products (open, approved-list, private); odd-numbered"
            f" domains consume {SUBSCRIPTIONS_PER_CONSUMER} products of earlier domains. Validate the result"
            " with `meshctl validate --mesh DIR/mesh.yaml`."
        ),
    )
    parser.add_argument("--domains", type=int, required=True, metavar="N", help="number of domains (at least 2)")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="output folder; its domains/*.yaml are replaced"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed; the same N and S give the same files (default: %(default)s)",
    )
    parser.add_argument(
        "--monitored",
        action="store_true",
        help="each domain's first product has a contract with a quality rule, a latency and a partition",
    )
    parser.add_argument(
        "--principals",
        action="store_true",
        help="every consumer lists three principals: its analyst, a BI role, an Identity Center group",
    )
    args = parser.parse_args(argv)
    if args.domains < 2:
        parser.error("--domains must be at least 2")
    mesh_file = write_mesh(args.out, args.domains, args.seed, args.monitored, args.principals)
    print(f"wrote {mesh_file} and {args.domains} domain files in {args.out / 'domains'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
