"""What a deployed mesh must look like, derived from its parameter files, read back via boto3.

Each :class:`Expectation` names the account whose APIs answer it and checks one promise
of the mesh (a bucket, a grant, a resource link...). Nothing here is specific to the
example mesh: names come from :mod:`datamesh.naming`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from datamesh import naming
from datamesh.config import DomainConfig, Mesh, Permission, Product, Share, ShareState
from datamesh.config.models import ProductTable
from datamesh.contracts import dqdl
from datamesh.contracts.projection import projection_parameters
from datamesh.blueprint import CATALOG_KEY_ACTIONS, PRODUCER_DATABASE_PERMISSIONS, PRODUCER_TABLE_PERMISSIONS
from datamesh.blueprint import lake_formation_admins as lake_formation_admin_arns
from datamesh.blueprint.accounts import lf_tags
from localaws.accounts import Accounts
from localaws.resources import policies


Check = Callable[[Accounts], "str | None"]


@dataclass(frozen=True)
class Expectation:
    """One promise of the mesh: ``check`` returns None when it holds, else what was found."""

    section: str
    account: str
    claim: str
    check: Check

    def verify(self, aws: Accounts) -> str | None:
        try:
            return self.check(aws)
        except ClientError as error:
            return f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"


def expectations(mesh: Mesh) -> list[Expectation]:
    """Every expectation of ``mesh``: governance, then each domain, product and share."""
    found = list(_governance(mesh))
    for domain in mesh.domains:
        if domain.is_producer:
            found += _producer(mesh, domain)
            for product in domain.products:
                found += _product(mesh, domain, product)
        if domain.is_consumer:
            found += _consumer(mesh, domain)
    for share in mesh.shares():
        found += _granted(mesh, share) if share.state is ShareState.GRANTED else _pending(mesh, share)
    return found


def verify(mesh: Mesh, aws: Accounts) -> list[tuple[Expectation, str | None]]:
    """Every expectation of the mesh with what was wrong (None when it holds)."""
    return [(e, e.verify(aws)) for e in expectations(mesh)]


def report(outcomes: list[tuple[Expectation, str | None]]) -> bool:
    """Print a PASS/FAIL line per expectation, grouped by section; True if all passed."""
    section = None
    for expectation, problem in outcomes:
        if expectation.section != section:
            section = expectation.section
            print(f"\n{section}")
        if problem is None:
            print(f"  PASS  {expectation.claim}")
        else:
            print(f"  FAIL  {expectation.claim}: {problem}")
    failed = sum(1 for _, problem in outcomes if problem is not None)
    print(f"\n{len(outcomes)} expectations: {len(outcomes) - failed} passed, {failed} failed")
    return failed == 0


# Governance ---------------------------------------------------------------------------


def _governance(mesh: Mesh) -> Iterator[Expectation]:
    cfg = mesh.config
    gov = cfg.governance_account
    section = f"governance (account {gov})"
    yield _admins(section, mesh, gov)
    for key, values in lf_tags(mesh).items():
        yield Expectation(section, gov, f"LF-tag {key} = {', '.join(values)}", _lf_tag(gov, key, values))
    yield Expectation(section, gov, f"Glue catalog encrypted (SSE-KMS, key alias/{cfg.name}/catalog)",
                      _catalog_encryption(gov, f"alias/{cfg.name}/catalog"))
    yield Expectation(section, gov, f"role {naming.registration_role(cfg.name)} (Lake Formation reads producer data)",
                      _role(gov, naming.registration_role(cfg.name)))


def _admins(section: str, mesh: Mesh, account: str) -> Expectation:
    wanted = lake_formation_admin_arns(mesh, account)

    def check(aws: Accounts) -> str | None:
        settings = aws.client("lakeformation", account).get_data_lake_settings(CatalogId=account)["DataLakeSettings"]
        admins = {a["DataLakePrincipalIdentifier"] for a in settings.get("DataLakeAdmins", [])}
        missing = [a for a in wanted if a not in admins]
        return f"not admins: {', '.join(missing)}" if missing else None

    return Expectation(section, account, f"Lake Formation admins include {', '.join(wanted)}", check)


def _lf_tag(account: str, key: str, values: list[str]) -> Check:
    def check(aws: Accounts) -> str | None:
        tags = aws.client("lakeformation", account).list_lf_tags(CatalogId=account)["LFTags"]
        found = next((t["TagValues"] for t in tags if t["TagKey"] == key), None)
        return None if found is not None and sorted(found) == sorted(values) else f"found {found}"

    return check


def _catalog_encryption(account: str, alias: str) -> Check:
    def check(aws: Accounts) -> str | None:
        settings = aws.client("glue", account).get_data_catalog_encryption_settings(CatalogId=account)
        at_rest = settings["DataCatalogEncryptionSettings"]["EncryptionAtRest"]
        key = aws.client("kms", account).describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
        if at_rest.get("CatalogEncryptionMode") != "SSE-KMS" or at_rest.get("SseAwsKmsKeyId") != key:
            return f"found {at_rest}"
        return None

    return check


def _role(account: str, name: str) -> Check:
    def check(aws: Accounts) -> str | None:
        aws.client("iam", account).get_role(RoleName=name)
        return None

    return check


# Producers and their products ---------------------------------------------------------


def _producer(mesh: Mesh, domain: DomainConfig) -> Iterator[Expectation]:
    cfg = mesh.config
    account, gov = domain.account, cfg.governance_account
    section = f"domain {domain.name} (producer, account {account})"
    data = naming.data_bucket(cfg.name, domain.name, account, cfg.region)
    logs = naming.access_log_bucket(cfg.name, domain.name, account, cfg.region)
    alias = naming.data_key_alias(cfg.name, domain.name)
    reader_role = naming.role_arn(gov, naming.registration_role(cfg.name))
    yield _admins(section, mesh, account)
    yield Expectation(section, account, f"bucket {data}: versioned, public access blocked, encrypted with {alias}",
                      _secure_bucket(account, data, alias))
    yield Expectation(section, account, f"bucket {data} logs to {logs}", _logs_to(account, data, logs))
    yield Expectation(section, account, f"bucket policy of {data} lets {reader_role} read",
                      _bucket_policy_names(account, data, reader_role))
    yield Expectation(section, account, f"{reader_role} may decrypt with {alias} through S3 (key and IAM policy)",
                      _may_use_key(reader_role, account, alias, ["kms:Decrypt"], f"s3.{cfg.region}.amazonaws.com"))
    yield Expectation(section, account, f"role {naming.producer_role(cfg.name, domain.name)}",
                      _role(account, naming.producer_role(cfg.name, domain.name)))
    yield Expectation(section, gov, f"s3://{data} registered with Lake Formation (role {reader_role})",
                      _registered(gov, f"arn:aws:s3:::{data}", reader_role))


def _secure_bucket(account: str, bucket: str, key_alias: str | None) -> Check:
    """Versioned, public access blocked, SSE-KMS (with the key of ``key_alias`` if given)."""

    def check(aws: Accounts) -> str | None:
        s3 = aws.client("s3", account)
        problems = []
        if s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled":
            problems.append("not versioned")
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        if not all(block.values()):
            problems.append(f"public access block {block}")
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        default = rule["ApplyServerSideEncryptionByDefault"]
        key = key_alias and aws.client("kms", account).describe_key(KeyId=key_alias)["KeyMetadata"]["Arn"]
        if default.get("SSEAlgorithm") != "aws:kms" or (key and default.get("KMSMasterKeyID") != key):
            problems.append(f"encryption {default}")
        return "; ".join(problems) or None

    return check


def _logs_to(account: str, bucket: str, target: str) -> Check:
    def check(aws: Accounts) -> str | None:
        logging = aws.client("s3", account).get_bucket_logging(Bucket=bucket).get("LoggingEnabled", {})
        return None if logging.get("TargetBucket") == target else f"found {logging or 'no access logging'}"

    return check


def _names(policy: str, principal: str) -> bool:
    statements = json.loads(policy)["Statement"]
    for statement in [statements] if isinstance(statements, dict) else statements:
        named = statement.get("Principal", {})
        names = named.get("AWS", []) if isinstance(named, dict) else []
        if statement["Effect"] == "Allow" and principal in ([names] if isinstance(names, str) else names):
            return True
    return False


def _bucket_policy_names(account: str, bucket: str, principal: str) -> Check:
    def check(aws: Accounts) -> str | None:
        policy = aws.client("s3", account).get_bucket_policy(Bucket=bucket)["Policy"]
        return None if _names(policy, principal) else "no statement allows it"

    return check


def _identity_policy(aws: Accounts, role_arn: str) -> list[dict[str, Any]]:
    """The statements of every inline and attached policy of a role."""
    account, name = role_arn.split(":")[4], role_arn.split("/")[-1]
    iam = aws.client("iam", account)
    found = [s for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]
             for s in policies.statements(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])]
    for attached in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]["DefaultVersionId"]
        found += policies.statements(iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"])
    return found


def _may_use_key(principal: str, key_account: str, alias: str, actions: list[str] | tuple[str, ...], via: str) -> Check:
    """Both the key policy and the principal's IAM policy let it use the key through ``via``."""

    def check(aws: Accounts) -> str | None:
        kms = aws.client("kms", key_account)
        key = kms.describe_key(KeyId=alias)["KeyMetadata"]
        key_policy = policies.statements(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
        identity = _identity_policy(aws, principal)
        denied = [policies.decide(policies.Request(principal, action, key["Arn"], {"kms:ViaService": via}), key_policy, identity)
                  for action in actions]
        return "; ".join(d for d in denied if d) or None

    return check


def _product_table(gov: str, section: str, database: str, product: Product, table: ProductTable,
                   location: str) -> Iterator[Expectation]:
    name = table.name
    columns = [c.name for c in table.columns]
    partitions = [c.name for c in table.partition_keys]
    yield Expectation(section, gov, f"table {database}.{name}: {', '.join(columns)}"
                      + (f"; partitioned by {', '.join(partitions)}" if partitions else ""),
                      _table(gov, database, name, columns, partitions))
    projection = projection_parameters(table, location)
    if projection:
        types = ", ".join(f"{k.name} {projection[f'projection.{k.name}.type']}" for k in table.partition_keys)
        yield Expectation(section, gov, f"table {database}.{name} partitions projected by Athena ({types})",
                          _table_parameters(gov, database, name, projection))
    if table.pii_columns:
        yield Expectation(section, gov, f"LF-tag pii=true on columns {', '.join(table.pii_columns)}"
                          + (f" of {name}" if name != product.name else ""),
                          _pii_tags(gov, database, name, table.pii_columns))
    contract = product.data_contract
    if contract is not None:
        yield Expectation(section, gov, f"table {database}.{name} records contract {contract.id} v{contract.version}",
                          _table_parameters(gov, database, name,
                                            {"datamesh:contract-id": contract.id, "datamesh:contract-version": contract.version}))
        rules = dqdl.ruleset(table.source) if table.source else None
        if rules is not None:
            ruleset = naming.quality_ruleset(database, product.name, name)
            yield Expectation(section, gov, f"data quality ruleset {ruleset} on {database}.{name}",
                              _ruleset(gov, ruleset, database, name, rules))


def _registered(account: str, arn: str, role: str) -> Check:
    def check(aws: Accounts) -> str | None:
        info = aws.client("lakeformation", account).describe_resource(ResourceArn=arn)["ResourceInfo"]
        return None if info.get("RoleArn") == role else f"registered with {info.get('RoleArn')}"

    return check


def _product(mesh: Mesh, domain: DomainConfig, product: Product) -> Iterator[Expectation]:
    cfg = mesh.config
    gov = cfg.governance_account
    section = f"product {domain.name}.{product.name} ({product.confidentiality})"
    database = naming.database(domain.name, product.name)
    location = f"s3://{naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region)}/{product.name}/"
    yield Expectation(section, gov, f"database {database} at {location}", _database(gov, database, location))
    domain_key = naming.domain_tag_key(domain.name, len(mesh.domains))
    yield Expectation(section, gov, f"LF-tags on {database}: {domain_key}={domain.name}, confidentiality={product.confidentiality}",
                      _database_tags(gov, database, {domain_key: domain.name, "confidentiality": product.confidentiality}))
    for table in product.tables:
        yield from _product_table(gov, section, database, product, table, location + table.folder)
    yield Expectation(section, gov, f"account {domain.account} manages {database}: {', '.join(PRODUCER_DATABASE_PERMISSIONS)}",
                      _holds(gov, domain.account, _database_match(gov, database), PRODUCER_DATABASE_PERMISSIONS, grantable=True))
    yield Expectation(section, gov, f"account {domain.account} manages every table of {database}: "
                      f"{', '.join(PRODUCER_TABLE_PERMISSIONS)}",
                      _holds(gov, domain.account, _table_match(gov, database, None), PRODUCER_TABLE_PERMISSIONS, grantable=True))


def _database(account: str, name: str, location: str) -> Check:
    def check(aws: Accounts) -> str | None:
        found = aws.client("glue", account).get_database(Name=name)["Database"]
        return None if found.get("LocationUri") == location else f"location {found.get('LocationUri')}"

    return check


def _table(account: str, database: str, name: str, columns: list[str], partitions: list[str]) -> Check:
    def check(aws: Accounts) -> str | None:
        table = aws.client("glue", account).get_table(DatabaseName=database, Name=name)["Table"]
        found = [c["Name"] for c in table["StorageDescriptor"]["Columns"]]
        found_partitions = [c["Name"] for c in table.get("PartitionKeys", [])]
        return None if (found, found_partitions) == (columns, partitions) else f"columns {found}, partitions {found_partitions}"

    return check


def _table_parameters(account: str, database: str, table: str, wanted: dict[str, str]) -> Check:
    def check(aws: Accounts) -> str | None:
        found = aws.client("glue", account).get_table(DatabaseName=database, Name=table)["Table"].get("Parameters", {})
        return None if all(found.get(k) == v for k, v in wanted.items()) else f"parameters {found}"

    return check


def _ruleset(account: str, name: str, database: str, table: str, rules: str) -> Check:
    def check(aws: Accounts) -> str | None:
        found = aws.client("glue", account).get_data_quality_ruleset(Name=name)
        target = found.get("TargetTable", {})
        if (target.get("DatabaseName"), target.get("TableName")) != (database, table):
            return f"targets {target}"
        return None if found.get("Ruleset") == rules else "different rules"

    return check


def _database_tags(account: str, database: str, wanted: dict[str, str]) -> Check:
    def check(aws: Accounts) -> str | None:
        tags = aws.client("lakeformation", account).get_resource_lf_tags(
            CatalogId=account, Resource={"Database": {"CatalogId": account, "Name": database}}
        ).get("LFTagOnDatabase", [])
        found = {t["TagKey"]: t["TagValues"] for t in tags}
        return None if all(found.get(k) == [v] for k, v in wanted.items()) else f"found {found}"

    return check


def _pii_tags(account: str, database: str, table: str, columns: list[str]) -> Check:
    def check(aws: Accounts) -> str | None:
        tagged = aws.client("lakeformation", account).get_resource_lf_tags(
            CatalogId=account,
            Resource={"TableWithColumns": {"CatalogId": account, "DatabaseName": database, "Name": table, "ColumnNames": columns}},
        ).get("LFTagsOnColumns", [])
        pii = {c["Name"] for c in tagged if {t["TagKey"]: t["TagValues"] for t in c["LFTags"]}.get("pii") == ["true"]}
        missing = [c for c in columns if c not in pii]
        return f"not tagged: {', '.join(missing)}" if missing else None

    return check


# Grants --------------------------------------------------------------------------------

Match = Callable[[dict[str, Any]], bool]


def _database_match(catalog: str, database: str) -> Match:
    def match(resource: dict[str, Any]) -> bool:
        spec = resource.get("Database", {})
        return spec.get("CatalogId") == catalog and spec.get("Name") == database

    return match


def _table_match(catalog: str, database: str, table: str | None, excluded: list[str] | None = None) -> Match:
    """A table (every table when ``table`` is None), or, when ``excluded`` is given, all its
    columns but those (all of them when it is empty)."""

    def match(resource: dict[str, Any]) -> bool:
        if excluded is not None:
            spec = resource.get("TableWithColumns", {})
            wildcard = spec.get("ColumnWildcard")
            same = spec.get("Name") == table and wildcard is not None and sorted(wildcard.get("ExcludedColumnNames", [])) == sorted(excluded)
        else:
            spec = resource.get("Table", {})
            same = "TableWildcard" in spec if table is None else spec.get("Name") == table
        return same and spec.get("CatalogId") == catalog and spec.get("DatabaseName") == database

    return match


def _on_database(catalogs: tuple[str, ...], database: str) -> Match:
    """Anything named ``database`` in one of ``catalogs``: the database, a table or columns of it."""

    def match(resource: dict[str, Any]) -> bool:
        spec = next(iter(resource.values()), {})
        name = spec.get("Name") if "Database" in resource else spec.get("DatabaseName")
        return spec.get("CatalogId") in catalogs and name == database

    return match


def _grants(aws: Accounts, account: str, principal: str) -> list[dict[str, Any]]:
    """Grants made in ``account``'s catalog to ``principal`` (the API filters by principal
    only together with a resource, so all are read)."""
    listed = aws.client("lakeformation", account).list_permissions(CatalogId=account)["PrincipalResourcePermissions"]
    return [g for g in listed if g["Principal"]["DataLakePrincipalIdentifier"] == principal]


def _holds(account: str, principal: str, match: Match, permissions: tuple[str, ...] | list[str], *, grantable: bool) -> Check:
    def check(aws: Accounts) -> str | None:
        held: set[str] = set()
        for grant in _grants(aws, account, principal):
            if match(grant["Resource"]):
                held |= set(grant["PermissionsWithGrantOption"] if grantable else grant["Permissions"])
        missing = [p for p in permissions if p not in held]
        return f"missing {', '.join(missing)}" if missing else None

    return check


def _on_table(catalog: str, database: str, table: str) -> Match:
    """The table ``database.table`` in ``catalog``, or columns of it."""

    def match(resource: dict[str, Any]) -> bool:
        spec = resource.get("Table") or resource.get("TableWithColumns") or {}
        return (spec.get("CatalogId"), spec.get("DatabaseName"), spec.get("Name")) == (catalog, database, table)

    return match


def _holds_nothing(account: str, principal: str, match: Match) -> Check:
    def check(aws: Accounts) -> str | None:
        found = [g for g in _grants(aws, account, principal) if match(g["Resource"])]
        return f"holds {', '.join(sorted({p for g in found for p in g['Permissions']}))}" if found else None

    return check


def _share_section(share: Share) -> str:
    return f"share {share}"


def _granted(mesh: Mesh, share: Share) -> Iterator[Expectation]:
    cfg = mesh.config
    gov = cfg.governance_account
    consumer = mesh.domain(share.consumer).account
    product = mesh.product(share.producer, share.product)
    database = naming.database(share.producer, share.product)
    analyst = naming.role_arn(consumer, naming.analyst_role(cfg.name, share.consumer))
    section = _share_section(share)
    yield Expectation(section, gov, f"account {consumer} may describe {database} (and grant it)",
                      _holds(gov, consumer, _database_match(gov, database), ["DESCRIBE"], grantable=True))
    tables = product.tables_named(share.tables)
    for table in tables:
        for permission, match in _table_grants(gov, database, table, share):
            withheld = f" (pii columns {', '.join(table.pii_columns)} withheld)" \
                if permission == "SELECT" and table.pii_columns else ""
            yield Expectation(section, gov, f"account {consumer} holds {permission} on {database}.{table.name}{withheld}",
                              _holds(gov, consumer, match, [permission], grantable=True))
    yield Expectation(section, consumer, f"resource link {database} in account {consumer} -> {gov}/{database}",
                      _resource_link(consumer, database, gov))
    yield Expectation(section, consumer, f"{analyst} may describe the link",
                      _holds(consumer, analyst, _database_match(consumer, database), ["DESCRIBE"], grantable=False))
    for table in tables:
        for permission, match in _table_grants(gov, database, table, share):
            yield Expectation(section, consumer, f"{analyst} holds {permission} on {database}.{table.name}",
                              _holds(consumer, analyst, match, [permission], grantable=False))
    for table in (t for t in product.tables if t not in tables):
        yield Expectation(section, gov, f"account {consumer} holds nothing on {database}.{table.name} (not subscribed)",
                          _holds_nothing(gov, consumer, _on_table(gov, database, table.name)))


def _table_grants(gov: str, database: str, table: ProductTable, share: Share) -> list[tuple[str, Any]]:
    """(permission, match) of each permission ``share`` asks for on ``table``; SELECT leaves out its pii."""
    return [(p.value, _table_match(gov, database, table.name, table.pii_columns if p is Permission.SELECT else None))
            for p in share.permissions]


def _pending(mesh: Mesh, share: Share) -> Iterator[Expectation]:
    cfg = mesh.config
    gov = cfg.governance_account
    consumer = mesh.domain(share.consumer).account
    database = naming.database(share.producer, share.product)
    analyst = naming.role_arn(consumer, naming.analyst_role(cfg.name, share.consumer))
    section = _share_section(share)
    yield Expectation(section, gov, f"account {consumer} holds nothing on {database}",
                      _holds_nothing(gov, consumer, _on_database((gov,), database)))
    yield Expectation(section, consumer, f"no resource link {database} in account {consumer}", _no_database(consumer, database))
    yield Expectation(section, consumer, f"{analyst} holds nothing on {database}",
                      _holds_nothing(consumer, analyst, _on_database((gov, consumer), database)))


def _resource_link(account: str, name: str, target_catalog: str) -> Check:
    def check(aws: Accounts) -> str | None:
        target = aws.client("glue", account).get_database(Name=name)["Database"].get("TargetDatabase", {})
        return None if target == {"CatalogId": target_catalog, "DatabaseName": name} else f"target {target or 'none'}"

    return check


def _no_database(account: str, name: str) -> Check:
    def check(aws: Accounts) -> str | None:
        try:
            aws.client("glue", account).get_database(Name=name)
        except ClientError as error:
            if error.response["Error"]["Code"] == "EntityNotFoundException":
                return None
            raise
        return "it exists"

    return check


# Consumers ----------------------------------------------------------------------------


def _consumer(mesh: Mesh, domain: DomainConfig) -> Iterator[Expectation]:
    cfg = mesh.config
    account = domain.account
    section = f"domain {domain.name} (consumer, account {account})"
    workgroup = naming.workgroup(cfg.name, domain.name)
    results = naming.query_results_bucket(cfg.name, domain.name, account, cfg.region)
    if not domain.is_producer:
        yield _admins(section, mesh, account)
    yield Expectation(section, account, f"workgroup {workgroup}: enabled, results in s3://{results}/, SSE-KMS",
                      _workgroup(account, workgroup, results))
    yield Expectation(section, account, f"bucket {results}: versioned, public access blocked, KMS-encrypted",
                      _secure_bucket(account, results, None))
    yield Expectation(section, account, f"role {naming.analyst_role(cfg.name, domain.name)}",
                      _role(account, naming.analyst_role(cfg.name, domain.name)))
    if mesh.granted_shares(consumer=domain.name):
        analyst = naming.role_arn(account, naming.analyst_role(cfg.name, domain.name))
        yield Expectation(section, account, f"{analyst} may use alias/{cfg.name}/catalog through Glue, as Athena does "
                          f"with an encrypted catalog ({', '.join(CATALOG_KEY_ACTIONS)}; key and IAM policy)",
                          _may_use_key(analyst, cfg.governance_account, f"alias/{cfg.name}/catalog", CATALOG_KEY_ACTIONS,
                                       f"glue.{cfg.region}.amazonaws.com"))


def _workgroup(account: str, name: str, results: str) -> Check:
    def check(aws: Accounts) -> str | None:
        group = aws.client("athena", account).get_work_group(WorkGroup=name)["WorkGroup"]
        result = group["Configuration"].get("ResultConfiguration", {})
        problems = []
        if group.get("State") != "ENABLED":
            problems.append(f"state {group.get('State')}")
        if not result.get("OutputLocation", "").startswith(f"s3://{results}/"):
            problems.append(f"results to {result.get('OutputLocation')}")
        if result.get("EncryptionConfiguration", {}).get("EncryptionOption") != "SSE_KMS":
            problems.append(f"encryption {result.get('EncryptionConfiguration')}")
        return "; ".join(problems) or None

    return check
