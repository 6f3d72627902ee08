"""S3 Access Grants for the query results of a consumer's IAM Identity Center users: trusted identity propagation
needs them beside Lake Formation ("Trusted identity propagation with Amazon Athena", IAM Identity Center User
Guide), and the Identity Center workgroup writes its results through them (``QueryResultsS3AccessGrantsConfiguration``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import CfnTag
from aws_cdk import aws_s3 as s3
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge
from datamesh.annotations.tagging import lifelong
from datamesh.constructs.data_key import DataKey, object_encryption
from datamesh.constructs.query_workspace import QueryWorkspace
from datamesh.constructs.role import MeshRole

# What S3 Access Grants does with a location's role: assume it, with the user's identity as source identity and
# context ("Register a location", Amazon S3 User Guide).
LOCATION_TRUST = ("sts:AssumeRole", "sts:SetSourceIdentity", "sts:SetContext")


class ResultsAccessGrants(Construct):
    """The account's Access Grants instance associated with Identity Center, the results bucket registered as a
    location with a role S3 Access Grants assumes, and a READWRITE grant under ``prefix`` to each grantee.

    :param instance_arn: the IAM Identity Center instance (``identity_center.instance_arn`` in mesh.yaml).
    :param role_name: physical name of the location's role.
    :param workspace: the domain's query workspace, whose results bucket is the location.
    :param key: the key of the results.
    :param prefix: where in the bucket the grants reach (an S3 Access Grants sub-prefix, ending in ``*``).
    :param grantees: (construct id, ``user`` or ``group``, identity store id) of each Identity Center principal.
    :param tags: the stack's tags (``MeshStack.resource_tags``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        instance_arn: str,
        role_name: str,
        workspace: QueryWorkspace,
        key: DataKey,
        prefix: str,
        grantees: Sequence[tuple[str, str, str]],
        tags: Mapping[str, str],
    ) -> None:
        super().__init__(scope, id)
        cfn_tags = [CfnTag(key=k, value=v) for k, v in lifelong(tags).items()]  # their Tags are create-only
        instance = s3.CfnAccessGrantsInstance(self, "Instance", identity_center_arn=instance_arn, tags=cfn_tags)
        role = MeshRole(
            self,
            "LocationRole",
            role_name=role_name,
            assumed_by={"Service": "access-grants.s3.amazonaws.com"},
            trust_actions=LOCATION_TRUST,
            description="Vends Identity Center users credentials for their query results",
            tags=tags,
        )
        results, findings = workspace.results_access()
        role.add_to_policy(object_encryption(key), *results)
        acknowledge(role, findings)
        location = s3.CfnAccessGrantsLocation(
            self,
            "Location",
            iam_role_arn=role.role_arn,
            location_scope=f"s3://{workspace.results.bucket_ref}",
            tags=cfn_tags,
        )
        location.add_dependency(instance)
        for name, kind, entity in grantees:
            s3.CfnAccessGrant(
                self,
                f"Grant-{name}",
                access_grants_location_id=location.attr_access_grants_location_id,
                access_grants_location_configuration=s3.CfnAccessGrant.AccessGrantsLocationConfigurationProperty(
                    s3_sub_prefix=prefix
                ),
                grantee=s3.CfnAccessGrant.GranteeProperty(
                    grantee_identifier=entity, grantee_type=f"DIRECTORY_{kind.upper()}"
                ),
                permission="READWRITE",
                tags=cfn_tags,
            )
