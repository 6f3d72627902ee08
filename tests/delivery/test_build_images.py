"""Every CodeBuild project of the pipeline installs only what its image can install (tests/delivery/build_images.py).

The pipeline's Checks build runs ``make test``, which installs no browser: the portal's browser
tests skip without one (they fail only with CI=true, not among the variables CodeBuild sets,
"Environment variables in build environments", CodeBuild User Guide) and run in the pull-request workflow.
"""

from __future__ import annotations

import json

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from tests.delivery.build_images import installs, refusals

STANDARD = "aws/codebuild/standard:7.0"


@pytest.fixture
def projects(delivered_mesh) -> list[dict]:
    stacks = build_mesh(App(), delivered_mesh())
    return [
        p["Properties"] for p in Template.from_stack(stacks.pipeline).find_resources("AWS::CodeBuild::Project").values()
    ]


def commands(project: dict) -> list[str]:
    phases = json.loads(project["Source"]["BuildSpec"])["phases"]
    return [c for phase in phases.values() for c in phase["commands"]]


def test_every_build_installs_only_what_its_image_installs(projects):
    assert len(projects) == 2
    for project in projects:
        assert refusals(project["Environment"]["Image"], commands(project)) == [], project["Description"]


def test_the_checks_build_runs_make_test(projects):
    (checks,) = [p for p in projects if "make test" in commands(p)]
    assert checks["Environment"]["Image"] == STANDARD


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("apt-get install -y chromium", "Ubuntu 22.04 has no chromium deb"),
        ("sudo apt install --yes chromium-browser", "installs the Chromium snap"),
        ("make browser-deps", "Ubuntu 22.04 has no chromium deb"),  # the Makefile target, through its recipe
        ("apt-get update && apt-get install -y jq", "jq, not known to install on Ubuntu 22.04"),
        ("yum install -y chromium", "with yum; Ubuntu 22.04 uses apt"),
    ],
)
def test_an_install_the_image_cannot_do_is_refused(command, reason):
    (problem,) = refusals(STANDARD, [command])
    assert reason in problem


def test_an_unknown_image_is_refused():
    assert refusals("aws/codebuild/amazonlinux2-x86_64-standard:5.0", ["make test"]) == [
        "aws/codebuild/amazonlinux2-x86_64-standard:5.0: an image this test knows nothing of; add it to IMAGES with its source"
    ]


def test_commands_that_install_no_system_package_are_not_installs():
    assert installs("pip install -r requirements.lock && npm ci && apt-get update") == []
