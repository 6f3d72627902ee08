"""End to end, day 2: on one local AWS, the real CDK CLI deploys the example mesh and then
every change a user makes with meshctl, each followed by `meshctl doctor` finding no drift.

Works on a copy of the repository's mesh files; deploys without allow-destroy, so retained
resources stay retained. Each step's time is printed (run with -s to see them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import yaml

from datamesh.config import Mesh, load_mesh
from datamesh.deploy import local_aws
from datamesh.names import naming
from localaws import control
from localaws.accounts import ACCESS_ROLE, Accounts
from localaws.control import REPO_ROOT, Server

pytestmark = pytest.mark.e2e

HR_ACCOUNT = "666666666666"
EXPIRES = date(2027, 6, 30)


@dataclass
class Day2:
    server: Server
    state_dir: Path
    mesh_file: Path
    timings: list[tuple[str, float]] = field(default_factory=list)

    @property
    def mesh(self) -> Mesh:
        return load_mesh(self.mesh_file)

    @property
    def aws(self) -> Accounts:
        return Accounts(self.server.endpoint, self.mesh.config.region)

    def meshctl(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env |= self.aws.environment(self.mesh.config.governance_account)
        done = subprocess.run(
            [sys.executable, "-m", "datamesh.meshctl", *args, "--mesh", str(self.mesh_file)],
            capture_output=True,
            text=True,
            cwd=self.mesh_file.parent,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def deploy(self, step: str, **options: object) -> None:
        started = time.monotonic()
        mesh = self.mesh
        local_aws.bootstrap(mesh, self.server)
        log = self.state_dir / f"{step}.log"
        code = local_aws.deploy_mesh(mesh, self.server, self.state_dir, log=log, allow_destroy=False, **options)  # type: ignore[arg-type]
        self.timings.append((step, time.monotonic() - started))
        assert code == 0, log.read_text()[-3000:]

    def doctor(self, today: date | None = None) -> int:
        """Run ``meshctl doctor --drift-only``: no drift; returns how many resources it found retained."""
        extra = ["--today", today.isoformat()] if today else []
        output = self.meshctl("doctor", "--endpoint-url", self.server.endpoint, "--drift-only", *extra).strip()
        found = re.fullmatch(
            r"no drift: all \d+ checks of mesh acme match the files(?: \((\d+) retained after removal\))?", output
        )
        assert found, output
        return int(found.group(1) or 0)

    def columns(self, producer: str, product: str) -> list[str]:
        mesh = self.mesh
        table = self.aws.client("glue", mesh.config.governance_account).get_table(
            DatabaseName=naming.database(producer, product), Name=product
        )["Table"]
        return [c["Name"] for c in table["StorageDescriptor"]["Columns"]]

    def consumer_grants(self, consumer: str) -> list[dict]:
        mesh = self.mesh
        account = mesh.domain(consumer).account
        listed = self.aws.client("lakeformation", mesh.config.governance_account).list_permissions(
            CatalogId=mesh.config.governance_account
        )["PrincipalResourcePermissions"]
        return [g for g in listed if g["Principal"]["DataLakePrincipalIdentifier"] == account]


@pytest.fixture(scope="module")
def day2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day2]:
    work = tmp_path_factory.mktemp("day2-mesh")
    shutil.copy(REPO_ROOT / "mesh.yaml", work / "mesh.yaml")
    shutil.copytree(REPO_ROOT / "domains", work / "domains")
    state_dir = tmp_path_factory.mktemp("day2-local-aws")
    server, _ = control.start(state_dir)
    run = Day2(server, state_dir, work / "mesh.yaml")
    try:
        yield run
    finally:
        control.stop(state_dir)
        print("\nday-2 steps (seconds):", ", ".join(f"{step} {seconds:.0f}" for step, seconds in run.timings))


def _add_column(mesh_file: Path, domain: str, product: str, column: str) -> None:
    contract = mesh_file.parent / "domains" / f"{domain}/contracts/{product}.yaml"
    document = yaml.safe_load(contract.read_text())
    document["schema"][0]["properties"].append(
        {"name": column, "logicalType": "string", "description": f"{column} (added on day 2)"}
    )
    contract.write_text(yaml.safe_dump(document, sort_keys=False))


def test_day_two(day2: Day2) -> None:
    day2.deploy("1-deploy-the-example-mesh")
    day2.doctor()

    day2.meshctl(
        "new-domain",
        "hr",
        "--account",
        HR_ACCOUNT,
        "--owner",
        "hr-data@example.com",
        "--team",
        "People Analytics",
        "--consumes",
        "sales.orders",
    )
    day2.meshctl(
        "subscribe",
        "hr",
        "sales.customers",
        "--permissions",
        "SELECT",
        "--reason",
        "headcount",
        "--expires",
        EXPIRES.isoformat(),
    )
    day2.meshctl("approve", "sales.customers", "hr", "--by", "sales-lead@example.com")
    day2.deploy("2-onboard-hr-in-a-new-account")
    day2.doctor()
    assert (
        len(
            {
                g["Resource"].get("Table", g["Resource"].get("TableWithColumns", {})).get("DatabaseName")
                for g in day2.consumer_grants("hr")
            }
            - {None}
        )
        == 2
    )

    before = day2.columns("sales", "orders")
    _add_column(day2.mesh_file, "sales", "orders", "channel")
    _add_product(day2.mesh_file, "sales", "returns", like="orders")
    day2.deploy("3-add-a-column-and-a-product")
    day2.doctor()
    assert day2.columns("sales", "orders") == [*before, "channel"]
    assert day2.columns("sales", "returns") == [*before, "channel"]

    day2.meshctl("revoke", "marketing", "sales.customers")
    day2.deploy("4-revoke-a-share-and-expire-another", today=EXPIRES)
    day2.doctor(today=EXPIRES)
    assert all(
        "customers" not in str(g["Resource"]) for g in day2.consumer_grants("hr") + day2.consumer_grants("marketing")
    )
    links = [d["Name"] for d in day2.aws.client("glue", HR_ACCOUNT).get_databases()["DatabaseList"]]
    assert naming.database("sales", "customers") not in links

    _remove_product(day2.mesh_file, "sales", "returns")
    day2.deploy("5-remove-a-product", today=EXPIRES)
    assert day2.doctor(today=EXPIRES) == 1  # its database, retained
    assert day2.columns("sales", "returns") == [*before, "channel"]

    hr_storage = _storage(day2, HR_ACCOUNT)
    started = time.monotonic()
    assert (
        local_aws.destroy(day2.mesh, day2.server, day2.state_dir, ("Hr-Access",), log=day2.state_dir / "6-destroy.log")
        == 0
    )
    deleted = day2.aws.client("cloudformation", HR_ACCOUNT).list_stacks(StackStatusFilter=["DELETE_COMPLETE"])[
        "StackSummaries"
    ]
    assert [s["StackName"] for s in deleted] == ["acme-Hr-Access"]
    day2.meshctl("revoke", "hr", "sales.customers")
    (day2.mesh_file.parent / "domains" / "hr.yaml").unlink()
    day2.deploy("6-retire-a-domain", today=EXPIRES)
    day2.timings[-1] = (day2.timings[-1][0], time.monotonic() - started)
    day2.doctor(today=EXPIRES)
    assert _storage(day2, HR_ACCOUNT) == hr_storage and hr_storage[0] and hr_storage[1]

    _add_column(day2.mesh_file, "sales", "orders", "region")
    day2.deploy("7-the-same-change-with-method-direct", method="direct", today=EXPIRES)
    day2.doctor(today=EXPIRES)
    assert day2.columns("sales", "orders")[-1] == "region"

    _add_column(day2.mesh_file, "sales", "orders", "coupon")
    day2.deploy("8-the-same-change-with-method-change-set", method="change-set", today=EXPIRES)
    day2.doctor(today=EXPIRES)
    assert day2.columns("sales", "orders")[-1] == "coupon"

    # a new product whose database exists already (made outside any stack): the update fails
    # and rolls back; once it is gone, the next deploy succeeds
    _add_product(day2.mesh_file, "sales", "refunds", like="orders")
    governance = day2.mesh.config.governance_account
    glue, lakeformation = day2.aws.client("glue", governance), day2.aws.client("lakeformation", governance)
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    caller = {"DataLakePrincipalIdentifier": f"arn:aws:iam::{governance}:role/{ACCESS_ROLE}"}
    # with Lake Formation's defaults cleared, only a data lake admin creates a database
    lakeformation.put_data_lake_settings(
        DataLakeSettings={**settings, "DataLakeAdmins": [*settings["DataLakeAdmins"], caller]}
    )
    glue.create_database(DatabaseInput={"Name": naming.database("sales", "refunds")})
    lakeformation.put_data_lake_settings(DataLakeSettings=settings)
    started = time.monotonic()
    code = local_aws.deploy_mesh(
        day2.mesh, day2.server, day2.state_dir, log=day2.state_dir / "9-failed.log", allow_destroy=False, today=EXPIRES
    )
    day2.timings.append(("9-a-failed-update-rolls-back", time.monotonic() - started))
    assert code != 0
    catalog = day2.aws.client("cloudformation", governance).describe_stacks(StackName="acme-Sales-Catalog")["Stacks"][0]
    assert catalog["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert "AlreadyExistsException" in catalog["StackStatusReason"]
    glue.delete_database(Name=naming.database("sales", "refunds"))
    day2.deploy("10-the-next-deploy-succeeds", today=EXPIRES)
    day2.doctor(today=EXPIRES)
    assert day2.columns("sales", "refunds")[0] == before[0]


def _remove_product(mesh_file: Path, domain: str, product: str) -> None:
    path = mesh_file.parent / "domains" / f"{domain}.yaml"
    document = yaml.safe_load(path.read_text())
    document["products"] = [p for p in document["products"] if p["name"] != product]
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def _storage(day2: Day2, account: str) -> tuple[list[str], list[str]]:
    """Buckets and KMS keys of an account."""
    buckets = sorted(
        b["Name"] for b in day2.aws.client("s3", account).list_buckets()["Buckets"] if not b["Name"].startswith("cdk-")
    )
    keys = sorted(k["KeyId"] for k in day2.aws.client("kms", account).list_keys()["Keys"])
    return buckets, keys


def _add_product(mesh_file: Path, domain: str, product: str, like: str) -> None:
    domains = mesh_file.parent / "domains"
    source = yaml.safe_load((domains / f"{domain}/contracts/{like}.yaml").read_text())
    source.update(name=product, dataProduct=product, id=f"{source['id'][:-4]}9999")
    source["schema"][0]["name"] = product
    for rule in source["schema"][0].get("quality", []):
        if "id" in rule:
            rule["id"] = rule["id"].replace(like, product)
    (domains / f"{domain}/contracts/{product}.yaml").write_text(yaml.safe_dump(source, sort_keys=False))
    document = yaml.safe_load((domains / f"{domain}.yaml").read_text())
    template = next(p for p in document["products"] if p["name"] == like)
    document["products"].append({**template, "name": product, "contract": f"{domain}/contracts/{product}.yaml"})
    (domains / f"{domain}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
