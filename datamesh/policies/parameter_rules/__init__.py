"""Policies on the parameter files, one rule per module; ``load_mesh(path, rules=parameter_problems)`` runs them.

Each rule is a function from :class:`ParameterFiles` to the problems it finds. The
``policies`` section of ``mesh.yaml`` is checked first: the other rules rank levels by it.
"""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.policies.parameter_rules import (
    bus_policy_size,
    freshness_watchable,
    lf_tag_values,
    partition_projection,
    pii_confidentiality,
    policy_levels,
    required_tag_values,
    sharing_limit,
)

RULES = (
    pii_confidentiality.check,
    sharing_limit.check,
    partition_projection.check,
    lf_tag_values.check,
    required_tag_values.check,
    freshness_watchable.check,
    bus_policy_size.check,
)


def parameter_problems(files: ParameterFiles) -> list[Problem]:
    """Every policy problem of the parameter files."""
    problems = policy_levels.check(files)
    if problems:
        return problems
    return [problem for rule in RULES for problem in rule(files)]


__all__ = ["parameter_problems"]
