"""The committed JSON Schemas match the models that validate the files."""

from __future__ import annotations

import json

from datamesh import schema
from datamesh.cli import SCHEMA_DIR, main


def test_committed_schemas_are_current():
    assert schema.stale(SCHEMA_DIR) == [], "run `python -m datamesh schema` and commit schemas/"


def test_schema_rejects_unknown_keys_like_the_models():
    domain = json.loads((SCHEMA_DIR / "domain.schema.json").read_text())
    assert domain["additionalProperties"] is False
    assert set(domain["required"]) == {"name", "account", "owner"}
    assert domain["$defs"]["Product"]["additionalProperties"] is False


def test_check_mode_reports_stale_schemas(tmp_path, capsys):
    (tmp_path / "mesh.schema.json").write_text("{}")
    assert main(["schema", "--out", str(tmp_path), "--check"]) == 1
    err = capsys.readouterr().err
    assert "mesh.schema.json: out of date" in err and "domain.schema.json: out of date" in err
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert main(["schema", "--out", str(tmp_path), "--check"]) == 0
