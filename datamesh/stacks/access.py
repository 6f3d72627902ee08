"""Wave 4, consumer account: resource links, the principals' grants, and an Athena workgroup for the analyst role."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, wildcard_resource
from datamesh.blueprint import CATALOG_KEY_ACTIONS, Blueprint, lake_formation_admins
from datamesh.blueprint import Grant as GrantSpec
from datamesh.blueprint import Link as LinkSpec
from datamesh.blueprint import blueprint as blueprint_of
from datamesh.blueprint.lake import principal_arn
from datamesh.config import DomainConfig, Mesh
from datamesh.config.models import ANALYST, Principal
from datamesh.constructs.data_key import DataKey, object_encryption
from datamesh.constructs.lake_formation import Grant, LakeFormationAdmins
from datamesh.constructs.logged_storage import LoggedStorage
from datamesh.constructs.policy_document import account_root, statement
from datamesh.constructs.query_workspace import QueryWorkspace
from datamesh.constructs.results_access_grants import ResultsAccessGrants
from datamesh.constructs.role import MeshRole
from datamesh.names import naming
from datamesh.policies.classification import consumer_level
from datamesh.stacks.base import DomainStack
from datamesh.stacks.catalog import construct_id

ANY_RESOURCE = (
    "lakeformation:GetDataAccess (Lake Formation checks the caller's grants before vending credentials) and "
    "Athena's ListDataCatalogs, ListEngineVersions and ListWorkGroups have no resource-level scope."
)
# Athena user guide, "Example workgroup policies": a user running queries in a specified workgroup.
ATHENA_WORKGROUP_ACTIONS = (
    "athena:BatchGetNamedQuery",
    "athena:BatchGetQueryExecution",
    "athena:CreateNamedQuery",
    "athena:DeleteNamedQuery",
    "athena:GetNamedQuery",
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:GetQueryResultsStream",
    "athena:GetWorkGroup",
    "athena:ListNamedQueries",
    "athena:ListQueryExecutions",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
)
ATHENA_CATALOG_ACTIONS = (
    "athena:GetDatabase",
    "athena:GetTableMetadata",
    "athena:ListDatabases",
    "athena:ListTableMetadata",
)
ATHENA_LIST_ACTIONS = ("athena:ListDataCatalogs", "athena:ListEngineVersions", "athena:ListWorkGroups")
CATALOG_KEY = (
    "The governance catalog's key has a generated id in another account; the analyst may use "
    "only that account's keys, only through Glue (kms:ViaService), and only where the key "
    "policy allows the analyst's account: the catalog key."
)


class AccessStack(DomainStack):
    """How one consumer domain reaches the products shared with it.

    Each approved subscription gets a resource link (named like the product's database)
    in the consumer's catalog, and each of the domain's principals the subscription goes to
    (the analyst role unless the domain lists others) gets the subscribed permissions on it
    (:meth:`Blueprint.resource_links_of`, :meth:`Blueprint.principal_grants`). An existing role's
    IAM policy is its owner's: the mesh grants it Lake Formation permissions only.
    Pending subscriptions get nothing.

    :param blueprint: the mesh's blueprint; defaults to ``mesh``'s (pass the one the app
        already has: it is computed once for every stack).
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
            purpose="access",
            confidentiality=consumer_level(mesh, domain),
            removal_policy=removal_policy,
        )
        bp = blueprint or blueprint_of(mesh)
        grants = bp.analyst_grants(domain.name)
        principals = bp.principal_grants(domain.name)
        # A producer's storage stack already set its account's admins. Here, the grants must wait for
        # them: CloudFormation creates resources that do not depend on each other in parallel.
        self.admins = (
            None
            if domain.is_producer
            else LakeFormationAdmins(
                self, "LakeFormationAdmins", admin_arns=lake_formation_admins(mesh, domain.account)
            )
        )
        tags = self.resource_tags
        storage = LoggedStorage(
            self,
            account=domain.account,
            tags=tags,
            key_id="QueryKey",
            key_alias=naming.query_key_alias(cfg.name, domain.name),
            key_description=f"Encrypts the Athena query results of domain {domain.name}",
            logs_id="AccessLogs",
            logs_bucket_name=naming.query_results_log_bucket(cfg.name, domain.name, domain.account, cfg.region),
            removal_policy=removal_policy,
        )
        workspace = QueryWorkspace(
            self,
            "Queries",
            workgroup_name=naming.workgroup(cfg.name, domain.name),
            results_bucket_name=naming.query_results_bucket(cfg.name, domain.name, domain.account, cfg.region),
            storage=storage,
            tags=tags,
        )
        self.analyst_role = self._analyst_role(mesh, domain, workspace, storage.key, grants)
        people = [(p.name, *p.identity_center) for p in domain.principals if p.identity_center]
        if cfg.identity_center is not None and people:
            self._identity_center_role(mesh, domain, workspace, storage.key)
            ResultsAccessGrants(
                self,
                "ResultsAccessGrants",
                instance_arn=cfg.identity_center.instance_arn,
                role_name=naming.access_grants_role(cfg.name, domain.name),
                workspace=workspace,
                key=storage.key,
                prefix=f"{naming.QUERY_RESULTS_PREFIX}identity-center/*",
                grantees=people,
                tags=self.resource_tags,
            )
        # The analyst role's grants name its ARN attribute (they wait for the role); an existing role's, its ARN.
        readers = {principal_arn(mesh, domain.name, p): p for p in domain.readers}
        analyst = principal_arn(mesh, domain.name, ANALYST)
        by_database: dict[str, list[GrantSpec]] = {}  # a resource link is named like the database it points to
        for grant in principals:
            by_database.setdefault(grant.resource.database, []).append(grant)
        for link in bp.resource_links_of(domain.name):
            self._subscribe(link, by_database[link.name], analyst, readers)

    def _analyst_role(
        self, mesh: Mesh, domain: DomainConfig, workspace: QueryWorkspace, key: DataKey, grants: list[GrantSpec]
    ) -> MeshRole:
        cfg = mesh.config
        account, region = domain.account, cfg.region
        role = MeshRole(
            self,
            "AnalystRole",
            role_name=naming.analyst_role(cfg.name, domain.name),
            assumed_by={"AWS": account_root(domain.account)},
            description=f"Queries the data products domain {domain.name} subscribed to",
            tags=self.resource_tags,
        )
        # What Athena's guide gives a user who runs queries in one workgroup ("Example workgroup policies"):
        # the queries of that workgroup, and listing catalogs, databases, tables and workgroups.
        statements = [
            statement(
                sid="QueryInWorkgroup",
                actions=list(ATHENA_WORKGROUP_ACTIONS),
                resources=[f"arn:aws:athena:{region}:{account}:workgroup/{workspace.workgroup_name}"],
            ),
            statement(
                sid="BrowseInAthena",
                actions=list(ATHENA_CATALOG_ACTIONS),
                resources=[f"arn:aws:athena:{region}:{account}:datacatalog/AwsDataCatalog"],
            ),  # its catalog: the links
            statement(sid="ListInAthena", actions=list(ATHENA_LIST_ACTIONS), resources=["*"]),
        ]
        findings: dict[str, str] = {}
        # Each table the analyst is granted something on, once, in the grants' order.
        tables = list(dict.fromkeys((g.resource.database, g.resource.table) for g in grants if g.resource.table))
        if tables:
            catalog_arns = []
            for catalog in (account, cfg.governance_account):
                catalog_arns.append(f"arn:aws:glue:{region}:{catalog}:catalog")
                for db, table in tables:
                    catalog_arns += [
                        f"arn:aws:glue:{region}:{catalog}:database/{db}",
                        f"arn:aws:glue:{region}:{catalog}:table/{db}/{table}",
                    ]
            # Athena reads the governance catalog's metadata, encrypted with its key; using a key of
            # another account needs the key policy (governance stack) and this policy to allow it.
            catalog_keys = f"arn:aws:kms:{region}:{cfg.governance_account}:key/*"
            statements += [
                statement(
                    sid="ReadSubscribedMetadata",
                    actions=[
                        "glue:BatchGetPartition",
                        "glue:GetDatabase",
                        "glue:GetDatabases",
                        "glue:GetPartition",
                        "glue:GetPartitions",
                        "glue:GetTable",
                        "glue:GetTables",
                    ],
                    resources=catalog_arns,
                ),
                # Lake Formation vends data credentials; the action has no resource-level scope.
                statement(sid="LakeFormationCredentials", actions=["lakeformation:GetDataAccess"], resources=["*"]),
                statement(
                    sid="UseCatalogKeyThroughGlue",
                    actions=list(CATALOG_KEY_ACTIONS),
                    resources=[catalog_keys],
                    conditions={"StringEquals": {"kms:ViaService": f"glue.{region}.amazonaws.com"}},
                ),
            ]
            findings[wildcard_resource(catalog_keys)] = CATALOG_KEY
        findings[wildcard_resource("*")] = ANY_RESOURCE
        results, result_findings = workspace.results_access()
        # One write of the policy and one acknowledgement: each call is a jsii round trip.
        role.add_to_policy(*statements, object_encryption(key), *results)
        acknowledge(role, {**findings, **result_findings})
        return role

    def _identity_center_role(self, mesh: Mesh, domain: DomainConfig, workspace: QueryWorkspace, key: DataKey) -> None:
        """The execution role of the domain's Identity Center workgroup (``naming.identity_center_workgroup``, made
        by :mod:`datamesh.doctor.identity_center_workgroups`): Athena assumes it, setting the user's identity context
        (``sts:SetContext``), and writes the results it reads back where the analyst's workgroup does."""
        role = MeshRole(
            self,
            "IdentityCenterQueryRole",
            role_name=naming.identity_center_query_role(mesh.config.name, domain.name),
            assumed_by={"Service": "athena.amazonaws.com"},
            trust_actions=("sts:AssumeRole", "sts:SetContext"),
            description=f"Runs the queries of domain {domain.name}'s Identity Center users",
            tags=self.resource_tags,
        )
        results, result_findings = workspace.results_access()
        credentials = statement(
            sid="LakeFormationCredentials", actions=["lakeformation:GetDataAccess"], resources=["*"]
        )
        role.add_to_policy(credentials, object_encryption(key), *results)
        acknowledge(role, {wildcard_resource("*"): ANY_RESOURCE, **result_findings})

    def _subscribe(self, link: LinkSpec, grants: list[GrantSpec], analyst: str, readers: dict[str, Principal]) -> None:
        """A resource link to a product's database, and the grants on it and its tables to each principal: the
        analyst role's (``analyst``: its ARN) in the share's scope, each other principal's in a scope of its own."""
        producer, name = grants[0].product.split(".")
        scope = Construct(self, f"{naming.pascal(producer)}{construct_id(name)}")
        resource_link = glue.CfnDatabase(
            scope,
            "ResourceLink",
            catalog_id=link.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=link.name,
                target_database=glue.CfnDatabase.DatabaseIdentifierProperty(
                    catalog_id=link.target_catalog, database_name=link.target_database
                ),
            ),
        )
        scopes: dict[str, Construct] = {}
        tables: dict[tuple[str, str], Construct] = {}
        made = []
        for grant in grants:
            if grant.principal not in scopes:
                scopes[grant.principal] = (
                    scope if grant.principal == analyst else Construct(scope, f"Reader-{readers[grant.principal].name}")
                )
            parent = scopes[grant.principal]
            principal = self.analyst_role.role_arn if grant.principal == analyst else grant.principal
            table = grant.resource.table
            if not table and grant.resource.catalog == link.account:  # DESCRIBE on the resource link
                made.append(Grant(parent, "LinkGrant", grant=grant, principal=principal, database=resource_link.ref))
                continue
            if not table:  # DESCRIBE on the link's target: a grant on a link grants nothing on its target
                made.append(Grant(parent, "TargetGrant", grant=grant, principal=principal))
                continue
            if (grant.principal, table) not in tables:
                tables[grant.principal, table] = parent if table == name else Construct(parent, f"Table-{table}")
            made.append(
                Grant(tables[grant.principal, table], f"{grant.on_table}Grant", grant=grant, principal=principal)
            )
        if self.admins is not None:
            # Creating a resource link needs the account's Lake Formation admin, as granting does.
            resource_link.add_dependency(self.admins.settings)
            for grant in made:  # resource to resource: one jsii call, where node.add_dependency takes two
                grant.permissions.add_resource_dependency(self.admins.settings)
