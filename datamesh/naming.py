"""Physical names other accounts must know, derived in one place.

Cross-account references cannot use CloudFormation tokens, so buckets, roles and
databases get deterministic names built only from the parameter files.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

# Lake Formation takes at most 50 values of an LF-tag per API call (CreateLFTag,
# UpdateLFTag), and CloudFormation's AWS::LakeFormation::Tag creates a tag with one call.
LF_TAG_VALUES_PER_CALL = 50
# Past 50 domains the `domain` LF-tag becomes this many keys; 40 keep 1000 domains at a
# mean of 25 values per key, far from 50, and a domain's key never changes as others join.
DOMAIN_TAG_SLOTS = 40


# The deploy waves, in order; a domain's stack id ends with its wave (``Sales-Storage``).
WAVES = ("Governance", "Storage", "Catalog", "Access")
GOVERNANCE_STACK = "Governance"
PIPELINE_STACK = "Pipeline"  # in the tooling account, outside the waves: it deploys them


def pascal(name: str) -> str:
    """``customer-service`` -> ``CustomerService`` (stack and construct ids)."""
    return "".join(part.capitalize() for part in name.split("-"))


def stack_id(domain: str, wave: str) -> str:
    """Construct id of a domain's stack in ``wave`` (Storage, Catalog or Access); the CDK CLI selects stacks by it."""
    return f"{pascal(domain)}-{wave}"


def stack_name(mesh: str, stack_id: str) -> str:
    """The CloudFormation stack name of a stack of the mesh."""
    return f"{mesh}-{stack_id}"


def data_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    return f"{mesh}-{domain}-data-{account}-{region}"


def access_log_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    return f"{mesh}-{domain}-logs-{account}-{region}"


def query_results_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    return f"{mesh}-{domain}-athena-{account}-{region}"


def query_results_log_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    """Access-log bucket of the query results bucket (a consumer's second log bucket)."""
    return access_log_bucket(mesh, f"{domain}-athena", account, region)


# The longest name AWS takes, by kind: the CloudFormation resource schemas' maxLength of
# AWS::S3::Bucket BucketName, AWS::IAM::Role RoleName, AWS::KMS::Alias AliasName,
# AWS::Glue::Database and AWS::Glue::DataQualityRuleset Name, the pattern of AWS::Athena::WorkGroup
# Name, and CreateStack's StackName (CloudFormation API reference).
MAX_LENGTH = {"bucket": 63, "role": 64, "key alias": 256, "workgroup": 128, "stack": 128, "database": 255,
              "quality ruleset": 255}


def domain_names(mesh: str, domain: str, account: str, region: str) -> list[tuple[str, str]]:
    """Every (kind, physical name) a domain's stacks may create, for the loader's length check."""
    buckets = (data_bucket, access_log_bucket, query_results_bucket, query_results_log_bucket)
    return [
        *(("bucket", name(mesh, domain, account, region)) for name in buckets),
        ("role", producer_role(mesh, domain)), ("role", analyst_role(mesh, domain)),
        ("key alias", data_key_alias(mesh, domain)), ("key alias", query_key_alias(mesh, domain)),
        ("workgroup", workgroup(mesh, domain)),
        *(("stack", stack_name(mesh, stack_id(domain, wave))) for wave in WAVES[1:]),
    ]


def product_names(domain: str, product: str, tables: Iterable[str]) -> list[tuple[str, str]]:
    """Every (kind, physical name) of a product's catalog entry, for the loader's length check."""
    name = database(domain, product)
    return [("database", name), *(("quality ruleset", quality_ruleset(name, product, t)) for t in tables)]


def data_key_alias(mesh: str, domain: str) -> str:
    return f"alias/{mesh}/{domain}/data"


def catalog_key_alias(mesh: str) -> str:
    """The key that encrypts the governance account's Glue Data Catalog."""
    return f"alias/{mesh}/catalog"


def query_key_alias(mesh: str, domain: str) -> str:
    """The key of a consumer's Athena query results."""
    return f"alias/{mesh}/{domain}/athena"


def registration_role(mesh: str) -> str:
    """Role in the governance account that Lake Formation uses to reach producer data."""
    return f"{mesh}-lakeformation-data-access"


def producer_role(mesh: str, domain: str) -> str:
    return f"{mesh}-{domain}-producer"


def analyst_role(mesh: str, domain: str) -> str:
    return f"{mesh}-{domain}-analyst"


def database(domain: str, product: str) -> str:
    """Glue database of a data product (the resource link in a consumer has the same name)."""
    return f"{domain}_{product}".replace("-", "_")


def quality_ruleset(database_name: str, product: str, table: str) -> str:
    """Glue Data Quality ruleset of one table of a product's database (names are unique per account and region).

    The table named after its product keeps the database's name, the name of a single-table product's ruleset.
    """
    return database_name if table == product else f"{database_name}.{table}"


def workgroup(mesh: str, domain: str) -> str:
    return f"{mesh}-{domain}"


def cdk_exec_role_arn(qualifier: str, account: str, region: str) -> str:
    return f"arn:aws:iam::{account}:role/cdk-{qualifier}-cfn-exec-role-{account}-{region}"


def role_arn(account: str, role: str) -> str:
    return f"arn:aws:iam::{account}:role/{role}"


def domain_tag_key(domain: str, domain_count: int) -> str:
    """LF-tag key that holds ``domain``'s value in a mesh of ``domain_count`` domains.

    ``domain`` while one call can create it with every domain; past that ``domain-NN``,
    NN fixed by the name alone, so that no value ever moves between existing keys.
    """
    if domain_count <= LF_TAG_VALUES_PER_CALL:
        return "domain"
    return f"domain-{zlib.crc32(domain.encode()) % DOMAIN_TAG_SLOTS:02d}"


def domain_tags(domains: Iterable[str]) -> dict[str, list[str]]:
    """Each domain LF-tag key and its values, keys sorted."""
    names = list(domains)
    keys: dict[str, list[str]] = {}
    for name in names:
        keys.setdefault(domain_tag_key(name, len(names)), []).append(name)
    return dict(sorted(keys.items()))


def pipeline(mesh: str) -> str:
    """The deployment pipeline in the tooling account."""
    return f"{mesh}-delivery"


def pipeline_deploy_role(mesh: str) -> str:
    """The role of the pipeline's deploy builds: every account's bootstrap roles trust only it in the tooling account."""
    return f"{mesh}-delivery-deploy"


def pipeline_deploy_role_arn(mesh: str, tooling_account: str) -> str:
    return f"arn:aws:iam::{tooling_account}:role/{pipeline_deploy_role(mesh)}"


def pipeline_artifacts_bucket(mesh: str, account: str, region: str) -> str:
    return f"{mesh}-delivery-artifacts-{account}-{region}"


def pipeline_logs_bucket(mesh: str, account: str, region: str) -> str:
    return f"{mesh}-delivery-logs-{account}-{region}"


def pipeline_key_alias(mesh: str) -> str:
    return f"alias/{mesh}/delivery"


def bootstrap_stack_set(mesh: str) -> str:
    """The StackSet that bootstraps every account of the mesh for the CDK."""
    return f"{mesh}-cdk-bootstrap"


def cdk_role_arn_pattern(qualifier: str, role: str, region: str) -> str:
    """A CDK bootstrap role (``deploy``, ``file-publishing``, ``lookup``) in any account of ``region``."""
    return f"arn:aws:iam::*:role/cdk-{qualifier}-{role}-role-*-{region}"
