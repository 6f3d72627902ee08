"""How a construct acknowledges a cdk-nag finding it causes: on the role it wrote the statement to, with a reason.

The construct that adds a statement cdk-nag flags acknowledges the finding next to that
statement, with the reason beside it. Every acknowledgement is listed in
``docs/governance.md`` (``docs/delivery.md`` for the pipeline); tests fail when one no
longer matches a finding, so none outlives its cause.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnElement, Stack, Validations
from constructs import IConstruct

NAG_PACK = "AwsSolutions"


def acknowledge(role: IConstruct, findings: dict[str, str]) -> None:
    """Acknowledge AwsSolutions findings (finding id to reason) on the policies of ``role``, in one call.

    On the role's construct rather than on its default policy: the construct holds the role
    and its policies, and a finding stays acknowledged wherever the statement lands among them.
    """
    Validations.of(role).acknowledge(
        *(Acknowledgment(id=f"{NAG_PACK}::{NAG_PACK}-{finding}", reason=reason) for finding, reason in findings.items())
    )


def wildcard_resource(resource: str) -> str:
    """cdk-nag's finding for a wildcard in a statement's ``resource`` (use :func:`arn_token` for a resource's ARN)."""
    return f"IAM5[Resource::{resource}]"


def wildcard_action(action: str) -> str:
    """cdk-nag's finding for a wildcard in a statement's ``action``."""
    return f"IAM5[Action::{action}]"


def ref_token(resource: IConstruct) -> str:
    """How cdk-nag prints ``Ref resource`` in a finding (an L1 resource, or an L2 construct's)."""
    return f"<{_logical_id(resource)}>"


def arn_token(resource: IConstruct) -> str:
    """How cdk-nag prints ``Fn::GetAtt [resource, Arn]`` in a finding (an L1 resource, or an L2 construct's)."""
    return f"<{_logical_id(resource)}.Arn>"


def _logical_id(resource: IConstruct) -> str:
    element = resource if isinstance(resource, CfnElement) else resource.node.default_child
    return Stack.of(element).get_logical_id(element)
