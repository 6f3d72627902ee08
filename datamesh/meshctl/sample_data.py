"""``meshctl sample-data``: write a small data set per table that keeps its contract, as each producer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from datamesh.aws import sessions as aws
from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode

SeedOption = Annotated[int, typer.Option("--seed", help="Same seed, same files, byte for byte.")]
RowsOption = Annotated[
    int,
    typer.Option(
        "--rows", min=1, max=1000, help="Rows per file (a contract's rowCount rules may ask for another count)."
    ),
]


def sample_data(
    mesh: output.MeshOption = Path("mesh.yaml"),
    seed: SeedOption = 1,
    rows: RowsOption = 10,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write the files under DIR/<bucket>/<key> instead of to the buckets; no AWS call.",
        ),
    ] = None,
    cleanup: Annotated[bool, typer.Option("--cleanup", help="Delete the files this seed writes, instead.")] = False,
    endpoint_url: aws.EndpointOption = None,
    role_name: aws.RoleOption = aws.DEFAULT_ROLE,
    profile_template: aws.ProfileTemplateOption = None,
    max_attempts: aws.AttemptsOption = 8,
) -> None:
    """Write sample files to every table of every product, as the producer's role, in the product's format.

    Rows keep the table's contract: column types, required properties, allowed values, patterns, row counts, and
    partition keys within their projection ranges. A partitioned table whose contract has a rule gets a second
    partition whose file breaks one rule on purpose (listed under "breaks"); Glue Data Quality should flag it.
    The producer role is <mesh>-<domain>-producer, assumed from --role-name in its account (or --profile-template).
    Exit 4 if a file could not be written.
    """
    from datamesh.conformance import sample_data as samples_of
    from datamesh.conformance import writers

    loaded = output.load(mesh)
    try:
        samples = samples_of.plan(loaded, seed, rows)
    except samples_of.Ungeneratable as exc:
        output.fail(ExitCode.PROBLEMS, str(exc))
    if out is not None:
        for sample in samples:
            for file in sample.files:
                path = out / sample.bucket / file.key
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(writers.encode(sample.format, file.columns, file.rows))
        _show(loaded.config.name, samples, f"under {out}")
        return
    from datamesh.conformance import upload
    from datamesh.conformance.principals import Principals

    settings = aws.Settings(loaded.config.region, endpoint_url, role_name, profile_template, max_attempts)
    principals = Principals(loaded, aws.Accounts(settings))
    try:
        outcomes = list((upload.remove if cleanup else upload.write)(samples, principals))
    except aws.AWS_FAILURES as exc:
        output.fail(ExitCode.AWS, aws.explain(exc, "assuming a producer role", settings))
    errors = [
        f"s3://{o.sample.bucket}/{o.file.key}: {o.error} (request id {o.request_id or 'none'})"
        for o in outcomes
        if o.error
    ]
    _show(loaded.config.name, samples, "deleted from the buckets" if cleanup else "in the buckets")
    if errors:
        output.fail(ExitCode.AWS, *errors)


def _show(mesh: str, samples: list, where: str) -> None:
    table = Table(title=f"mesh {mesh}: sample files {where}", title_justify="left")
    for column in ("table", "format", "file", "rows", "breaks"):
        table.add_column(column)
    for sample in samples:
        for file in sample.files:
            table.add_row(
                output.cell(sample.name),
                output.cell(sample.format),
                output.cell(f"s3://{sample.bucket}/{file.key}"),
                output.cell(len(file.rows)),
                output.cell(file.breaks or sample.note),
            )
    output.show(table)
