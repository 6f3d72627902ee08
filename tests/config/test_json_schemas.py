"""The committed JSON Schemas match the models that validate the files."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from datamesh.config import json_schemas
from datamesh.config.json_schemas import SCHEMA_DIR
from datamesh.meshctl.app import app


def test_committed_schemas_are_current():
    assert json_schemas.stale(SCHEMA_DIR) == [], "run `meshctl schema` and commit schemas/"


def test_schema_rejects_unknown_keys_like_the_models():
    domain = json.loads((SCHEMA_DIR / "domain.schema.json").read_text())
    assert domain["additionalProperties"] is False
    assert set(domain["required"]) == {"name", "account", "owner"}
    assert domain["$defs"]["Product"]["additionalProperties"] is False


def test_check_mode_reports_stale_schemas_and_writing_makes_them_current(tmp_path):
    def meshctl(*args):
        return CliRunner().invoke(app, ["schema", "--out", str(tmp_path), *args], env={"NO_COLOR": "1"})

    (tmp_path / "mesh.schema.json").write_text("{}")
    stale = meshctl("--check")
    assert stale.exit_code == 1
    assert stale.stderr.splitlines() == [
        f"error: {tmp_path / name}: out of date; run `meshctl schema`"
        for name in ("mesh.schema.json", "domain.schema.json", "conformance-report.schema.json")
    ]
    assert (tmp_path / "mesh.schema.json").read_text() == "{}"  # --check writes nothing
    written = meshctl()
    assert written.exit_code == 0
    assert written.stdout.splitlines() == [
        f"wrote {tmp_path / name}"
        for name in ("mesh.schema.json", "domain.schema.json", "conformance-report.schema.json")
    ]
    assert json.loads((tmp_path / "domain.schema.json").read_text())["title"] == "DomainConfig"
    assert meshctl("--check").exit_code == 0
