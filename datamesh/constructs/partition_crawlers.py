"""A producing domain's partition crawlers: Glue sees the partitions Athena projects, so Data Quality reads rows."""

from __future__ import annotations

import json
from collections.abc import Mapping

from aws_cdk import RemovalPolicy
from aws_cdk import aws_glue as glue
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, wildcard_resource
from datamesh.blueprint import Alerts, Evaluation
from datamesh.constructs.data_key import DataKey
from datamesh.constructs.policy_document import statement
from datamesh.constructs.quality_evaluations import catalog_arns
from datamesh.constructs.role import MeshRole
from datamesh.names import naming

# EventBridge Scheduler's universal target for Glue's StartCrawler (EventBridge Scheduler user guide,
# "Using universal targets").
START_CRAWLER = "arn:aws:scheduler:::aws-sdk:glue:startCrawler"
# Partitions take the table's columns and formats, not the ones the crawler infers from the files (Glue
# guide, "Setting crawler configuration options": partitions inherit from the table).
CONFIGURATION = json.dumps(
    {"Version": 1.0, "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}}}, sort_keys=True
)
GET_DATA_ACCESS = (
    "lakeformation:GetDataAccess has no resource-level scope; Lake Formation vends the crawler credentials only "
    "for the data location granted to the partitions role."
)
CATALOG_KEY = (
    "The catalog key has a generated id; the partitions role may use this account's keys only through Glue "
    "(kms:ViaService) to read and write the encrypted catalog."
)
CRAWLER_LOGS = (
    "Glue names the log group of crawlers with an encrypting security configuration after the role and the "
    "configuration, under /aws-glue/crawlers-role/, with a stream per crawler."
)
# What CloudWatch Logs does with a log group's key (CloudWatch Logs user guide, "Encrypt log data in CloudWatch
# Logs using AWS Key Management Service"), named rather than with wildcards.
LOGS_KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey")


class PartitionCrawlers(Construct):
    """The partitions role (assumed by Glue; adds partitions to the evaluated tables through Lake Formation), one
    crawler per partitioned evaluated table (its existing catalog table as target, Lake Formation credentials, no
    change to the table's schema and no deletion), and one schedule per crawler at its evaluation's cadence,
    started by the domain's quality scheduler role. The Lake Formation grants to the role are the catalog stack's.

    :param alerts: the blueprint's monitoring of the domain (crawlers only for :attr:`Alerts.crawled`).
    :param scheduler_role: the domain's quality scheduler role, which may start the crawlers
        (:class:`datamesh.constructs.quality_evaluations.QualityEvaluations`).
    :param mesh_name: the mesh's name.
    :param account: the governance account.
    :param region: the mesh's region.
    :param tags: the stack's tags.
    :param removal_policy: of the crawlers' log key; defaults to ``RETAIN``.

    The crawlers' logs are encrypted with a key of their own, through a Glue security configuration (the
    key policy lets CloudWatch Logs use it for the crawlers' log groups only).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        alerts: Alerts,
        scheduler_role: MeshRole,
        mesh_name: str,
        account: str,
        region: str,
        tags: Mapping[str, str],
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, id)
        glue_arn = f"arn:aws:glue:{region}:{account}"
        crawled = alerts.crawled
        tables = sorted({(e.database, e.table) for e in crawled})
        self.role = MeshRole(
            self,
            "Role",
            role_name=alerts.partitions_role,
            assumed_by={"Service": "glue.amazonaws.com"},
            description=f"Glue crawlers register the partitions of domain {alerts.domain}",
            tags=tags,
        )
        keys = f"arn:aws:kms:{region}:{account}:key/*"
        logs = f"arn:aws:logs:{region}:{account}:log-group:/aws-glue/crawlers-role/*"
        log_groups = f"arn:aws:logs:{region}:{account}:log-group:/aws-glue/crawlers-role/{alerts.partitions_role}-*"
        logs_key = DataKey(
            self,
            "LogsKey",
            account=account,
            alias=naming.crawler_logs_key_alias(mesh_name, alerts.domain),
            description=f"Encrypts the logs of the partition crawlers of domain {alerts.domain}",
            tags=tags,
            statements=[
                statement(
                    sid="CloudWatchLogsEncryptsCrawlerLogs",
                    principal={"Service": f"logs.{region}.amazonaws.com"},
                    actions=[*LOGS_KEY_ACTIONS, "kms:DescribeKey"],
                    resources=["*"],
                    conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
                )
            ],
            removal_policy=removal_policy,
        )
        self.security_configuration = glue.CfnSecurityConfiguration(
            self,
            "SecurityConfiguration",
            name=naming.crawler_security_configuration(mesh_name, alerts.domain),
            encryption_configuration={
                "cloudWatchEncryption": {"cloudWatchEncryptionMode": "SSE-KMS", "kmsKeyArn": logs_key.key_arn},
                "jobBookmarksEncryption": {"jobBookmarksEncryptionMode": "DISABLED"},
                "s3Encryptions": [{"s3EncryptionMode": "DISABLED"}],
            },
        )
        self.role.add_to_policy(
            statement(
                sid="RegisterPartitions",
                actions=[
                    "glue:GetDatabase",
                    "glue:GetTable",
                    "glue:GetPartition",
                    "glue:GetPartitions",
                    "glue:BatchGetPartition",
                    "glue:CreatePartition",
                    "glue:BatchCreatePartition",
                    "glue:UpdatePartition",
                    "glue:BatchUpdatePartition",
                ],
                resources=catalog_arns(glue_arn, tables),
            ),
            statement(sid="ReadDataThroughLakeFormation", actions=["lakeformation:GetDataAccess"], resources=["*"]),
            statement(
                sid="UseCatalogKeyThroughGlue",
                actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                resources=[keys],
                conditions={"StringEquals": {"kms:ViaService": f"glue.{region}.amazonaws.com"}},
            ),
            statement(
                sid="WriteCrawlerLogs",
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
                resources=[logs],
            ),
        )
        acknowledge(
            self.role,
            {
                wildcard_resource("*"): GET_DATA_ACCESS,
                wildcard_resource(keys): CATALOG_KEY,
                wildcard_resource(logs): CRAWLER_LOGS,
            },
        )
        self.crawlers: dict[str, glue.CfnCrawler] = {}
        """Each crawler by name: its target table is named, not referenced (the stack makes it wait for it)."""
        for evaluation in crawled:
            self.crawlers[evaluation.crawler] = self._crawler(evaluation, tags)
            self._schedule(evaluation, self.crawlers[evaluation.crawler], scheduler_role)

    def _crawler(self, evaluation: Evaluation, tags: Mapping[str, str]) -> glue.CfnCrawler:
        # Nested properties as dictionaries: each property class would be one more jsii round trip.
        return glue.CfnCrawler(
            self,
            f"Crawler-{evaluation.ruleset}",
            name=evaluation.crawler,
            description=f"Registers the partitions of {evaluation.database}.{evaluation.table}",
            role=self.role.role_arn,
            targets={"catalogTargets": [{"databaseName": evaluation.database, "tables": [evaluation.table]}]},
            schema_change_policy={"updateBehavior": "LOG", "deleteBehavior": "LOG"},
            recrawl_policy={"recrawlBehavior": "CRAWL_EVERYTHING"},
            lake_formation_configuration={"useLakeFormationCredentials": True},
            configuration=CONFIGURATION,
            crawler_security_configuration=self.security_configuration.ref,
            tags=dict(tags),
        )

    def _schedule(self, evaluation: Evaluation, crawler: glue.CfnCrawler, scheduler_role: MeshRole) -> None:
        schedule = scheduler.CfnSchedule(
            self,
            f"Schedule-{evaluation.ruleset}",
            name=evaluation.crawl_schedule,
            description=f"Registers the new partitions of {evaluation.database}.{evaluation.table}",
            schedule_expression=evaluation.expression,
            state="ENABLED",
            flexible_time_window={"mode": "OFF"},
            target={
                "arn": START_CRAWLER,
                "roleArn": scheduler_role.role_arn,
                "input": json.dumps({"Name": evaluation.crawler}, sort_keys=True),
            },
        )
        schedule.node.add_dependency(crawler)
