"""``meshctl schema``: write the JSON Schemas of the parameter files and the conformance report, or check the committed ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from datamesh.meshctl import output
from datamesh.meshctl.exit_codes import ExitCode


def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write to.", show_default="the repository's schemas/")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the files in --out are out of date.")
    ] = False,
) -> None:
    """Write mesh.schema.json and domain.schema.json from the models that validate the files, and
    conformance-report.schema.json from the model of `meshctl conformance --json`.

    Editors use them to complete and check the parameter files as they are typed.
    """
    from datamesh.config import json_schemas as schemas

    out = out or schemas.SCHEMA_DIR
    if check:
        outdated = schemas.stale(out)
        if outdated:
            output.fail(ExitCode.PROBLEMS, *(f"{out / name}: out of date; run `meshctl schema`" for name in outdated))
        return
    for path in schemas.write(out):
        output.line(f"wrote {path}")
