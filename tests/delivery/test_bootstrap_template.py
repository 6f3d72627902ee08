"""The mesh's CDK bootstrap template: the pinned CLI's, in step with it, with trust that can name the pipeline's role.

The CLI's template comes from the pinned CLI itself (``cdk bootstrap --show-template``); the
roles a trusted account assumes are those of "AWS CDK bootstrapping" (CDK v2 Developer Guide):
deploy, file-publishing, image-publishing and lookup, never the CloudFormation execution role.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file

from datamesh.delivery import bootstrap_template
from datamesh.delivery.bootstrap_template import CONDITION, PARAMETER
from localaws.stackset_bootstrap import bootstrap_template as cli_template_text

LIMIT = {"ArnLike": {"aws:PrincipalArn": {"Ref": PARAMETER}}}
TRUSTED = {"Ref": "TrustedAccounts"}


@pytest.fixture(scope="module")
def cli_template() -> dict[str, Any]:
    return yaml.safe_load(cli_template_text())


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    return yaml.safe_load(bootstrap_template.template_text())


def without_principal_arns(value: Any) -> Any:
    """``value`` as CloudFormation reads it with ``TrustedPrincipalArns`` empty: every If on its condition takes the else."""
    if isinstance(value, list):
        return [without_principal_arns(v) for v in value]
    if isinstance(value, dict):
        if list(value) == ["Fn::If"] and value["Fn::If"][0] == CONDITION:
            otherwise = value["Fn::If"][2]
            return None if otherwise == {"Ref": "AWS::NoValue"} else without_principal_arns(otherwise)
        return {k: w for k, v in value.items() if (w := without_principal_arns(v)) is not None}
    return value


def statements_trusting_accounts(role: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
        inner = statement.get("Fn::If", [None, {}])[1] if "Fn::If" in statement else statement
        if inner.get("Principal", {}).get("AWS") == TRUSTED:
            found.append(inner)
    return found


def role_kind(role: dict[str, Any]) -> str:
    """The role's kind, from its name ``cdk-${Qualifier}-<kind>-role-${AWS::AccountId}-${AWS::Region}``."""
    return role["Properties"]["RoleName"]["Fn::Sub"].split("-", 2)[2].rsplit("-role-", 1)[0]


@pytest.mark.slow  # reads the template from the pinned CDK CLI
def test_the_checked_in_template_is_the_pinned_clis_customised():
    """Fails after the CLI's pin moves until the template is regenerated (see the module's docstring)."""
    assert bootstrap_template.template_text() == bootstrap_template.render(
        bootstrap_template.customise(yaml.safe_load(cli_template_text()))
    )


def test_without_principal_arns_it_is_the_clis_template(cli_template, ours):
    assert ours["Parameters"][PARAMETER]["Default"] == ""
    reduced = without_principal_arns(ours)
    del reduced["Parameters"][PARAMETER], reduced["Conditions"][CONDITION]
    assert reduced == cli_template


def test_with_principal_arns_every_role_a_trusted_account_assumes_requires_one_of_them(ours):
    roles = {role_kind(r): r for r in ours["Resources"].values() if r["Type"] == "AWS::IAM::Role"}
    limited = {kind for kind, role in roles.items() if statements_trusting_accounts(role)}
    assert limited == {"deploy", "file-publishing", "image-publishing", "lookup"}
    for kind in limited:
        for statement in statements_trusting_accounts(roles[kind]):
            chosen = statement["Condition"]["Fn::If"]
            assert chosen[0] == CONDITION
            with_arns = chosen[1]
            # With the external-id option or without it, the principal ARN is required.
            branches = with_arns["Fn::If"][1:] if "Fn::If" in with_arns else [with_arns]
            assert all(branch["ArnLike"] == LIMIT["ArnLike"] for branch in branches), kind


def test_a_template_trusting_no_account_is_refused(cli_template):
    broken = yaml.safe_load(yaml.safe_dump(cli_template))
    for resource in broken["Resources"].values():
        if resource["Type"] == "AWS::IAM::Role":
            resource["Properties"]["AssumeRolePolicyDocument"]["Statement"] = [
                s for s in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"] if "Fn::If" not in s
            ]
    with pytest.raises(ValueError, match="trusts TrustedAccounts"):
        bootstrap_template.customise(broken)


def test_cfn_lint_finds_nothing_the_clis_template_does_not(tmp_path):
    (tmp_path / "cli.yaml").write_text(cli_template_text(), encoding="utf-8")
    args = ManualArgs(regions=["eu-west-1"], include_checks=["I"])

    def found(path: Path) -> set[tuple[str, str]]:
        return {(m.rule.id, m.message) for m in lint_file(path, args)}

    assert found(bootstrap_template.TEMPLATE) - found(tmp_path / "cli.yaml") == set()
