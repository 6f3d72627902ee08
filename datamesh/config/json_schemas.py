"""JSON Schemas of the parameter files, generated from the same models that validate them, and of the conformance
report, generated from the model the run fills in."""

from __future__ import annotations

import json
from pathlib import Path

from datamesh.config.conformance_report import ConformanceReport
from datamesh.config.models import DomainConfig, MeshConfig

SCHEMAS = {
    "mesh.schema.json": MeshConfig,
    "domain.schema.json": DomainConfig,
    "conformance-report.schema.json": ConformanceReport,
}
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
"""The repository's ``schemas/``, where the committed schemas are."""


def render() -> dict[str, str]:
    """File name to schema text, byte-for-byte what ``schemas/`` should hold."""
    return {
        name: json.dumps(model.model_json_schema(mode="validation"), indent=2, sort_keys=True) + "\n"
        for name, model in SCHEMAS.items()
    }


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale(directory: Path) -> list[str]:
    """Names of the schema files in ``directory`` that differ from the models."""
    return [
        name
        for name, text in render().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]
