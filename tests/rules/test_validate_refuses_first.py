"""Whatever a resource rule would refuse at synthesis and the parameter files can cause, `meshctl validate`
refuses first: per rule the files can break (docs/governance.md's rule table says which, and why the others
cannot), a mesh whose files break it; validate exits 1 with one line naming the file and the field, and
synthesis refuses the same mesh."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from aws_cdk import App
from typer.testing import CliRunner

from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.meshctl.app import app as meshctl
from datamesh.meshctl.exit_codes import ExitCode
from datamesh.policies.parameter_rules import parameter_problems
from datamesh.rules import RULES
from tests.support.multitable_mesh import EVERY_ROW

DOCS = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
CUSTOMERS = "domains/sales/contracts/customers.yaml"
# sales' approval filters customers by country, which the partition key edit moves out of the columns


def _pii_partition_key(doc: dict) -> dict:
    """customers partitioned by its country column, tagged pii: no grant can withhold a partition key."""
    properties = doc["schema"][0]["properties"]
    country = next(p for p in properties if p["name"] == "country")
    country.update(partitioned=True, partitionKeyPosition=1, tags=["pii"])
    return doc


def _empty_lowest_level(doc: dict) -> dict:
    doc["taxonomy"]["confidentiality"][0] = ""
    return doc


def _orders_at_the_lowest_level(doc: dict) -> dict:
    next(p for p in doc["products"] if p["name"] == "orders")["confidentiality"] = ""
    return doc


def _glue_4_reader(doc: dict) -> dict:
    """marketing reads sales.customers (pii withheld) with a Glue 4.0 job role too: Glue 4.0 does not filter."""
    doc["principals"] = [
        {"name": "analyst"},
        {"name": "etl", "role": "acme-marketing-etl", "engine": "glue", "engine_version": "4.0"},
    ]
    return doc


@dataclass(frozen=True)
class Break:
    """Edits of the example mesh's files that break a rule, and the field validate names."""

    edits: tuple[tuple[str, Callable[[dict], dict]], ...]
    file: str
    field: str


PII_PARTITION_KEY = Break(
    ((CUSTOMERS, _pii_partition_key), EVERY_ROW), CUSTOMERS, "schema[0].properties[{country}].tags"
)
BREAKS = {
    "DataMesh::PiiWithheld": PII_PARTITION_KEY,
    "DataMesh::PiiColumnsTagged": PII_PARTITION_KEY,
    "DataMesh::FilteringEngine": Break(
        (("domains/marketing.yaml", _glue_4_reader),), "domains/marketing.yaml", "principals[1].engine"
    ),
    "DataMesh::RequiredTags": Break(
        (("mesh.yaml", _empty_lowest_level), ("domains/sales.yaml", _orders_at_the_lowest_level)),
        "mesh.yaml",
        "taxonomy.confidentiality[0]",
    ),
}


def _classified() -> dict[str, str]:
    """Rule id -> the first word of the rule table's last column ("yes" or "no")."""
    rows = re.findall(
        r"^\| `(DataMesh::\w+)` .*\| (yes|no)[,:][^|]*\|$", DOCS.read_text(encoding="utf-8"), re.MULTILINE
    )
    return dict(rows)


def test_every_rule_is_classified_and_each_breakable_one_has_a_breaking_mesh() -> None:
    classified = _classified()
    assert sorted(classified) == sorted(rule.id for rule in RULES)
    assert sorted(rule for rule, answer in classified.items() if answer == "yes") == sorted(BREAKS)


def _field(breaking: Break, mesh: Path) -> str:
    properties = yaml.safe_load((mesh.parent / CUSTOMERS).read_text())["schema"][0]["properties"]
    return breaking.field.format(country=next(i for i, p in enumerate(properties) if p["name"] == "country"))


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_validate_refuses_in_one_line_naming_file_and_field(rule: str, mesh_copy, monkeypatch) -> None:
    breaking = BREAKS[rule]
    mesh = mesh_copy(*breaking.edits)
    monkeypatch.chdir(mesh.parent)
    result = CliRunner().invoke(meshctl, ["validate"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == ExitCode.PROBLEMS
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {breaking.file}: {_field(breaking, mesh)}: "), (
        result.stderr
    )


def _named(error: ConfigError, mesh: Path) -> list[tuple[str, str]]:
    """(file relative to the mesh's folder, field) of each problem."""
    return [
        (
            str(Path(p.file).resolve().relative_to(mesh.parent.resolve())) if Path(p.file).is_absolute() else p.file,
            p.field,
        )
        for p in error.problems
    ]


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_synthesis_refuses_the_same_mesh(rule: str, mesh_copy) -> None:
    """The app loads through the same loader, so it refuses with validate's problem; where the loader's own
    checks pass the files (the problem is a parameter rule's), building them anyway fails on the resource rule."""
    breaking = BREAKS[rule]
    mesh = mesh_copy(*breaking.edits)
    with pytest.raises(ConfigError) as refused:
        load_mesh(mesh, rules=parameter_problems)
    assert _named(refused.value, mesh) == [(breaking.file, _field(breaking, mesh))]
    try:
        unchecked = load_mesh(mesh)  # without the parameter rules
    except ConfigError as exc:
        assert _named(exc, mesh) == [(breaking.file, _field(breaking, mesh))]
        return
    app = App()
    build_mesh(app, unchecked)
    with pytest.raises(RuntimeError, match="ValidationFailed") as failed:
        app.synth()
    assert rule in str(failed.value)
