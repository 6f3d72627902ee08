"""Doctor's checks of the accounts' own resources: Lake Formation settings, roles, buckets, keys, workgroups.

Each function reads one resource through boto3 and returns one :class:`~datamesh.doctor.findings.Finding`:
``ok``, ``missing`` (the resource is not there) or ``different`` (its detail lists each property
that is not as deployed). The expected names and properties come from the blueprint.

A resource is missing only when its API answers with its documented not-found answer
(:class:`~datamesh.aws.answers.NotFound`, raised by the clients of
:class:`~datamesh.aws.sessions.Accounts`); any other failure propagates as "cannot read".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from datamesh.aws.answers import NotFound, required
from datamesh.aws.sessions import items
from datamesh.doctor import key_access
from datamesh.doctor.findings import Finding, Status
from datamesh.doctor.read_once import ReadOnce

Reach = Callable[[str, str], Any]  # (account, service) -> boto3 client in that account


def _judged(domain: str, check: str, resource: str, problems: list[str], product: str = "") -> Finding:
    if problems:
        return Finding(domain, product, check, resource, Status.DIFFERENT, "; ".join(problems))
    return Finding(domain, product, check, resource, Status.OK)


def _missing(domain: str, check: str, resource: str, what: str, product: str = "") -> Finding:
    return Finding(domain, product, check, resource, Status.MISSING, f"expected {what}")


def check_admins(settings: dict[str, Any], account: str, domain: str, wanted: list[str]) -> Finding:
    """The roles the mesh makes Lake Formation admins of ``account`` (its ``DataLakeSettings``) are admins
    (others may be too)."""
    admins = {a["DataLakePrincipalIdentifier"] for a in settings.get("DataLakeAdmins", [])}
    missing = [arn for arn in wanted if arn not in admins]
    return _judged(domain, "lf-admins", account, [f"not admins: {', '.join(missing)}"] if missing else [])


def check_lf_tag_values(lakeformation: Any, catalog: str, wanted: dict[str, list[str]]) -> list[Finding]:
    """Each LF-tag of the mesh's taxonomy with exactly its values."""
    found = {t["TagKey"]: t["TagValues"] for t in items(lakeformation, "list_lf_tags", "LFTags", CatalogId=catalog)}
    findings = []
    for key, values in wanted.items():
        if key not in found:
            findings.append(_missing("", "lf-tag-values", key, f"values {', '.join(values)}"))
        else:
            differ = sorted(found[key]) != sorted(values)
            findings.append(
                _judged(
                    "",
                    "lf-tag-values",
                    key,
                    [f"expected {', '.join(sorted(values))}, found {', '.join(sorted(found[key]))}"] if differ else [],
                )
            )
    return findings


def _key_arn(kms: Any, alias: str) -> str | None:
    try:
        return kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
    except NotFound:
        return None


def check_catalog_encryption(glue: Any, kms: Any, catalog: str, alias: str) -> Finding:
    """The Glue Data Catalog is encrypted at rest with SSE-KMS and the key of ``alias``."""
    at_rest = glue.get_data_catalog_encryption_settings(CatalogId=catalog)["DataCatalogEncryptionSettings"].get(
        "EncryptionAtRest", {}
    )
    key = _key_arn(kms, alias)
    if key is None:
        return _missing("", "catalog-encryption", alias, f"the KMS key {alias}")
    problems = []
    if at_rest.get("CatalogEncryptionMode") != "SSE-KMS":
        problems.append(f"mode {at_rest.get('CatalogEncryptionMode', 'DISABLED')}, expected SSE-KMS")
    if at_rest.get("SseAwsKmsKeyId") != key:
        problems.append(f"key {at_rest.get('SseAwsKmsKeyId')}, expected {key}")
    return _judged("", "catalog-encryption", alias, problems)


def check_role(iam: Any, domain: str, name: str) -> Finding:
    try:
        iam.get_role(RoleName=name)
    except NotFound:
        return _missing(domain, "role", name, "the IAM role")
    return Finding(domain, "", "role", name, Status.OK)


def _or_none(call: Callable[[], Any]) -> Any:
    """The call's result, or None when its API answers that there is none (nothing configured)."""
    try:
        return call()
    except NotFound:
        return None


def check_bucket(s3: Any, kms: Any, domain: str, bucket: str, key_alias: str | None, log_target: str | None) -> Finding:
    """Versioned, every public access blocked, encrypted by default with the key of ``key_alias`` (SSE-KMS)
    or, when None, with S3-managed keys (SSE-S3, what access-log buckets need), access logs to ``log_target``
    when given."""
    try:
        versioning = s3.get_bucket_versioning(Bucket=bucket).get("Status", "never enabled")
    except NotFound:
        return _missing(domain, "bucket", bucket, "the bucket")
    problems = [] if versioning == "Enabled" else [f"versioning {versioning}"]
    block = _or_none(lambda: s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]) or {}
    off = [
        name
        for name in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
        if not block.get(name)
    ]
    if off:
        problems.append(f"public access not blocked: {', '.join(off)}")
    rules = _or_none(lambda: s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]) or [
        {}
    ]
    default = rules[0].get("ApplyServerSideEncryptionByDefault", {})
    algorithm = "AES256" if key_alias is None else "aws:kms"
    if default.get("SSEAlgorithm") != algorithm:
        problems.append(f"default encryption {default.get('SSEAlgorithm', 'none')}, expected {algorithm}")
    elif key_alias is not None and default.get("KMSMasterKeyID") != _key_arn(kms, key_alias):
        problems.append(f"encrypted with {default.get('KMSMasterKeyID')}, expected the key of {key_alias}")
    if log_target is not None:
        logging = s3.get_bucket_logging(Bucket=bucket).get("LoggingEnabled", {})
        if logging.get("TargetBucket") != log_target:
            problems.append(f"access logs to {logging.get('TargetBucket', 'nowhere')}, expected {log_target}")
    return _judged(domain, "bucket", bucket, problems)


def check_bucket_policy(s3: Any, domain: str, bucket: str, principal: str) -> Finding:
    """The bucket policy has an ``Allow`` statement naming ``principal``."""
    policy = _or_none(lambda: s3.get_bucket_policy(Bucket=bucket)["Policy"])
    resource = f"{bucket} allows {principal}"
    if policy is None:
        return _missing(domain, "bucket-policy", resource, "a bucket policy")
    named = [
        s for s in key_access.statements(policy) if s.get("Effect") == "Allow" and principal in key_access.principals(s)
    ]
    return _judged(domain, "bucket-policy", resource, [] if named else [f"no statement allows {principal}"])


def role_statements(iam: Any, role_arn: str) -> list[key_access.Statement]:
    """The statements of every inline and attached policy of a role."""
    name = role_arn.rsplit("/", 1)[-1]
    found = [
        s
        for policy in items(iam, "list_role_policies", "PolicyNames", RoleName=name)
        for s in key_access.statements(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])
    ]
    for attached in items(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name):
        version = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=version)["PolicyVersion"][
            "Document"
        ]
        found += key_access.statements(document)
    return found


def check_key_access(
    reach: Reach,
    once: ReadOnce,
    domain: str,
    role_arn: str,
    key_account: str,
    alias: str,
    actions: tuple[str, ...],
    via: str,
) -> Finding:
    """``role_arn`` may call each of ``actions`` on the key of ``alias`` through ``via``: by the key
    policy (read in ``key_account``) and the role's IAM policies (read in the role's account), each
    read once per run (``once``) however many checks judge it."""
    kms = reach(key_account, "kms")
    resource = f"{role_arn} may {', '.join(actions)} with {alias} via {via}"
    key = once(("key", key_account, alias), lambda: _key_arn(kms, alias))
    if key is None:
        return _missing(domain, "key-access", resource, f"the KMS key {alias} in account {key_account}")
    key_policy = once(
        ("key-policy", key),
        lambda: key_access.statements(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"]),
    )
    iam = reach(role_arn.split(":")[4], "iam")
    try:
        identity = once(("role", role_arn), lambda: role_statements(iam, role_arn))
    except NotFound:
        return _missing(domain, "key-access", resource, f"the role {role_arn}")
    problems = [p for p in (key_access.problem(role_arn, key, a, via, key_policy, identity) for a in actions) if p]
    return _judged(domain, "key-access", resource, problems)


def check_workgroup(athena: Any, domain: str, name: str, results_bucket: str) -> Finding:
    """Enabled, query results in ``results_bucket``, encrypted with SSE_KMS."""
    try:
        group = required(athena, "GetWorkGroup", athena.get_work_group(WorkGroup=name), "WorkGroup")
    except NotFound:
        return _missing(domain, "workgroup", name, "the Athena workgroup")
    result = group.get("Configuration", {}).get("ResultConfiguration", {})
    problems = [] if group.get("State") == "ENABLED" else [f"state {group.get('State')}"]
    if not result.get("OutputLocation", "").startswith(f"s3://{results_bucket}/"):
        problems.append(f"results to {result.get('OutputLocation', 'nowhere')}, expected s3://{results_bucket}/")
    encryption = result.get("EncryptionConfiguration", {}).get("EncryptionOption", "none")
    if encryption != "SSE_KMS":
        problems.append(f"results encryption {encryption}, expected SSE_KMS")
    return _judged(domain, "workgroup", name, problems)
