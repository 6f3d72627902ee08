"""The dependency files: what the package imports is a runtime requirement, and requirements.lock
pins the whole tree, with hashes, at the versions the requirements and constraints name."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Import name -> distribution name, where they differ.
DISTRIBUTIONS = {
    "aws_cdk": "aws-cdk-lib",
    "cdk_nag": "cdk-nag",
    "yaml": "pyyaml",
    "ruamel": "ruamel-yaml",
    "open_data_contract_standard": "open-data-contract-standard",
    "jsii": "aws-cdk-lib",
}
# Imported by the package but installed with a direct requirement (jsii with aws-cdk-lib, botocore
# with boto3): the lock pins them.
TRANSITIVE = {"botocore": "boto3"}


# The distribution's own packages (pyproject.toml); localaws, which `meshctl demo` drives, brings
# the development requirements (moto) with it: the demo is not part of a runtime install.
OWN = {"datamesh", "localaws", "__future__"}


def normalized(name: str) -> str:
    """PEP 503's normalized project name (what the lock writes)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements-style file (extras dropped), by normalized name."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            found[normalized(match.group(1))] = match.group(2)
    return found


LOCK = ROOT / "requirements.lock"


def imported_modules(package: Path) -> set[str]:
    """The top-level names of every absolute import in the package's modules."""
    found = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_third_party_import_of_the_package_is_a_runtime_requirement():
    pinned = pins(ROOT / "requirements.txt")
    third_party = {m for m in imported_modules(ROOT / "datamesh") if m not in sys.stdlib_module_names and m not in OWN}
    missing = {m for m in third_party if normalized(DISTRIBUTIONS.get(m, TRANSITIVE.get(m, m))) not in pinned}
    assert third_party and missing == set()


def test_what_comes_with_a_requirement_is_pinned_by_the_lock():
    locked = pins(LOCK)
    assert {m: normalized(m) in locked for m in TRANSITIVE} == {m: True for m in TRANSITIVE}


def test_the_lock_pins_every_direct_requirement_at_its_version():
    wanted = pins(ROOT / "requirements.txt") | pins(ROOT / "requirements-dev.txt")
    locked = pins(LOCK)
    assert len(wanted) > 10
    assert {name: locked.get(name) for name in wanted} == wanted


def test_the_lock_keeps_what_the_constraints_hold_back():
    held = pins(ROOT / "constraints.txt")
    assert "botocore" in held
    assert {name: pins(LOCK).get(name) for name in held} == held


def test_every_locked_package_is_pinned_with_a_hash():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8").split("\n", 2)[2])
    unpinned = [
        e.split()[0]
        for e in entries
        if e.strip() and not e.startswith("#") and ("==" not in e.split()[0] or "--hash=sha256:" not in e)
    ]
    assert len(entries) > 50 and unpinned == []


def setup_recipe() -> str:
    """The lines of the Makefile rule that makes the virtualenv (``$(VENV)/.installed``)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^\$\(VENV\)/\.installed:.*?(?=^\S)", makefile, re.M | re.S).group(0)


def test_setup_installs_from_the_lock_alone():
    installs = [line for line in setup_recipe().splitlines() if "pip install" in line]
    assert installs and all("--no-deps" in line for line in installs)
    assert any("--require-hashes" in line and "-r requirements.lock" in line for line in installs)
    assert not re.search(r"-r requirements(-dev)?\.txt", setup_recipe())
