"""What a CodeBuild image can install with its system package manager, and which build commands install something else.

A build command that installs a system package the image cannot install fails the build on
AWS, after minutes of provisioning. Knowledge of each image, with its source:

- ``aws/codebuild/standard:7.0`` is Ubuntu 22.04 ("Docker images provided by CodeBuild",
  CodeBuild User Guide; the image's Dockerfile, aws/aws-codebuild-docker-images
  ``ubuntu/standard/7.0``, starts ``FROM ubuntu:22.04``). Its package manager is apt. Ubuntu ships
  Chromium only as a snap since 19.10 ("Chromium in Ubuntu – deb to snap transition",
  snapcraft.io blog): there is no ``chromium`` deb, and ``chromium-browser`` is a transitional
  deb that installs the snap, which needs snapd, not running in a build container.

A package is accepted only when listed as installable for the image, so a new install
command fails the test until someone checks it against the image and lists it with a source.
Commands that are ``make TARGET`` are expanded into the recipes ``make -n -B TARGET`` prints.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANAGERS = ("apt-get", "apt", "yum", "dnf", "apk", "zypper", "snap")
_INSTALL = re.compile(rf"(?:^|[\s;&|{{(])(?P<manager>{'|'.join(map(re.escape, MANAGERS))})\s+(?P<rest>[^;&|}})]*)")


@dataclass(frozen=True)
class Image:
    system: str
    manager: str
    installable: frozenset[str] = frozenset()
    refused: dict[str, str] = field(default_factory=dict)  # package: why it cannot be installed


IMAGES = {
    "aws/codebuild/standard:7.0": Image(
        system="Ubuntu 22.04",
        manager="apt",
        refused={
            "chromium": "Ubuntu 22.04 has no chromium deb (Chromium is a snap since Ubuntu 19.10)",
            "chromium-browser": "on Ubuntu 22.04 a transitional deb that installs the Chromium snap, which needs snapd",
        },
    ),
}


def installs(command: str) -> list[tuple[str, str]]:
    """Every (package manager, package) ``command`` installs."""
    found = []
    for match in _INSTALL.finditer(command):
        words = shlex.split(match["rest"], comments=False, posix=True) if match["rest"].strip() else []
        verbs = [w for w in words if not w.startswith("-")]
        if not verbs or verbs[0] not in ("install", "add"):
            continue
        manager = "apt" if match["manager"] in ("apt", "apt-get") else match["manager"]
        found += [(manager, package) for package in verbs[1:]]
    return found


def expanded(command: str) -> list[str]:
    """``command``, and for ``make TARGET...`` the recipe lines make would run (``make -n -B``)."""
    words = command.split()
    if not words or words[0] != "make":
        return [command]
    done = subprocess.run(["make", "-n", "-B", *words[1:]], cwd=ROOT, capture_output=True, text=True, check=True)
    return [command, *done.stdout.splitlines()]


def refusals(image_name: str, commands: list[str]) -> list[str]:
    """One line per package ``commands`` install that ``image_name`` cannot (or is not known to) install."""
    image = IMAGES.get(image_name)
    if image is None:
        return [f"{image_name}: an image this test knows nothing of; add it to IMAGES with its source"]
    problems = []
    for command in commands:
        for line in expanded(command):
            for manager, package in installs(line):
                if manager != image.manager:
                    problems.append(
                        f"{command!r} installs {package} with {manager}; {image.system} uses {image.manager}"
                    )
                elif package in image.refused:
                    problems.append(f"{command!r} installs {package}: {image.refused[package]}")
                elif package not in image.installable:
                    problems.append(f"{command!r} installs {package}, not known to install on {image.system}")
    return problems
