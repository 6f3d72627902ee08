"""Each account's side of a mesh: Lake Formation admins, LF-tags, keys, buckets, roles and workgroups."""

from __future__ import annotations

from datamesh.blueprint.lake import CONFIDENTIALITY_TAG, PII_TAG
from datamesh.blueprint.specs import Bucket, Key, KeyStatement, Role, Workgroup
from datamesh.config import Mesh
from datamesh.names import naming

GOVERNANCE = "governance"
# What Athena needs on the key of an encrypted Glue Data Catalog, in the key policy and in the
# policy of every principal that queries (Athena guide: "Access from Athena to encrypted metadata
# in the AWS Glue Data Catalog").
CATALOG_KEY_ACTIONS = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey")


def catalog_key_use(mesh: Mesh) -> KeyStatement:
    """The catalog key policy's statement that lets the mesh's accounts use the key, only through Glue: their
    principals' own IAM policies must allow it too (a cross-account use)."""
    return KeyStatement(
        "MeshAccountsUseCatalogThroughGlue",
        {"AWS": "*"},
        (*CATALOG_KEY_ACTIONS, "kms:DescribeKey"),
        {
            "StringEquals": {
                "kms:ViaService": f"glue.{mesh.config.region}.amazonaws.com",
                "kms:CallerAccount": [d.account for d in mesh.domains],
            }
        },
    )


def accounts(mesh: Mesh) -> dict[str, str]:
    """Every account of the mesh and what it is for."""
    result = {mesh.config.governance_account: GOVERNANCE}
    for domain in mesh.domains:
        roles = [r for r, on in (("producer", domain.is_producer), ("consumer", domain.is_consumer)) if on]
        result[domain.account] = f"{domain.name} ({', '.join(roles)})"
    return result


def lake_formation_admins(mesh: Mesh, account: str) -> list[str]:
    """The mesh's admin roles in ``account`` plus the CDK execution role that deploys grants."""
    settings = mesh.config.lake_formation
    return [
        *(naming.role_arn(account, name) for name in settings.admin_role_names),
        naming.cdk_exec_role_arn(settings.cdk_qualifier, account, mesh.config.region),
    ]


def admins(mesh: Mesh) -> dict[str, list[str]]:
    """The Lake Formation admins of every account of the mesh (the tooling account's pipeline sets none)."""
    return {account: lake_formation_admins(mesh, account) for account in accounts(mesh)}


def lf_tags(mesh: Mesh) -> dict[str, list[str]]:
    """The LF-tags the Governance stack creates: domain keys (see :func:`naming.domain_tags`),
    ``confidentiality``, ``pii`` and the organisation's own."""
    taxonomy = mesh.config.taxonomy
    return {
        **naming.domain_tags(d.name for d in mesh.domains),
        CONFIDENTIALITY_TAG: taxonomy.confidentiality,
        PII_TAG: ["true", "false"],
        **taxonomy.tags,
    }


def keys(mesh: Mesh) -> list[Key]:
    cfg = mesh.config
    found = [Key(naming.catalog_key_alias(cfg.name), cfg.governance_account, GOVERNANCE)]
    found += [Key(naming.data_key_alias(cfg.name, d.name), d.account, d.name) for d in mesh.producers]
    found += [Key(naming.query_key_alias(cfg.name, d.name), d.account, d.name) for d in mesh.consumers]
    return found


def buckets(mesh: Mesh) -> list[Bucket]:
    """The producers' data and access-log buckets, the consumers' query-results buckets and their logs."""
    cfg = mesh.config
    found = []
    for d in mesh.producers:
        logs = naming.access_log_bucket(cfg.name, d.name, d.account, cfg.region)
        found += [
            Bucket(
                naming.data_bucket(cfg.name, d.name, d.account, cfg.region),
                d.account,
                d.name,
                naming.data_key_alias(cfg.name, d.name),
                logs,
            ),
            Bucket(logs, d.account, d.name, None, None),
        ]
    for d in mesh.consumers:
        logs = naming.query_results_log_bucket(cfg.name, d.name, d.account, cfg.region)
        found += [
            Bucket(
                naming.query_results_bucket(cfg.name, d.name, d.account, cfg.region),
                d.account,
                d.name,
                naming.query_key_alias(cfg.name, d.name),
                logs,
            ),
            Bucket(logs, d.account, d.name, None, None),
        ]
    return found


def roles(mesh: Mesh) -> list[Role]:
    """The roles other accounts or the settings step name: the registration role, each producer's and each analyst
    role, and the execution role of each Identity Center workgroup."""
    cfg = mesh.config
    found = [Role(naming.registration_role(cfg.name), cfg.governance_account, GOVERNANCE)]
    found += [Role(naming.producer_role(cfg.name, d.name), d.account, d.name) for d in mesh.producers]
    found += [Role(naming.analyst_role(cfg.name, d.name), d.account, d.name) for d in mesh.consumers]
    if cfg.identity_center is not None:
        found += [
            Role(naming.identity_center_query_role(cfg.name, d.name), d.account, d.name)
            for d in mesh.consumers
            if any(p.identity_center for p in d.principals)
        ]
    return found


def workgroups(mesh: Mesh) -> list[Workgroup]:
    cfg = mesh.config
    return [
        Workgroup(
            naming.workgroup(cfg.name, d.name),
            d.account,
            d.name,
            naming.query_results_bucket(cfg.name, d.name, d.account, cfg.region),
            naming.query_key_alias(cfg.name, d.name),
        )
        for d in mesh.consumers
    ]
