"""The conformance run: write sample data as each producer, then check every granted share as its consumer would
use it, and run doctor's checks.

Against real AWS every check is made as the principal it concerns, through the API that principal would use
(S3 as the producer role, Athena and Glue as the analyst role). Against the local AWS (an endpoint URL: a
moto server) what the emulator cannot answer is reported as not checkable locally, with the reason, and what
it can answer is checked: the files written, the workgroup, and each query's permission path through the Lake
Formation grants and resource links as read back.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import boto3

from datamesh.aws import sessions as aws
from datamesh.blueprint import Blueprint, Grant, Resource, blueprint
from datamesh.config import Mesh, Permission, Share
from datamesh.config.conformance_report import Check, CheckStatus, ConformanceReport
from datamesh.conformance import upload
from datamesh.conformance.principals import Principals
from datamesh.conformance.sample_data import TableSample, plan
from datamesh.conformance.upload import error_code, failure, request_id
from datamesh.doctor.findings import Finding
from datamesh.doctor.run import run_checks
from datamesh.names import naming
from datamesh.names.glue_grammar import INTEGERS

PASS, FAIL, LOCAL = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.NOT_CHECKABLE
REFUSALS = {"AccessDenied", "AccessDeniedException", "EntityNotFoundException"}
NO_SQL = "moto's Athena does not execute SQL: it accepts a query and answers no rows"
NO_IAM = "moto does not enforce IAM policies, bucket policies or key policies"
QUERY_TIMEOUT = 300


def share_name(share: Share) -> str:
    return f"{share.consumer}:{share.producer}.{share.product}"


class Run:
    """One conformance run of ``mesh``; :meth:`checks` yields each check as it is made."""

    def __init__(
        self,
        mesh: Mesh,
        settings: aws.Settings,
        seed: int,
        rows: int,
        today: date,
        base: boto3.Session | None = None,
        local: bool | None = None,
    ):
        """:param local: whether AWS is the local AWS, which answers only some checks; default: whether
        ``settings`` has an endpoint URL."""
        self.mesh = mesh
        self.settings = settings
        self.seed = seed
        self.today = today
        self.base = base
        self.local = settings.endpoint_url is not None if local is None else local
        self.blueprint: Blueprint = blueprint(mesh, today)
        self.samples = plan(mesh, seed, rows)
        self.principals = Principals(mesh, aws.Accounts(settings, base))
        self._listings: dict[str, list[dict[str, Any]]] = {}

    def report(self, cleanup: bool = False) -> ConformanceReport:
        checks = list(self.checks())
        if cleanup:
            checks += self.cleanup()
        return ConformanceReport.of(self.mesh.config.name, self.mesh.config.region, self.local, self.seed, checks)

    def checks(self) -> Iterator[Check]:
        yield from self.write()
        yield from self.isolation()
        for consumer in self.mesh.consumers:
            if self.mesh.granted_shares(consumer=consumer.name, today=self.today):
                yield self.workgroup(consumer.name)
        for share in self.mesh.granted_shares(today=self.today):
            for table in self.mesh.product(share.producer, share.product).tables_named(share.tables):
                yield from self.share(share, table.name)
        yield from self.doctor()

    # the producers

    def write(self) -> Iterator[Check]:
        """Each table's files, put as its producer's role, then listed back under the table's location."""
        outcomes: dict[str, list[upload.Outcome]] = {}
        for outcome in upload.write(self.samples, self.principals):
            outcomes.setdefault(outcome.sample.name, []).append(outcome)
        for sample in self.samples:
            role = self.principals.producer_arn(sample.domain)
            base = {
                "check": "sample-data",
                "subject": sample.name,
                "domain": sample.domain,
                "product": sample.product,
                "principal": role,
                "account": sample.account,
            }
            failed = next((o for o in outcomes[sample.name] if o.error), None)
            if failed is not None:
                yield Check(
                    **base,
                    status=FAIL,
                    detail=f"s3://{sample.bucket}/{failed.file.key}: {failed.error}",
                    request_id=failed.request_id,
                )
                continue
            s3 = self.principals.producer(sample.domain, "s3")
            prefix = sample.prefix
            try:
                listed = {
                    o["Key"] for o in aws.items(s3, "list_objects_v2", "Contents", Bucket=sample.bucket, Prefix=prefix)
                }
            except aws.AWS_FAILURES as exc:
                yield Check(
                    **base,
                    status=FAIL,
                    detail=f"listing s3://{sample.bucket}/{prefix}: {failure(exc)}",
                    request_id=request_id(exc),
                )
                continue
            missing = [f.key for f in sample.files if f.key not in listed]
            rows = sum(len(f.rows) for f in sample.files)
            yield Check(
                **base,
                status=FAIL if missing else PASS,
                detail=f"not listed after writing: {', '.join(missing)}"
                if missing
                else f"wrote and listed {len(sample.files)} {sample.format} file(s), {rows} rows, under "
                f"s3://{sample.bucket}/{prefix}",
            )

    def isolation(self) -> Iterator[Check]:
        """Each producer's role cannot read another producer's files."""
        first = {s.domain: s for s in reversed(self.samples)}
        for reader in first:
            for owner, sample in first.items():
                if owner == reader:
                    continue
                role = self.principals.producer_arn(reader)
                base = {
                    "check": "producer-isolation",
                    "subject": f"{reader} reads s3://{sample.bucket}",
                    "domain": reader,
                    "principal": role,
                    "account": self.mesh.domain(reader).account,
                }
                if self.local:
                    yield Check(**base, status=LOCAL, detail=NO_IAM)
                    continue
                key = sample.files[0].key
                try:
                    self.principals.producer(reader, "s3").get_object(Bucket=sample.bucket, Key=key)
                except aws.AWS_FAILURES as exc:
                    code = error_code(exc)
                    refused = code in REFUSALS
                    yield Check(
                        **base,
                        status=PASS if refused else FAIL,
                        detail=f"refused ({code})" if refused else failure(exc),
                        request_id="" if refused else request_id(exc),
                    )
                else:
                    yield Check(**base, status=FAIL, detail=f"read s3://{sample.bucket}/{key} of domain {owner}")

    # the consumers

    def workgroup(self, consumer: str) -> Check:
        """The analyst role reads its workgroup, enabled, with results in the consumer's results bucket."""
        cfg = self.mesh.config
        account = self.mesh.domain(consumer).account
        name = naming.workgroup(cfg.name, consumer)
        results = naming.query_results_bucket(cfg.name, consumer, account, cfg.region)
        base = {
            "check": "workgroup",
            "subject": name,
            "domain": consumer,
            "principal": self.principals.analyst_arn(consumer),
            "account": account,
        }
        try:
            found = self.principals.analyst(consumer, "athena").get_work_group(WorkGroup=name)["WorkGroup"]
        except aws.AWS_FAILURES as exc:
            return Check(**base, status=FAIL, detail=failure(exc), request_id=request_id(exc))
        location = found.get("Configuration", {}).get("ResultConfiguration", {}).get("OutputLocation", "")
        problems = ([f"state {found.get('State')}"] if found.get("State", "ENABLED") != "ENABLED" else []) + (
            [f"results at {location or 'nowhere'}, expected s3://{results}/"]
            if not location.startswith(f"s3://{results}/")
            else []
        )
        return Check(
            **base,
            status=FAIL if problems else PASS,
            detail="; ".join(problems) or f"enabled, results in s3://{results}/",
        )

    def share(self, share: Share, table: str) -> Iterator[Check]:
        sample = next(
            s for s in self.samples if (s.domain, s.product, s.table) == (share.producer, share.product, table)
        )
        base = {"share": share_name(share), "domain": share.consumer, "product": f"{share.producer}.{share.product}"}
        analyst = self.principals.analyst_arn(share.consumer)
        account = self.mesh.domain(share.consumer).account
        grants = self.grants(share, table)
        yield Check(check="grants", subject=sample.name, principal=analyst, account=account, **base, **grants)
        selects = Permission.SELECT in share.permissions
        if self.local:
            yield Check(
                check="query",
                subject=sample.name,
                principal=analyst,
                account=account,
                **base,
                **self._submitted(share, sample) if selects else {"status": LOCAL, "detail": NO_SQL},
            )
            if selects:
                try:
                    withheld = self._withheld_by_grants(share, table)
                except aws.AWS_FAILURES as exc:
                    withheld = {"status": FAIL, "detail": failure(exc), "request_id": request_id(exc)}
                yield Check(
                    check="pii-withheld", subject=sample.name, principal=analyst, account=account, **base, **withheld
                )
        else:
            yield from (
                Check(check=check, subject=sample.name, principal=analyst, account=account, **base, **found)
                for check, found in self._query(share, sample, selects)
            )
        yield from self.refused(share, sample)

    def _expected(self, share: Share, table: str) -> list[Grant]:
        reference = f"{share.producer}.{share.product}"

        def covers(grant: Grant) -> bool:
            return (
                grant.consumer == share.consumer and grant.product == reference and grant.resource.table in ("", table)
            )

        return [g for g in self.blueprint.grants if covers(g)] + [
            g for g in self.blueprint.analyst_grants(share.consumer) if covers(g)
        ]

    def _listing(self, catalog: str) -> list[dict[str, Any]]:
        if catalog not in self._listings:
            label = next((d.name for d in self.mesh.domains if d.account == catalog), "governance")
            lakeformation = self.principals.account(catalog, label, "lakeformation")
            self._listings[catalog] = list(
                aws.items(lakeformation, "list_permissions", "PrincipalResourcePermissions", CatalogId=catalog)
            )
        return self._listings[catalog]

    def _held(self, grant: Grant) -> bool:
        for entry in self._listing(grant.catalog):
            if (
                entry["Principal"]["DataLakePrincipalIdentifier"] == grant.principal
                and Resource.from_api(entry["Resource"]) == grant.resource
                and set(grant.permissions) <= set(entry.get("Permissions", []))
            ):
                return True
        return False

    def grants(self, share: Share, table: str) -> dict[str, Any]:
        """The permission path of a query through the share: the consumer account's grants in the governance catalog,
        the resource link to the product's database, and the analyst's grants, as Lake Formation and Glue list them."""
        database = naming.database(share.producer, share.product)
        account = self.mesh.domain(share.consumer).account
        try:
            missing = [str(g) for g in self._expected(share, table) if not self._held(g)]
            link = self.principals.account(account, share.consumer, "glue").get_database(Name=database)["Database"]
        except aws.AWS_FAILURES as exc:
            return {"status": FAIL, "detail": failure(exc), "request_id": request_id(exc)}
        target = link.get("TargetDatabase", {})
        governance = self.mesh.config.governance_account
        if (target.get("CatalogId"), target.get("DatabaseName")) != (governance, database):
            missing.append(f"resource link {database} in {account} to {governance}:{database}")
        if missing:
            return {"status": FAIL, "detail": "not granted: " + "; ".join(missing)}
        return {
            "status": PASS,
            "detail": f"resource link {database} and {len(self._expected(share, table))} grants "
            "as Lake Formation lists them",
        }

    def _withheld_by_grants(self, share: Share, table: str) -> dict[str, Any]:
        pii = self._pii(share, table)
        selects = [g for g in self._expected(share, table) if "SELECT" in g.permissions]
        exposed = sorted({c for g in selects for c in g.resource.exposed(pii) if self._held(g)})
        held = [g for g in selects if self._held(g)]
        if not held:
            return {"status": FAIL, "detail": "no SELECT grant of the share is listed"}
        if exposed:
            return {"status": FAIL, "detail": f"SELECT reaches pii column(s) {', '.join(exposed)}"}
        left_out = ", ".join(pii) or "no column (none is pii)"
        return {
            "status": PASS,
            "detail": f"the SELECT grants read back leave out {left_out}; the columns a query "
            "returns are not checkable locally",
        }

    def _pii(self, share: Share, table: str) -> list[str]:
        product = self.mesh.product(share.producer, share.product)
        return next(t.pii_columns for t in product.tables if t.name == table)

    def _sql(self, sample: TableSample) -> str:
        database = naming.database(sample.domain, sample.product)
        types = dict(sample.partition_types)
        filters = [f'"{key}" = {_literal(value, types[key])}' for key, value in sample.files[0].partition]
        where = f" WHERE {' AND '.join(filters)}" if filters else ""
        return f'SELECT * FROM "{database}"."{sample.table}"{where} LIMIT 10'

    def _start(self, share: Share, sample: TableSample) -> tuple[Any, str]:
        athena = self.principals.analyst(share.consumer, "athena")
        started = athena.start_query_execution(
            QueryString=self._sql(sample),
            WorkGroup=naming.workgroup(self.mesh.config.name, share.consumer),
            QueryExecutionContext={
                "Catalog": "AwsDataCatalog",
                "Database": naming.database(share.producer, share.product),
            },
        )
        return athena, started["QueryExecutionId"]

    def _submitted(self, share: Share, sample: TableSample) -> dict[str, Any]:
        try:
            _, query = self._start(share, sample)
        except aws.AWS_FAILURES as exc:
            return {
                "status": FAIL,
                "detail": f"the workgroup refused the query: {failure(exc)}",
                "request_id": request_id(exc),
            }
        return {"status": LOCAL, "detail": f"{NO_SQL}; the workgroup accepted the query as the analyst ({query})"}

    def _query(self, share: Share, sample: TableSample, selects: bool) -> Iterator[tuple[str, dict[str, Any]]]:
        """Runs the query in the consumer's workgroup: with SELECT it returns rows and no pii column; without,
        it is refused."""
        try:
            athena, query = self._start(share, sample)
            state, response = self._wait(athena, query)
        except aws.AWS_FAILURES as exc:
            if selects:
                yield "query", {"status": FAIL, "detail": failure(exc), "request_id": request_id(exc)}
            else:
                yield "query", {"status": PASS, "detail": f"refused without SELECT ({failure(exc)})"}
            return
        status = response["QueryExecution"]["Status"]
        rid = response["ResponseMetadata"].get("RequestId", "")
        if not selects:
            if state == "SUCCEEDED":
                yield "query", {"status": FAIL, "detail": f"query {query} succeeded without SELECT", "request_id": rid}
            else:
                reason = status.get("StateChangeReason", state)
                yield "query", {"status": PASS, "detail": f"refused without SELECT: {reason}"}
            return
        if state != "SUCCEEDED":
            yield (
                "query",
                {
                    "status": FAIL,
                    "detail": f"query {query} {state}: {status.get('StateChangeReason', '')}",
                    "request_id": rid,
                },
            )
            return
        try:
            results = athena.get_query_results(QueryExecutionId=query, MaxResults=11)
        except aws.AWS_FAILURES as exc:
            yield "query", {"status": FAIL, "detail": failure(exc), "request_id": request_id(exc)}
            return
        columns = [c["Name"] for c in results["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        rows = len(results["ResultSet"]["Rows"]) - 1  # the first row of a SELECT's results holds the column names
        yield (
            "query",
            (
                {"status": PASS, "detail": f"{rows} row(s), query {query}"}
                if rows > 0
                else {"status": FAIL, "detail": f"no rows from query {query}", "request_id": rid}
            ),
        )
        pii = self._pii(share, sample.table)
        reached = [c for c in columns if c in pii]
        yield (
            "pii-withheld",
            (
                {"status": FAIL, "detail": f"query {query} returned pii column(s) {', '.join(reached)}"}
                if reached
                else {"status": PASS, "detail": f"columns {', '.join(columns)}"}
            ),
        )

    def _wait(self, athena: Any, query: str) -> tuple[str, dict[str, Any]]:
        waited = 0.0
        while True:
            response = athena.get_query_execution(QueryExecutionId=query)
            state = response["QueryExecution"]["Status"]["State"]
            if state in ("SUCCEEDED", "FAILED", "CANCELLED") or waited >= QUERY_TIMEOUT:
                return state, response
            time.sleep(1.0)
            waited += 1.0

    def _unshared(self, share: Share) -> tuple[str, str] | None:
        """A domain holding no granted share of the product, and its role: its analyst, else its producer role."""
        holders = {
            s.consumer
            for s in self.mesh.granted_shares(producer=share.producer, today=self.today)
            if s.product == share.product
        }
        for domain in self.mesh.domains:
            if domain.name not in holders and domain.name != share.producer:
                arn = (
                    self.principals.analyst_arn(domain.name)
                    if domain.is_consumer
                    else self.principals.producer_arn(domain.name)
                )
                return domain.name, arn
        return None

    def refused(self, share: Share, sample: TableSample) -> Iterator[Check]:
        """A principal without a share of the product cannot read the table's metadata in the governance catalog."""
        found = self._unshared(share)
        if found is None:
            return
        domain, arn = found
        governance = self.mesh.config.governance_account
        database = naming.database(share.producer, share.product)
        base = {
            "check": "refused",
            "subject": f"{domain} reads {sample.name}",
            "share": share_name(share),
            "domain": domain,
            "product": f"{share.producer}.{share.product}",
            "principal": arn,
            "account": self.mesh.domain(domain).account,
        }
        if self.local:
            account = self.mesh.domain(domain).account
            try:
                held = [
                    e
                    for e in self._listing(governance)
                    if e["Principal"]["DataLakePrincipalIdentifier"] in (account, arn)
                    and (Resource.from_api(e["Resource"]) or Resource("")).database == database
                ]
            except aws.AWS_FAILURES as exc:
                yield Check(**base, status=FAIL, detail=failure(exc), request_id=request_id(exc))
                return
            yield Check(
                **base,
                status=FAIL if held else PASS,
                detail=f"granted {', '.join(p for e in held for p in e['Permissions'])} on {database}"
                if held
                else f"no grant to {account} or its roles on {database} is listed; the refusal itself is not "
                f"checkable locally: {NO_IAM}",
            )
            return
        try:
            self.principals.as_role(domain, arn, "glue").get_table(
                CatalogId=governance, DatabaseName=database, Name=sample.table
            )
        except aws.AWS_FAILURES as exc:
            code = error_code(exc)
            if code in REFUSALS:
                yield Check(**base, status=PASS, detail=f"refused ({code})")
            else:
                yield Check(**base, status=FAIL, detail=failure(exc), request_id=request_id(exc))
            return
        yield Check(**base, status=FAIL, detail=f"read {governance}:{database}.{sample.table} without a share")

    # doctor, cleanup

    def doctor(self) -> Iterator[Check]:
        findings, errors = run_checks(self.mesh, self.settings, self.today, self.base)
        yield from (_doctor_check(f) for f in findings)
        yield from (Check(check="doctor", subject="an account", status=FAIL, detail=line) for line in errors)

    def cleanup(self) -> list[Check]:
        """Deletes the sample files as their producers' roles."""
        checks = []
        for outcome in upload.remove(self.samples, self.principals):
            checks.append(
                Check(
                    check="cleanup",
                    subject=f"s3://{outcome.sample.bucket}/{outcome.file.key}",
                    domain=outcome.sample.domain,
                    product=outcome.sample.product,
                    principal=self.principals.producer_arn(outcome.sample.domain),
                    account=outcome.sample.account,
                    status=FAIL if outcome.error else PASS,
                    detail=outcome.error or "deleted",
                    request_id=outcome.request_id,
                )
            )
        return checks


def _doctor_check(finding: Finding) -> Check:
    return Check(
        check=f"doctor:{finding.check}",
        subject=finding.resource,
        domain=finding.domain,
        product=finding.product,
        account=finding.account,
        status=FAIL if finding.drift else PASS,
        detail=finding.detail or finding.status.value,
    )


def _literal(value: str, glue_type: str) -> str:
    if glue_type in INTEGERS or glue_type == "boolean":
        return value
    if glue_type == "date":
        return f"DATE '{value}'"
    return "'" + value.replace("'", "''") + "'"
