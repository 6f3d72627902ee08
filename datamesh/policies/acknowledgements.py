"""The cdk-nag findings the mesh acknowledges: each on one resource, for one finding, with a reason.

Every entry here is listed in ``docs/governance.md``; tests fail when one no longer
matches a finding, so none outlives its cause.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import IConstruct

from datamesh import naming
from datamesh.config.mesh import Mesh
from datamesh.constructs.query_workspace import RESULTS_PREFIX, QueryWorkspace

NAG_PACK = "AwsSolutions"

LAKE_FORMATION_BUCKETS = (
    "The registration role reads any bucket named like a producer's data bucket "
    "(naming.data_bucket); a bucket is readable only if its own policy also names the role, "
    "so the pattern grants nothing a producer did not consent to, and new producers need no "
    "governance redeploy."
)
LAKE_FORMATION_KEYS = (
    "Producer keys live in the producer accounts with generated ids; the role may use them only "
    "through S3 (kms:ViaService) and only where the key policy names the role."
)
CATALOG_KEY = (
    "The governance catalog's key has a generated id in another account; the analyst may use "
    "only that account's keys, only through Glue (kms:ViaService), and only where the key "
    "policy allows the analyst's account: the catalog key."
)
PRODUCT_PREFIX = "Objects under one product's prefix; object keys are the producer's to choose."
QUERY_RESULTS = "Athena writes result objects with generated keys under the workgroup's results prefix."
GET_DATA_ACCESS = (
    "lakeformation:GetDataAccess has no resource-level scope; Lake Formation checks the "
    "caller's grants before vending credentials."
)


def acknowledge(policy: IConstruct, findings: dict[str, str]) -> None:
    """Acknowledge AwsSolutions findings (finding id to reason) on one resource, in one call."""
    Validations.of(policy).acknowledge(
        *(Acknowledgment(id=f"{NAG_PACK}::{NAG_PACK}-{finding}", reason=reason) for finding, reason in findings.items())
    )


def default_policy(role: iam.Role) -> IConstruct:
    """The CloudFormation resource of the policy ``add_to_policy`` writes to."""
    return role.node.find_child("DefaultPolicy").node.default_child


def arn_token(resource: IConstruct) -> str:
    """How cdk-nag prints ``Fn::GetAtt [resource, Arn]`` in a finding."""
    return f"<{Stack.of(resource).get_logical_id(resource.node.default_child)}.Arn>"


def governance(mesh: Mesh, registration_role: iam.Role) -> None:
    cfg = mesh.config
    buckets = naming.data_bucket(cfg.name, "*", "*", cfg.region)
    acknowledge(default_policy(registration_role), {
        f"IAM5[Resource::arn:aws:s3:::{buckets}]": LAKE_FORMATION_BUCKETS,
        f"IAM5[Resource::arn:aws:s3:::{buckets}/*]": LAKE_FORMATION_BUCKETS,
        f"IAM5[Resource::arn:aws:kms:{cfg.region}:*:key/*]": LAKE_FORMATION_KEYS,
    })


def storage(producer_role: iam.Role, bucket: IConstruct, products: list[str]) -> None:
    bucket_arn = arn_token(bucket)
    acknowledge(default_policy(producer_role),
                {f"IAM5[Resource::{bucket_arn}/{product}/*]": PRODUCT_PREFIX for product in products})


def access(mesh: Mesh, analyst_role: iam.Role, workspace: QueryWorkspace, *, has_subscriptions: bool) -> None:
    cfg = mesh.config
    findings = {f"IAM5[Resource::{arn_token(workspace.results)}/{RESULTS_PREFIX}*]": QUERY_RESULTS}
    if has_subscriptions:
        findings["IAM5[Resource::*]"] = GET_DATA_ACCESS
        findings[f"IAM5[Resource::arn:aws:kms:{cfg.region}:{cfg.governance_account}:key/*]"] = CATALOG_KEY
    acknowledge(default_policy(analyst_role), findings)
