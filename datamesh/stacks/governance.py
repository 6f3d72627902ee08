"""Wave 1, governance account: Lake Formation settings, LF-tags, catalog encryption."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, wildcard_resource
from datamesh.annotations.tagging import GOVERNANCE_DOMAIN
from datamesh.blueprint import lake_formation_admins
from datamesh.blueprint.accounts import catalog_key_use, lf_tags
from datamesh.config import Mesh
from datamesh.constructs.data_key import DataKey
from datamesh.constructs.domain_alerts import bus_policy_statement
from datamesh.constructs.lake_formation import LakeFormationAdmins, LfTagTaxonomy
from datamesh.constructs.policy_document import statement
from datamesh.constructs.role import MeshRole
from datamesh.names import naming
from datamesh.policies.classification import governance_level
from datamesh.policies.event_bus import default_bus, organization_statement
from datamesh.stacks.base import MeshStack

PRODUCER_BUCKETS = (
    "The registration role reads any bucket named like a producer's data bucket "
    "(naming.data_bucket); a bucket is readable only if its own policy also names the role, "
    "so the pattern grants nothing a producer did not consent to, and new producers need no "
    "governance redeploy."
)
PRODUCER_KEYS = (
    "Producer keys live in the producer accounts with generated ids; the role may use them only "
    "through S3 (kms:ViaService) and only where the key policy names the role."
)


class GovernanceStack(MeshStack):
    """The central governance account's settings, shared by every domain."""

    def __init__(self, scope: Construct, id: str, *, mesh: Mesh, removal_policy: RemovalPolicy) -> None:
        cfg = mesh.config
        super().__init__(
            scope,
            id,
            mesh=mesh,
            account=cfg.governance_account,
            domain=GOVERNANCE_DOMAIN,
            owner="platform",
            cost_centre="platform",
            confidentiality=governance_level(mesh),
            description=f"Data mesh {cfg.name}: central governance (Lake Formation, LF-tags, catalog)",
            removal_policy=removal_policy,
        )
        self.admins = LakeFormationAdmins(
            self, "LakeFormationAdmins", admin_arns=lake_formation_admins(mesh, self.account)
        )
        if cfg.organization is not None:
            # The producers forward their new objects to this account's default bus (freshness watches): one
            # statement for the whole organization keeps the bus policy one statement long at any mesh size.
            bus_policy_statement(
                self,
                "OrganizationPutsEvents",
                organization_statement(
                    naming.organization_landing_statement(cfg.name),
                    cfg.organization.id,
                    default_bus(cfg.region, cfg.governance_account),
                ),
            )
        self.taxonomy = LfTagTaxonomy(
            self,
            "Taxonomy",
            catalog_id=self.account,
            tags=lf_tags(mesh),
        )
        for tag in self.taxonomy.tags.values():
            tag.node.add_dependency(self.admins)
        self._catalog_encryption(mesh)
        self.registration_role = self._registration_role(mesh)

    def _catalog_encryption(self, mesh: Mesh) -> None:
        # Domain accounts use the shared metadata through Glue, which encrypts and decrypts with
        # this key; their principals' own policies must allow the key too (cross-account use).
        use = catalog_key_use(mesh)
        key = DataKey(
            self,
            "CatalogKey",
            account=mesh.config.governance_account,
            alias=naming.catalog_key_alias(mesh.config.name),
            description=f"Encrypts the Glue Data Catalog of data mesh {mesh.config.name}",
            tags=self.resource_tags,
            statements=[
                statement(
                    sid=use.sid,
                    principal=use.principal,
                    actions=use.actions,
                    resources=["*"],
                    conditions=use.conditions,
                ),
                # The domains' alerts topics are encrypted with this key: EventBridge rules and CloudWatch alarms
                # publishing to them need it (SNS guide, "Encryption at rest": AWS services publishing to an
                # encrypted topic need the key policy to allow them).
                *(
                    statement(
                        sid=f"{name}PublishesAlerts",
                        principal={"Service": service},
                        actions=["kms:Decrypt", "kms:GenerateDataKey"],
                        resources=["*"],
                        conditions={"StringEquals": {"aws:SourceAccount": mesh.config.governance_account}},
                    )
                    for name, service in (
                        ("EventBridge", "events.amazonaws.com"),
                        ("CloudWatch", "cloudwatch.amazonaws.com"),
                    )
                ),
            ],
            removal_policy=self.removal_policy,
        )
        glue.CfnDataCatalogEncryptionSettings(
            self,
            "CatalogEncryption",
            catalog_id=self.account,
            data_catalog_encryption_settings=glue.CfnDataCatalogEncryptionSettings.DataCatalogEncryptionSettingsProperty(
                encryption_at_rest=glue.CfnDataCatalogEncryptionSettings.EncryptionAtRestProperty(
                    catalog_encryption_mode="SSE-KMS", sse_aws_kms_key_id=key.key_arn
                ),
                connection_password_encryption=glue.CfnDataCatalogEncryptionSettings.ConnectionPasswordEncryptionProperty(
                    return_connection_password_encrypted=True, kms_key_id=key.key_arn
                ),
            ),
        )

    def _registration_role(self, mesh: Mesh) -> MeshRole:
        """The role Lake Formation assumes to vend credentials for producers' data."""
        cfg = mesh.config
        role = MeshRole(
            self,
            "LakeFormationDataAccessRole",
            role_name=naming.registration_role(cfg.name),
            assumed_by={"Service": "lakeformation.amazonaws.com"},
            description="Lake Formation reads producer data locations registered in the mesh",
            tags=self.resource_tags,
        )
        # Bucket names follow naming.data_bucket; each producer's bucket and key policy also
        # name this role, so access needs both sides to agree.
        buckets = f"arn:aws:s3:::{naming.data_bucket(cfg.name, '*', '*', cfg.region)}"
        objects, keys = f"{buckets}/*", f"arn:aws:kms:{cfg.region}:*:key/*"
        role.add_to_policy(
            statement(
                sid="ReadProducerData",
                actions=["s3:GetObject", "s3:GetObjectVersion"],
                resources=[objects],
            ),
            statement(
                sid="ListProducerBuckets",
                actions=["s3:ListBucket", "s3:GetBucketLocation"],
                resources=[buckets],
            ),
            statement(
                sid="DecryptProducerDataThroughS3",
                actions=["kms:Decrypt", "kms:DescribeKey"],
                # Any account's key, but only through S3: each producer's key policy names this role.
                resources=[keys],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{cfg.region}.amazonaws.com"}},
            ),
        )
        acknowledge(
            role,
            {
                wildcard_resource(buckets): PRODUCER_BUCKETS,
                wildcard_resource(objects): PRODUCER_BUCKETS,
                wildcard_resource(keys): PRODUCER_KEYS,
            },
        )
        return role
