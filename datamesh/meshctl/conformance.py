"""``meshctl conformance``: prove a deployed mesh works, share by share, as its own principals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode
from datamesh.meshctl.sample_data import RowsOption, SeedOption

STATUS_STYLES = {"pass": "green", "fail": "red", "not checkable locally": "yellow"}


def conformance(
    mesh: output.MeshOption = Path("mesh.yaml"),
    seed: SeedOption = 1,
    rows: RowsOption = 10,
    cleanup: Annotated[bool, typer.Option("--cleanup", help="Delete the sample files at the end of the run.")] = False,
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
    today: output.TodayOption = None,
    json: output.JsonOption = False,
) -> None:
    """Prove the deployed mesh works: write sample data, query every granted share as its consumer, run doctor.

    As each producer's role (<mesh>-<domain>-producer): writes `meshctl sample-data`'s files to its bucket and lists them; reading another producer's files must be refused.
    As each consumer's analyst role (<mesh>-<domain>-analyst), per granted share and table: reads its Athena workgroup; reads back the permission path (the consumer account's and the analyst's Lake Formation grants, the resource link); runs SELECT * ... LIMIT 10 on the table in the workgroup, which must return rows and no pii column (a DESCRIBE-only share's query must be refused); a domain without a share of the product must be refused the table's metadata.
    Then doctor's checks. Each check passes or fails (with the AWS request id of the failing call); --json prints the report (schemas/conformance-report.schema.json).
    On real AWS it runs a few Athena queries of kilobytes, a few S3 puts and reads, and the reads of doctor: a few cents. Sample files stay unless --cleanup.
    With --endpoint-url (the local AWS, a moto server) what moto cannot answer (Athena does not run SQL; IAM, bucket and key policies are not enforced) is reported as not checkable locally, with the reason.
    Exit 1 if a check failed, 4 if AWS could not be reached.
    """
    from datamesh.conformance.run import Run
    from datamesh.conformance.values import Ungeneratable

    loaded = output.load(mesh)
    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    try:
        report = Run(loaded, settings, seed, rows, today.date() if today else date.today()).report(cleanup)
    except Ungeneratable as exc:
        output.fail(ExitCode.PROBLEMS, str(exc))
    except aws.AWS_FAILURES as exc:
        output.fail(ExitCode.AWS, aws.explain(exc, f"mesh {loaded.config.name}", settings))
    if json:
        output.emit_json(report.model_dump(mode="json"))
    else:
        where = "the local AWS" if report.local else f"AWS ({report.region})"
        table = Table(title=f"mesh {report.mesh}: conformance on {where}", title_justify="left")
        for column in ("check", "subject", "share", "status", "detail", "request id"):
            table.add_column(column)
        for check in report.checks:
            table.add_row(
                output.cell(check.check),
                output.cell(check.subject),
                output.cell(check.share),
                output.cell(check.status.value, STATUS_STYLES[check.status.value]),
                output.cell(check.detail),
                output.cell(check.request_id),
            )
        output.show(table)
        summary = report.summary
        output.line(f"{summary.passed} passed, {summary.failed} failed, {summary.not_checkable} not checkable locally")
    if not report.passed:
        raise typer.Exit(int(ExitCode.PROBLEMS))
