"""Small meshes written into a test's folder: a mesh.yaml, domain files, raw extra files.

They are loaded as ``meshctl validate`` and the CDK app load them: with the mesh policies on the
parameter files (``rules=parameter_problems``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from datamesh.config import ConfigError, Mesh, load_mesh
from datamesh.policies.parameter_rules import parameter_problems

GOVERNANCE = "111111111111"
LEVELS = ["public", "internal", "confidential"]


def mesh_config(**changes: Any) -> dict[str, Any]:
    return {
        "name": "acme",
        "region": "eu-west-1",
        "governance_account": GOVERNANCE,
        "taxonomy": {"confidentiality": LEVELS},
        **changes,
    }


def producer(name: str, account: str, *products: str) -> dict[str, Any]:
    """A domain with one inline-schema product per name (``orders`` when none is given)."""
    return {
        "name": name,
        "account": account,
        "owner": {"team": "Data", "email": "data@example.com"},
        "products": [
            {
                "name": p,
                "description": f"{p} of {name}",
                "confidentiality": "internal",
                "columns": [{"name": "id", "type": "string"}],
            }
            for p in products or ("orders",)
        ],
    }


def consumer(name: str, account: str, *products: str) -> dict[str, Any]:
    return {
        "name": name,
        "account": account,
        "owner": {"team": "Data", "email": "data@example.com"},
        "consumes": [{"product": p} for p in products],
    }


def contract(*properties: dict[str, Any], **top: Any) -> dict[str, Any]:
    """An ODCS v3 contract with one schema object ``orders`` (``top`` adds or replaces top-level keys)."""
    return {
        "apiVersion": "v3.1.0",
        "kind": "DataContract",
        "id": "orders",
        "version": "1.0.0",
        "status": "active",
        "schema": [{"name": "orders", "properties": list(properties) or [{"name": "id", "logicalType": "string"}]}],
        **top,
    }


def write_mesh(
    folder: Path, mesh: dict[str, Any], *domains: dict[str, Any], files: dict[str, str] | None = None
) -> Path:
    """Write the mesh; ``files`` are raw texts by path relative to ``folder``. Returns mesh.yaml."""
    (folder / "domains").mkdir(parents=True)
    for domain in domains:
        (folder / "domains" / f"{domain['name']}.yaml").write_text(yaml.safe_dump(domain, sort_keys=False))
    for relative, text in (files or {}).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    (folder / "mesh.yaml").write_text(yaml.safe_dump(mesh, sort_keys=False))
    return folder / "mesh.yaml"


def load(folder: Path, mesh: dict[str, Any], *domains: dict[str, Any], files: dict[str, str] | None = None) -> Mesh:
    return load_mesh(
        write_mesh(folder, mesh, *(domains or (producer("sales", "222222222222"),)), files=files),
        rules=parameter_problems,
    )


def problems(
    folder: Path, mesh: dict[str, Any], *domains: dict[str, Any], files: dict[str, str] | None = None
) -> list[str]:
    """Every problem, as ``file: field: reason`` with the file relative to ``folder``."""
    with pytest.raises(ConfigError) as raised:
        load(folder, mesh, *domains, files=files)
    return [str(p).replace(f"{folder}/", "") for p in raised.value.problems]
