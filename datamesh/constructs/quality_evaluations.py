"""A producing domain's scheduled Glue Data Quality evaluations: the role they run as, and who starts them."""

from __future__ import annotations

import json
from collections.abc import Mapping

from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from datamesh.annotations.acknowledgements import acknowledge, wildcard_resource
from datamesh.blueprint import Alerts, Evaluation
from datamesh.blueprint.monitoring import TIMEOUT_MINUTES, WORKERS
from datamesh.constructs.policy_document import statement
from datamesh.constructs.role import MeshRole
from datamesh.names import naming

# EventBridge Scheduler's universal target: any API action as arn:aws:scheduler:::aws-sdk:<service>:<action>.
START_EVALUATION = "arn:aws:scheduler:::aws-sdk:glue:startDataQualityRulesetEvaluationRun"
GET_DATA_ACCESS = (
    "lakeformation:GetDataAccess has no resource-level scope; Lake Formation vends credentials only "
    "for the tables the quality role was granted."
)
CATALOG_KEY = (
    "The catalog key has a generated id; the quality role may use this account's keys only through Glue "
    "(kms:ViaService) to read the encrypted catalog."
)
GLUE_LOGS = "Glue Data Quality writes its run logs to log groups it names under /aws-glue/."


def catalog_arns(glue_arn: str, tables: list[tuple[str, str]]) -> list[str]:
    """The catalog, the databases and the tables of ``tables`` ((database, table) pairs), as Glue's IAM resources
    (``glue_arn``: ``arn:aws:glue:<region>:<account>``)."""
    return [
        f"{glue_arn}:catalog",
        *sorted({f"{glue_arn}:database/{db}" for db, _ in tables}),
        *(f"{glue_arn}:table/{db}/{table}" for db, table in tables),
    ]


class QualityEvaluations(Construct):
    """The quality role (assumed by Glue, reads the evaluated tables through Lake Formation), the scheduler
    role (assumed by EventBridge Scheduler, may start the domain's rulesets' runs as the quality role, and its
    partition crawlers), and one schedule per ruleset. The Lake Formation grants to the quality role are the catalog stack's.

    :param alerts: the blueprint's monitoring of the domain.
    :param account: the governance account.
    :param region: the mesh's region.
    :param tags: the stack's tags.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mesh_name: str,
        alerts: Alerts,
        account: str,
        region: str,
        tags: Mapping[str, str],
    ) -> None:
        super().__init__(scope, id)
        glue_arn = f"arn:aws:glue:{region}:{account}"
        tables = sorted({(e.database, e.table) for w in alerts.watches for e in w.evaluations})
        rulesets = [f"{glue_arn}:dataQualityRuleset/{name}" for name in alerts.rulesets]
        self.quality_role = MeshRole(
            self,
            "QualityRole",
            role_name=alerts.quality_role,
            assumed_by={"Service": "glue.amazonaws.com"},
            description=f"Glue Data Quality evaluates the rulesets of domain {alerts.domain}",
            tags=tags,
        )
        keys = f"arn:aws:kms:{region}:{account}:key/*"
        logs = f"arn:aws:logs:{region}:{account}:log-group:/aws-glue/*"
        self.quality_role.add_to_policy(
            statement(
                sid="ReadCatalog",
                actions=[
                    "glue:GetDatabase",
                    "glue:GetTable",
                    "glue:GetPartition",
                    "glue:GetPartitions",
                    "glue:BatchGetPartition",
                ],
                resources=catalog_arns(glue_arn, tables),
            ),
            statement(
                sid="EvaluateRulesets",
                actions=["glue:GetDataQualityRuleset", "glue:PublishDataQuality"],
                resources=rulesets,
            ),
            statement(sid="ReadDataThroughLakeFormation", actions=["lakeformation:GetDataAccess"], resources=["*"]),
            statement(
                sid="DecryptCatalogThroughGlue",
                actions=["kms:Decrypt"],
                resources=[keys],
                conditions={"StringEquals": {"kms:ViaService": f"glue.{region}.amazonaws.com"}},
            ),
            statement(
                sid="WriteRunLogs",
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[logs],
            ),
        )
        acknowledge(
            self.quality_role,
            {
                wildcard_resource("*"): GET_DATA_ACCESS,
                wildcard_resource(keys): CATALOG_KEY,
                wildcard_resource(logs): GLUE_LOGS,
            },
        )
        quality_role_arn = naming.role_arn(account, alerts.quality_role)
        self.scheduler_role = MeshRole(
            self,
            "SchedulerRole",
            role_name=naming.quality_scheduler_role(mesh_name, alerts.domain),
            assumed_by={"Service": "scheduler.amazonaws.com"},
            description=f"EventBridge Scheduler starts the quality runs of domain {alerts.domain}",
            tags=tags,
        )
        self.scheduler_role.add_to_policy(
            statement(
                sid="StartEvaluations",
                actions=["glue:StartDataQualityRulesetEvaluationRun"],
                resources=[
                    *rulesets,
                    *(f"{glue_arn}:table/{db}/{table}" for db, table in tables),
                    f"{glue_arn}:catalog",
                    *sorted({f"{glue_arn}:database/{db}" for db, _ in tables}),
                ],
            ),
            statement(
                sid="PassQualityRole",
                actions=["iam:PassRole"],
                resources=[quality_role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}},
            ),
            # The partition crawlers' schedules start them as this role too (PartitionCrawlers); written here
            # with the rest, since each write of a policy sends the whole document again.
            *(
                [
                    statement(
                        sid="StartCrawlers",
                        actions=["glue:StartCrawler"],
                        resources=[f"{glue_arn}:crawler/{e.crawler}" for e in alerts.crawled],
                    )
                ]
                if alerts.crawled
                else []
            ),
        )
        for watch in alerts.watches:
            for evaluation in watch.evaluations:
                self._schedule(evaluation, account, quality_role_arn)

    def _schedule(self, evaluation: Evaluation, account: str, quality_role: str) -> None:
        run = {
            "DataSource": {
                "GlueTable": {"CatalogId": account, "DatabaseName": evaluation.database, "TableName": evaluation.table}
            },
            "Role": quality_role,
            "RulesetNames": [evaluation.ruleset],
            "NumberOfWorkers": WORKERS,
            "Timeout": TIMEOUT_MINUTES,
        }
        schedule = scheduler.CfnSchedule(
            self,
            f"Schedule-{evaluation.ruleset}",
            name=evaluation.schedule,
            description=f"Evaluates ruleset {evaluation.ruleset}",
            schedule_expression=evaluation.expression,
            state="ENABLED",
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=START_EVALUATION, role_arn=self.scheduler_role.role_arn, input=json.dumps(run, sort_keys=True)
            ),
        )
        schedule.node.add_dependency(self.quality_role)
