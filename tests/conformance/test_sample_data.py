"""meshctl sample-data: files a format's own reader reads back, whose rows keep the contract's quality rules,
except the one partition written to break a rule.

The example mesh's contracts (domains/*/contracts) give the rules; the files are written with ``--out`` in each
of the five formats a product may have, then read with pyarrow or fastavro, and the DQDL ruleset of each table
is evaluated on them by the independent evaluator of tests/support/dqdl_evaluator.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import fastavro
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json
import pyarrow.orc as pa_orc
import pyarrow.parquet as pa_parquet
import pytest
from typer.testing import CliRunner

from datamesh.blueprint import blueprint
from datamesh.config import load_mesh
from datamesh.meshctl.app import app
from tests.support.dqdl_evaluator import Dataset
from tests.support.multitable_mesh import add_tables, copy_example_mesh, edit_yaml

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("parquet", "orc", "avro", "json", "csv")
# The example mesh's files, read by hand: three tables; orders and invoices are partitioned.
TABLES = {
    ("acme-sales-data-222222222222-eu-west-1", "orders"): "order_date",
    ("acme-sales-data-222222222222-eu-west-1", "customers"): None,
    ("acme-finance-data-333333333333-eu-west-1", "invoices"): "invoice_month",
}
# The partition keys' first values and formats (orders.yaml: minimum 2024-01-01, a date; invoices.yaml: yyyy-MM
# from 2024-01).
FIRST = {"order_date": ("2024-01-01", "%Y-%m-%d"), "invoice_month": ("2024-01", "%Y-%m")}


def example_mesh(folder: Path, file_format: str) -> Path:
    """The example mesh with every product in ``file_format``."""
    shutil.copy(ROOT / "mesh.yaml", folder / "mesh.yaml")
    shutil.copytree(ROOT / "domains", folder / "domains")
    for path in (folder / "domains").glob("*.yaml"):
        path.write_text(path.read_text().replace("format: parquet", f"format: {file_format}"))
    return folder / "mesh.yaml"


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def read(path: Path, file_format: str) -> list[dict]:
    """The rows of one file, by the format's own reader."""
    if file_format == "parquet":
        return pa_parquet.read_table(path).to_pylist()
    if file_format == "orc":
        return pa_orc.read_table(path).to_pylist()
    if file_format == "avro":
        with path.open("rb") as handle:
            return list(fastavro.reader(handle))
    if file_format == "json":
        return pa_json.read_json(path).to_pylist()
    options = pa_csv.ConvertOptions(null_values=["\\N"], strings_can_be_null=True)
    return pa_csv.read_csv(path, convert_options=options).to_pylist()


def plain(value):
    """A value SQLite holds."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module", params=FORMATS)
def written(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    mesh_file = example_mesh(folder, request.param)
    result = run("sample-data", "--mesh", str(mesh_file), "--seed", "7", "--out", str(folder / "out"))
    assert result.exit_code == 0, result.output
    return request.param, load_mesh(mesh_file), folder / "out"


def files_of(out: Path, bucket: str, prefix: str) -> list[Path]:
    return sorted((out / bucket / prefix).rglob("*.*"))


def test_each_table_has_its_files_in_its_products_format(written):
    file_format, _, out = written
    found = {(p.relative_to(out).parts[0], p.relative_to(out).parts[1]): p for p in out.rglob("*.*")}
    assert set(found) == set(TABLES)
    assert {p.suffix for p in out.rglob("*.*")} == {f".{file_format}"}


def test_files_read_back_with_the_contracts_columns_and_partitions_in_range(written):
    file_format, mesh, out = written
    tables = {(db.location.split("/")[2], t.name): t for db in blueprint(mesh).databases for t in db.tables}
    for (bucket, table), key in TABLES.items():
        paths = files_of(out, bucket, table)
        assert paths
        for path in paths:
            rows = read(path, file_format)
            assert rows and list(rows[0]) == [name for name, _ in tables[bucket, table].columns]
            if key is None:
                assert path.parent == out / bucket / table
                continue
            name, value = path.parent.name.split("=")
            first, pattern = FIRST[name]
            assert name == key and dt.datetime.strptime(value, pattern) >= dt.datetime.strptime(first, pattern)


def test_the_contracts_rules_pass_except_on_the_partition_made_to_fail(written):
    file_format, mesh, out = written
    verdicts = {}
    for db in blueprint(mesh).databases:
        for table in db.tables:
            bucket = db.location.split("/")[2]
            for path in files_of(out, bucket, table.name):
                rows = read(path, file_format)
                names = [name for name, _ in table.columns]
                dataset = Dataset(names, [tuple(plain(row[n]) for n in names) for row in rows])
                verdicts[path.relative_to(out).as_posix()] = dataset.ruleset_passes(table.quality.rules)
    made_to_fail = sorted(name for name in verdicts if "breaks-quality" in name)
    assert [name.split("/")[1] for name in made_to_fail] == ["invoices", "orders"]
    assert {name: passed for name, passed in verdicts.items() if not passed} == dict.fromkeys(made_to_fail, False)
    assert len(verdicts) == 5


def test_same_seed_same_bytes_and_another_seed_other_rows(tmp_path):
    mesh_file = example_mesh(tmp_path, "parquet")
    for seed, folder in (("7", "a"), ("7", "b"), ("8", "c")):
        assert (
            run("sample-data", "--mesh", str(mesh_file), "--seed", seed, "--out", str(tmp_path / folder)).exit_code == 0
        )

    def contents(folder: str) -> dict[str, bytes]:
        return {
            p.relative_to(tmp_path / folder).as_posix().replace("sample-8", "sample-7"): p.read_bytes()
            for p in (tmp_path / folder).rglob("*.*")
        }

    assert contents("a") == contents("b")
    other = contents("c")
    assert other.keys() == contents("a").keys() and other != contents("a")


def test_the_breaking_partition_names_the_rule_it_breaks(tmp_path):
    result = run("sample-data", "--mesh", str(example_mesh(tmp_path, "parquet")), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    # orders.yaml: order_id's first rule is nullValues, mustBe 0; invoices.yaml: invoice_id's is too.
    assert result.stdout.count("schema[0].properties[0].quality[0] (nullValues of order_id)") == 1
    assert result.stdout.count("schema[0].properties[0].quality[0] (nullValues of invoice_id)") == 1
    assert "unpartitioned" in result.stdout


def test_a_pattern_no_value_is_drawn_for_is_one_error_line(tmp_path):
    mesh_file = example_mesh(tmp_path, "parquet")
    contract = tmp_path / "domains/sales/contracts/customers.yaml"
    contract.write_text(contract.read_text().replace('pattern: "^[A-Z]{2}$"', 'pattern: "^\\\\p{Lu}{2}$"'))
    result = run("sample-data", "--mesh", str(mesh_file), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: sales_customers.customers: cannot draw a value matching")
    assert len(result.stderr.splitlines()) == 1


def test_each_table_of_a_product_with_several_gets_its_own_folder(tmp_path):
    """A contract with several objects: one table each, in ``<product>/<table>/`` (tests/support/multitable_mesh.py)."""
    mesh_file = copy_example_mesh(tmp_path)
    add_tables(mesh_file)
    result = run("sample-data", "--mesh", str(mesh_file), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    bucket = tmp_path / "out" / "acme-sales-data-222222222222-eu-west-1"
    assert sorted(p.relative_to(bucket).as_posix() for p in (bucket / "customers").rglob("*.*")) == [
        "customers/addresses/sample-1.parquet",
        "customers/customers/sample-1.parquet",
        "customers/segments/sample-1.parquet",
    ]
    assert pa_parquet.read_table(bucket / "customers/addresses/sample-1.parquet").column_names == [
        "customer_id",
        "street",
        "city",
    ]


def test_enum_and_integer_keys_take_values_from_their_projection(tmp_path):
    """orders partitioned by an enum key (its allowed values) and an integer key whose range holds one value:
    the failing partition takes the enum's second value."""
    mesh_file = copy_example_mesh(tmp_path)
    keys = [
        {
            "name": "channel",
            "logicalType": "string",
            "partitioned": True,
            "partitionKeyPosition": 1,
            "quality": [{"metric": "invalidValues", "arguments": {"validValues": ["web", "store"]}, "mustBe": 0}],
        },
        {
            "name": "year",
            "logicalType": "integer",
            "logicalTypeOptions": {"minimum": 2020, "maximum": 2020},
            "partitioned": True,
            "partitionKeyPosition": 2,
        },
    ]

    def repartition(contract: dict) -> None:
        properties = contract["schema"][0]["properties"]
        properties[:] = [p for p in properties if p["name"] != "order_date"] + keys

    edit_yaml(tmp_path / "domains/sales/contracts/orders.yaml", repartition)
    result = run("sample-data", "--mesh", str(mesh_file), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    bucket = tmp_path / "out" / "acme-sales-data-222222222222-eu-west-1"
    assert sorted(p.relative_to(bucket).as_posix() for p in (bucket / "orders").rglob("*.*")) == [
        "orders/channel=store/year=2020/sample-1-breaks-quality.parquet",
        "orders/channel=web/year=2020/sample-1.parquet",
    ]
