"""Physical names other accounts must know, derived in one place.

Cross-account references cannot use CloudFormation tokens, so buckets, roles and
databases get deterministic names built only from the parameter files.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import regex

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


QUERY_RESULTS_PREFIX = "results/"
"""Where in a consumer's results bucket its workgroups write query results."""


def query_results_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    return f"{mesh}-{domain}-athena-{account}-{region}"


def query_results_log_bucket(mesh: str, domain: str, account: str, region: str) -> str:
    """Access-log bucket of the query results bucket (a consumer's second log bucket)."""
    return access_log_bucket(mesh, f"{domain}-athena", account, region)


@dataclass(frozen=True)
class NameRule:
    """What AWS accepts as one kind of name or value: lengths, and a pattern as AWS writes it.

    AWS's patterns are Java regular expressions over UTF-16: ``\\p{L}`` and friends are
    Unicode classes, ``\\w`` is ASCII, a supplementary character is a surrogate pair.
    :func:`_compiled` reads them so (with the ``regex`` package, whose ``\\p{...}`` Python's
    ``re`` lacks), and a name must match the whole pattern.
    """

    pattern: str
    max: int
    min: int = 1
    allowed: str = ""
    """The characters the pattern allows, in words, when it is one character class."""
    source: str = ""

    def problem(self, kind: str, name: str) -> str | None:
        """What is wrong with ``name`` as a ``kind``, in words, or ``None`` when AWS takes it."""
        noun = kind if kind.endswith(("key", "value")) else f"{kind} name"
        if len(name) > self.max:
            return f"too long: {noun} {name!r} would exceed {self.max} characters"
        if not name and self.min:
            return f"{noun} is empty"
        if len(name) < self.min:
            return f"too short: {noun} {name!r} has fewer than {self.min} characters"
        pattern = _compiled(self.pattern)
        if pattern.fullmatch(name):
            return None
        if self.allowed:
            refused = "".join(dict.fromkeys(c for c in name if not pattern.fullmatch(c)))
            return f"{noun} {name!r} has characters AWS refuses: {refused!r} (allowed: {self.allowed})"
        return f"{noun} {name!r} is one AWS refuses ({self.source})"


@cache
def _compiled(pattern: str) -> regex.Pattern[str]:
    """``pattern`` as Java reads it: a surrogate pair is one character, ``\\w`` and ``\\d`` are ASCII."""
    import regex  # here, not on top: the deploy builds import this module with the standard library alone

    def code_point(pair: regex.Match[str]) -> str:
        return f"\\U{0x10000 + (int(pair[1], 16) - 0xD800) * 0x400 + int(pair[2], 16) - 0xDC00:08X}"

    text = regex.sub(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", code_point, pattern, flags=regex.IGNORECASE)
    out, in_class = [], False
    for token in regex.findall(r"\\.|.", text, flags=regex.DOTALL):
        ascii_class = {"\\w": "A-Za-z0-9_", "\\d": "0-9"}.get(token)
        if ascii_class:
            token = ascii_class if in_class else f"[{ascii_class}]"
        elif token in ("[", "]"):
            in_class = token == "["
        out.append(token)
    return regex.compile("".join(out))


@cache
def _shape(service: str, shape: str) -> dict[str, Any]:
    """A string shape of botocore's model of ``service`` (no network): its ``pattern``, ``min``, ``max``."""
    import botocore.loaders  # here, not on top, as ``regex`` above

    return botocore.loaders.create_loader().load_service_model(service, "service-2")["shapes"][shape]


def _from_botocore(service: str, shape: str, allowed: str = "", max_length: int | None = None) -> NameRule:
    found = _shape(service, shape)
    return NameRule(
        found["pattern"],
        found.get("max", max_length or 0),
        found.get("min", 1),
        allowed,
        f"botocore's {service} model, shape {shape}",
    )


_NAME_RULES: dict[str, Callable[[], NameRule]] = {
    "bucket": lambda: NameRule(
        r"(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$)(?!\d+\.\d+\.\d+\.\d+$)"
        r"(?!.*\.\.)[a-z0-9][a-z0-9.-]*[a-z0-9]",
        63,
        3,
        source="S3 user guide, General purpose bucket naming rules: lower-case letters, digits, dots and hyphens, "
        "a letter or digit at each end, no reserved prefix or suffix",
    ),
    "role": lambda: _from_botocore("iam", "roleNameType", "ASCII letters and digits and _ + = , . @ -"),
    "key alias": lambda: NameRule(
        r"alias/(?!aws/)[a-zA-Z0-9/_-]+",
        _shape("kms", "AliasNameType")["max"],
        source="KMS API reference, CreateAlias: alias/ and ASCII letters, digits, / _ -, not alias/aws/",
    ),
    "workgroup": lambda: _from_botocore("athena", "WorkGroupName", "ASCII letters and digits and . _ -", 128),
    "stack": lambda: NameRule(
        r"[A-Za-z][A-Za-z0-9-]*",
        128,
        source="CloudFormation API reference, CreateStack "
        "StackName: ASCII letters, digits and hyphens, starting with a letter",
    ),
    "database": lambda: _from_botocore("glue", "NameString"),
    "quality ruleset": lambda: _from_botocore("glue", "NameString"),
    "LF-tag key": lambda: _from_botocore("lakeformation", "LFTagKey", "letters, digits, spaces and _ . : / = + - @ %"),
    "LF-tag value": lambda: _from_botocore(
        "lakeformation", "LFTagValue", "letters, digits, spaces and _ . : * / = + - @ %"
    ),
    "tag value": lambda: _from_botocore("iam", "tagValueType", "letters, digits, spaces and _ . : / = + - @"),
}


@cache
def name_rule(kind: str) -> NameRule:
    """AWS's rule for a kind of name: ``bucket``, ``role``, ``key alias``, ``workgroup``, ``stack``,
    ``database``, ``quality ruleset``, ``LF-tag key``, ``LF-tag value`` or (resource) ``tag value``."""
    return _NAME_RULES[kind]()


def name_problem(kind: str, name: str) -> str | None:
    """What AWS would refuse in ``name`` as a ``kind`` (see :func:`name_rule`), or ``None``."""
    return name_rule(kind).problem(kind, name)


def domain_names(
    mesh: str, domain: str, account: str, region: str, identity_center: bool = False
) -> list[tuple[str, str]]:
    """Every (kind, physical name) a domain's stacks and the deploy's API steps may create, for the loader's check
    against AWS's rules; with ``identity_center`` (the domain's principals name Identity Center users or groups),
    its Identity Center workgroup and that workgroup's execution role."""
    buckets = (data_bucket, access_log_bucket, query_results_bucket, query_results_log_bucket)
    return [
        *(("bucket", name(mesh, domain, account, region)) for name in buckets),
        ("role", producer_role(mesh, domain)),
        ("role", analyst_role(mesh, domain)),
        ("key alias", data_key_alias(mesh, domain)),
        ("key alias", query_key_alias(mesh, domain)),
        ("workgroup", workgroup(mesh, domain)),
        *(("stack", stack_name(mesh, stack_id(domain, wave))) for wave in WAVES[1:]),
        *(
            [
                ("role", identity_center_query_role(mesh, domain)),
                ("role", access_grants_role(mesh, domain)),
                ("workgroup", identity_center_workgroup(mesh, domain)),
            ]
            if identity_center
            else []
        ),
    ]


def mesh_names(mesh: str, region: str, tooling_account: str | None) -> list[tuple[str, str]]:
    """Every (kind, physical name) of the mesh's own stacks (and of its pipeline, delivered from ``tooling_account``)."""
    names = [
        ("role", registration_role(mesh)),
        ("key alias", catalog_key_alias(mesh)),
        ("stack", stack_name(mesh, GOVERNANCE_STACK)),
    ]
    if tooling_account:
        names += [
            ("bucket", pipeline_artifacts_bucket(mesh, tooling_account, region)),
            ("bucket", pipeline_logs_bucket(mesh, tooling_account, region)),
            ("key alias", pipeline_key_alias(mesh)),
            ("stack", stack_name(mesh, PIPELINE_STACK)),
        ]
    return names


def product_names(domain: str, product: str, tables: Iterable[str]) -> list[tuple[str, str]]:
    """Every (kind, physical name) of a product's catalog entry, for the loader's check against AWS's rules."""
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


def data_filter(mesh: str, consumer: str) -> str:
    """A consumer's data cells filter on a table (one per consumer and table; Lake Formation's NameString)."""
    return f"{mesh}-{consumer}"


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


def identity_center_workgroup(mesh: str, domain: str) -> str:
    """The Athena workgroup where a consumer's Identity Center users query as themselves (trusted identity
    propagation); made through Athena's API, as CloudFormation's workgroup has no Identity Center setting."""
    return f"{mesh}-{domain}-identity-center"


def identity_center_query_role(mesh: str, domain: str) -> str:
    """The execution role of :func:`identity_center_workgroup`, which Athena assumes for its users."""
    return f"{mesh}-{domain}-identity-center-queries"


def identity_center_results(mesh: str, domain: str, account: str, region: str) -> str:
    """Where :func:`identity_center_workgroup` writes query results (an Athena output location)."""
    return f"s3://{query_results_bucket(mesh, domain, account, region)}/{QUERY_RESULTS_PREFIX}identity-center/"


def access_grants_role(mesh: str, domain: str) -> str:
    """The role S3 Access Grants assumes to vend a consumer's Identity Center users their query results."""
    return f"{mesh}-{domain}-results-access-grants"


def cdk_exec_role_arn(qualifier: str, account: str, region: str) -> str:
    return f"arn:aws:iam::{account}:role/cdk-{qualifier}-cfn-exec-role-{account}-{region}"


def role_arn(account: str, role: str) -> str:
    return f"arn:aws:iam::{account}:role/{role}"


def identity_center_principal(kind: str, entity_id: str) -> str:
    """Lake Formation's ``DataLakePrincipalIdentifier`` of an IAM Identity Center ``user`` or ``group`` (Lake
    Formation guide, "Granting permissions to users and groups": ``arn:aws:identitystore:::user/<UserId>``)."""
    return f"arn:aws:identitystore:::{kind}/{entity_id}"


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


def _bounded(name: str, limit: int) -> str:
    """``name`` if it fits ``limit``, else its head and a checksum of the whole (distinct names stay distinct)."""
    if len(name) <= limit:
        return name
    return f"{name[: limit - 9]}-{zlib.crc32(name.encode()):08x}"


def alerts_topic(mesh: str, domain: str) -> str:
    """SNS topic in the governance account that tells a producing domain's owner and the platform team."""
    return f"{mesh}-{domain}-alerts"


def quality_role(mesh: str, domain: str) -> str:
    """Role in the governance account that Glue Data Quality runs a producer's rulesets as."""
    return f"{mesh}-{domain}-quality"


def quality_schedule(mesh: str, ruleset: str) -> str:
    """EventBridge Scheduler schedule that starts one ruleset's evaluation (names: at most 64 characters)."""
    return _bounded(f"{mesh}-{ruleset}".replace(".", "-").replace("_", "-"), 64)


def partitions_role(mesh: str, domain: str) -> str:
    """Role in the governance account that Glue crawlers register a producer's partitions as."""
    return f"{mesh}-{domain}-partitions"


def crawler_logs_key_alias(mesh: str, domain: str) -> str:
    """The key that encrypts the CloudWatch logs of a producer's partition crawlers (governance account)."""
    return f"alias/{mesh}/{domain}/crawler-logs"


def crawler_security_configuration(mesh: str, domain: str) -> str:
    """Glue security configuration of a producer's partition crawlers: their logs encrypted with its key."""
    return f"{mesh}-{domain}-crawlers"


def partition_crawler(mesh: str, ruleset: str) -> str:
    """Glue crawler in the governance account that registers the partitions of one evaluated table."""
    return f"{mesh}-{ruleset}-partitions".replace(".", "-").replace("_", "-")


def crawl_schedule(mesh: str, ruleset: str) -> str:
    """EventBridge Scheduler schedule that starts one table's partition crawler (at most 64 characters)."""
    return _bounded(f"{mesh}-{ruleset}-crawl".replace(".", "-").replace("_", "-"), 64)


def quality_results_rule(mesh: str, domain: str) -> str:
    """EventBridge rule in the governance account routing a producer's Data Quality results to its topic."""
    return f"{mesh}-{domain}-quality-results"


def landing_rule(mesh: str, domain: str) -> str:
    """EventBridge rule in a producer account forwarding its data bucket's new objects to the governance account."""
    return f"{mesh}-{domain}-landing"


def organization_landing_statement(mesh: str) -> str:
    """Statement id of the governance account's default bus policy letting the organization put events on it."""
    return f"{mesh}-organization-landing"


def landing_role(mesh: str, domain: str) -> str:
    """Role EventBridge assumes in a producer account to put events on the governance account's default bus."""
    return f"{mesh}-{domain}-landing-events"


def freshness_rule(mesh: str, domain: str, product: str) -> str:
    """EventBridge rule in the governance account matching a product's new objects; its metric feeds the alarm."""
    return _bounded(f"{mesh}-{domain}-{product}-landed", 64)


def freshness_alarm(mesh: str, domain: str, product: str) -> str:
    """CloudWatch alarm in the governance account: no new object of the product within its staleness threshold."""
    return f"{mesh}-{domain}-{product}-stale"


def quality_scheduler_role(mesh: str, domain: str) -> str:
    """Role EventBridge Scheduler assumes in the governance account to start a producer's evaluations."""
    return f"{mesh}-{domain}-quality-scheduler"
