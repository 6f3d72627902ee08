"""Wave 2, producer account: the encrypted storage of a domain's data products."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, arn_token, wildcard_resource
from datamesh.blueprint import Blueprint, lake_formation_admins
from datamesh.blueprint import blueprint as blueprint_of
from datamesh.config import DomainConfig, Mesh
from datamesh.constructs.data_key import object_encryption
from datamesh.constructs.lake_formation import LakeFormationAdmins
from datamesh.constructs.landing_events import LandingEvents
from datamesh.constructs.logged_storage import LoggedStorage
from datamesh.constructs.policy_document import account_root, statement
from datamesh.constructs.role import MeshRole
from datamesh.constructs.secure_bucket import SecureBucket
from datamesh.names import naming
from datamesh.policies.classification import producer_level
from datamesh.stacks.base import DomainStack

PRODUCT_OBJECTS = "Objects under one product's prefix; object keys are the producer's to choose."


class StorageStack(DomainStack):
    """KMS key, data bucket and producer role of one producer domain.

    The governance account's Lake Formation role may read the bucket and decrypt with the
    key; the producer role writes each product under ``s3://<bucket>/<product>/``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mesh: Mesh,
        domain: DomainConfig,
        removal_policy: RemovalPolicy,
        blueprint: Blueprint | None = None,
    ) -> None:
        cfg = mesh.config
        super().__init__(
            scope,
            id,
            mesh=mesh,
            domain=domain,
            account=domain.account,
            purpose="storage",
            confidentiality=producer_level(mesh, domain),
            removal_policy=removal_policy,
        )
        LakeFormationAdmins(self, "LakeFormationAdmins", admin_arns=lake_formation_admins(mesh, domain.account))
        tags = self.resource_tags
        alerts = (blueprint or blueprint_of(mesh)).alerts_of(domain.name)
        watched = alerts is not None and any(w.rule for w in alerts.watches)
        lake_formation = {"AWS": naming.role_arn(cfg.governance_account, naming.registration_role(cfg.name))}
        storage = LoggedStorage(
            self,
            account=domain.account,
            tags=tags,
            key_id="DataKey",
            key_alias=naming.data_key_alias(cfg.name, domain.name),
            key_description=f"Encrypts the data products of domain {domain.name}",
            key_statements=[
                statement(
                    sid="LakeFormationDecryptsData",
                    principal=lake_formation,
                    actions=["kms:Decrypt", "kms:DescribeKey"],
                    resources=["*"],
                    conditions={"StringEquals": {"kms:ViaService": f"s3.{cfg.region}.amazonaws.com"}},
                )
            ],
            logs_id="AccessLogs",
            logs_bucket_name=naming.access_log_bucket(cfg.name, domain.name, domain.account, cfg.region),
            removal_policy=removal_policy,
        )
        self.key = storage.key
        self.bucket = SecureBucket(
            self,
            "Data",
            bucket_name=naming.data_bucket(cfg.name, domain.name, domain.account, cfg.region),
            event_bridge=watched,
            statements=lambda bucket: [
                statement(
                    sid="LakeFormationListsData",
                    principal=lake_formation,
                    actions=["s3:ListBucket", "s3:GetBucketLocation"],
                    resources=[bucket.bucket_arn],
                ),
                statement(
                    sid="LakeFormationReadsData",
                    principal=lake_formation,
                    actions=["s3:GetObject", "s3:GetObjectVersion"],
                    resources=[bucket.arn_for_objects("*")],
                ),
            ],
            **storage.bucket_settings,
        )
        if alerts is not None and watched:
            LandingEvents(
                self,
                "LandingEvents",
                alerts=alerts,
                tags=tags,
                governance_bus=f"arn:aws:events:{cfg.region}:{cfg.governance_account}:event-bus/default",
            )
        bucket_arn = self.bucket.bucket_arn

        self.producer_role = MeshRole(
            self,
            "ProducerRole",
            role_name=naming.producer_role(cfg.name, domain.name),
            assumed_by={"AWS": account_root(domain.account)},
            description=f"Writes the data products of domain {domain.name}",
            tags=tags,
        )
        prefixes = [f"{p.name}/*" for p in domain.products]
        self.producer_role.add_to_policy(
            statement(
                sid="WriteProducts",
                actions=["s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                resources=[self.bucket.arn_for_objects(prefix) for prefix in prefixes],
            ),
            statement(
                sid="ListProducts",
                actions=["s3:ListBucket"],
                resources=[bucket_arn],
                conditions={"StringLike": {"s3:prefix": prefixes}},
            ),
            object_encryption(self.key),
        )
        bucket_token = arn_token(self.bucket.bucket)
        acknowledge(
            self.producer_role, {wildcard_resource(f"{bucket_token}/{prefix}"): PRODUCT_OBJECTS for prefix in prefixes}
        )
