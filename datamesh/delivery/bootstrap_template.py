"""The mesh's CDK bootstrap template: the pinned CLI's, whose trust in other accounts can name their roles.

``cdk bootstrap --trust ACCOUNT`` lets every principal of ACCOUNT that may call ``sts:AssumeRole``
assume the deploy, file-publishing, image-publishing and lookup roles. This template adds one
parameter, ``TrustedPrincipalArns`` (default empty: the CLI's template, unchanged): when set,
each trust statement naming ``TrustedAccounts`` also requires ``aws:PrincipalArn`` to match one
of these ARNs, so in the tooling account only the pipeline's deploy build may deploy
(docs/delivery.md). Nothing else of the CLI's template changes.

After moving the CLI's pin (package.json), regenerate it:
``cdk bootstrap --show-template | python -m datamesh.delivery.bootstrap_template > datamesh/delivery/bootstrap-template.yaml``;
tests/delivery/test_bootstrap_template.py fails until then.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).with_name("bootstrap-template.yaml")
PARAMETER = "TrustedPrincipalArns"
CONDITION = "HasTrustedPrincipalArns"
TRUSTED_ACCOUNTS = "TrustedAccounts"
NO_VALUE = {"Ref": "AWS::NoValue"}
_LIMIT = {"ArnLike": {"aws:PrincipalArn": {"Ref": PARAMETER}}}


def template_text() -> str:
    """The customised template, as ``cdk bootstrap --template`` or CloudFormation takes it."""
    return TEMPLATE.read_text(encoding="utf-8")


def _trusting_accounts(statement: Any) -> dict[str, Any] | None:
    """The statement under ``Fn::If [HasTrustedAccounts, S, NoValue]`` when S trusts ``TrustedAccounts``."""
    branches = statement.get("Fn::If") if isinstance(statement, dict) else None
    if not branches or branches[2] != NO_VALUE:
        return None
    inner = branches[1]
    return inner if inner.get("Principal", {}).get("AWS") == {"Ref": TRUSTED_ACCOUNTS} else None


def _limited(condition: Any) -> dict[str, Any]:
    """``condition``, and with ``TrustedPrincipalArns`` set the principal ARN limit too."""
    if condition is None:
        return {"Fn::If": [CONDITION, _LIMIT, NO_VALUE]}
    branches = condition.get("Fn::If") if isinstance(condition, dict) else None
    if not branches or branches[2] != NO_VALUE or set(branches[1]) & set(_LIMIT):
        raise ValueError(f"a trust condition of a shape this customisation does not know: {condition!r}")
    # Fn::If [X, C, NoValue] (the CLI's external-id option) becomes: with principal ARNs, C and the limit or
    # the limit alone; without, as it was.
    return {"Fn::If": [CONDITION, {"Fn::If": [branches[0], {**branches[1], **_LIMIT}, _LIMIT]}, condition]}


def customise(template: dict[str, Any]) -> dict[str, Any]:
    """The CLI's bootstrap ``template`` with the ``TrustedPrincipalArns`` parameter; raises if it trusts no account."""
    result = copy.deepcopy(template)
    result["Parameters"][PARAMETER] = {
        "Description": "ARNs (wildcards allowed) of the only principals of the trusted accounts that may assume the "
        "bootstrap roles; empty: any principal they allow (datamesh: the pipeline's deploy build role)",
        "Default": "",
        "Type": "CommaDelimitedList",
    }
    result["Conditions"][CONDITION] = {"Fn::Not": [{"Fn::Equals": ["", {"Fn::Join": ["", {"Ref": PARAMETER}]}]}]}
    limited = 0
    for resource in result["Resources"].values():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            inner = _trusting_accounts(statement)
            if inner is not None:
                inner["Condition"] = _limited(inner.get("Condition"))
                limited += 1
    if not limited:
        raise ValueError(f"no role of the bootstrap template trusts {TRUSTED_ACCOUNTS}: the CLI's template changed")
    return result


class _NoAliases(yaml.SafeDumper):
    """CloudFormation rejects YAML aliases (cfn-lint W1101): each repeated value is written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(template: dict[str, Any]) -> str:
    return yaml.dump(template, Dumper=_NoAliases, sort_keys=False, width=120)


def main() -> int:
    """Read the CLI's template (``cdk bootstrap --show-template``) on stdin, print the customised one."""
    try:
        print(render(customise(yaml.safe_load(sys.stdin.read()))), end="")
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as error:
        print(f"error: not a CDK bootstrap template this customisation knows ({error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
