"""What the app and meshctl import at run time is pinned in requirements.txt, not only in the dev requirements."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Import name -> distribution name, where they differ.
DISTRIBUTIONS = {"aws_cdk": "aws-cdk-lib", "cdk_nag": "cdk-nag", "yaml": "PyYAML", "ruamel": "ruamel.yaml",
                 "open_data_contract_standard": "open-data-contract-standard", "botocore": "boto3",
                 "jsii": "aws-cdk-lib"}  # botocore and jsii come with boto3 and aws-cdk-lib


# The distribution's own packages (pyproject.toml); localaws, which `meshctl demo` drives, brings
# the development requirements (moto) with it: the demo is not part of a runtime install.
OWN = {"datamesh", "localaws", "__future__"}


def imported_modules(package: Path) -> set[str]:
    found = set()
    for source in package.rglob("*.py"):
        for line in source.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*(?:from|import)\s+([A-Za-z_][\w]*)", line)
            if match:
                found.add(match.group(1))
    return found


def test_every_third_party_import_of_the_package_is_a_runtime_requirement():
    pinned = {line.split("==")[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if "==" in line}
    third_party = {m for m in imported_modules(ROOT / "datamesh")
                   if m not in sys.stdlib_module_names and m not in OWN}
    missing = {m for m in third_party if DISTRIBUTIONS.get(m, m).lower() not in pinned}
    assert third_party and missing == set()
