"""The example mesh with marketing reading through principals of its own: edits of its domain files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from aws_cdk.assertions import Template

from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, Mesh, load_mesh
from datamesh.policies.parameter_rules import parameter_problems
from tests.rules.conftest import findings  # noqa: F401 (a rule run over one stack, as for the other rules)

MARKETING = "444444444444"
GOVERNANCE = "111111111111"
BI_ROLE = "acme-marketing-bi"
BI_ARN = f"arn:aws:iam::{MARKETING}:role/{BI_ROLE}"
ANALYST_ARN = f"arn:aws:iam::{MARKETING}:role/acme-marketing-analyst"


def with_principals(*principals: dict[str, Any], **subscription: Any) -> Callable[[dict], dict]:
    """Marketing's file with ``principals``; ``subscription`` adds keys to its sales.customers subscription."""

    def edit(domain: dict) -> dict:
        domain["principals"] = list(principals)
        for sub in domain["consumes"]:
            if sub["product"] == "sales.customers":
                sub.update(subscription)
        return domain

    return edit


def approving(**decision: Any) -> Callable[[dict], dict]:
    """Sales' file with an approval of marketing's request for customers, with ``decision``'s keys."""

    def edit(domain: dict) -> dict:
        customers = next(p for p in domain["products"] if p["name"] == "customers")
        customers["decisions"] = [
            {
                "consumer": "marketing",
                "decision": "approved",
                "by": "owner@example.com",
                "date": "2026-01-05",
                **decision,
            }
        ]
        return domain

    return edit


@pytest.fixture
def loaded(mesh_copy: Callable[..., Path]) -> Callable[..., Mesh]:
    def load(*edits: tuple[str, Callable[[dict], dict | None]]) -> Mesh:
        return load_mesh(mesh_copy(*edits), rules=parameter_problems)

    return load


@pytest.fixture
def refused(mesh_copy: Callable[..., Path]) -> Callable[..., list[str]]:
    """The problems ``meshctl validate`` reports for the edited example, as ``file: field: reason``."""

    def problems(*edits: tuple[str, Callable[[dict], dict | None]]) -> list[str]:
        path = mesh_copy(*edits)
        with pytest.raises(ConfigError) as raised:
            load_mesh(path, rules=parameter_problems)
        return [str(p).replace(f"{path.parent}/", "") for p in raised.value.problems]

    return problems


def synthesized(mesh: Mesh) -> dict[str, Template]:
    return {stack.node.id: Template.from_stack(stack) for stack in build_mesh(App(), mesh).all()}
