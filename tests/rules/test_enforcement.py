"""The example mesh passes every policy, cdk-nag and cfn-lint; a violation fails synthesis everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from aws_cdk import Annotations, App, Environment, RemovalPolicy, Stack, Validations
from aws_cdk import aws_s3 as s3
from cfnlint.api import ManualArgs, lint_file

from datamesh.app.mesh_app import build_mesh
from datamesh.config import ConfigError, load_mesh
from datamesh.constructs.role import MeshRole
from datamesh.policies import classification
from datamesh.policies.parameter_rules import parameter_problems
from datamesh.rules import RULES
from tests.support.multitable_mesh import EVERY_ROW

ROOT = Path(__file__).resolve().parents[2]
CDK = ROOT / "node_modules" / ".bin" / "cdk"
ROGUE_APP = Path(__file__).with_name("rogue_app.py")
DOCS = ROOT / "docs" / "governance.md"
ROGUE_ERROR = "domain sales: Sales-Storage/Rogue: bucket is not encrypted with a customer-managed KMS key"


class TestExampleMesh:
    def test_no_unsuppressed_finding_of_any_plugin(self, validation_report):
        found = [
            (r["pluginName"], v["ruleName"], [c["constructPath"] for c in v["violatingConstructs"]])
            for r in validation_report["pluginReports"]
            for v in r["violations"]
        ]
        assert found == []
        assert {r["pluginName"]: r["conclusion"] for r in validation_report["pluginReports"]} == {
            "AwsSolutions": "success"
        }

    def test_every_acknowledgement_is_one_finding_on_one_role(self, example_assembly, validation_report):
        _, stacks = example_assembly
        acknowledged = [
            (construct, rule)
            for stack in stacks.all()
            for construct in stack.node.find_all()
            for entry in construct.node.metadata
            if entry.type == Validations.ACKNOWLEDGED_RULES_METADATA_KEY
            for rule in entry.data
        ]
        used = {
            (s["acknowledgedAt"], s["acknowledgedId"])
            for r in validation_report["pluginReports"]
            for s in r.get("suppressedViolations", [])
        }
        assert {(construct.node.path, rule) for construct, rule in acknowledged} == used  # none stale or too broad
        assert {type(construct) for construct, _ in acknowledged} == {MeshRole}  # never a stack or the app

    def test_every_acknowledged_finding_is_listed_in_the_docs(self, validation_report):
        docs = DOCS.read_text(encoding="utf-8")
        findings = {
            s["ruleName"] for r in validation_report["pluginReports"] for s in r.get("suppressedViolations", [])
        }
        assert findings and [f for f in findings if f"`{f}`" not in docs] == []

    def test_a_consumer_granted_nothing_gets_the_lowest_level(self, example_mesh, mesh_copy):
        def only_pending(doc):
            doc["consumes"] = [s for s in doc["consumes"] if s["product"] == "finance.invoices"]
            return doc

        mesh = load_mesh(mesh_copy(("domains/marketing.yaml", only_pending)))
        assert mesh.granted_shares(consumer="marketing") == []
        assert classification.consumer_level(mesh, mesh.domain("marketing")) == "public"

    def test_cfn_lint_finds_no_error_or_warning(self, example_assembly):
        out, _ = example_assembly
        templates = sorted(out.glob("*.template.json"))
        assert len(templates) == 8
        matches = [
            str(m)
            for t in templates
            for m in lint_file(t, ManualArgs(regions=["eu-west-1"]))
            if m.rule.severity in ("error", "warning")
        ]
        assert matches == []

    @pytest.mark.parametrize(
        "stack, level",
        [
            ("Governance", "restricted"),  # the catalog describes every product
            ("Sales-Storage", "confidential"),
            ("Sales-Catalog", "confidential"),  # orders internal, customers confidential
            ("Finance-Storage", "confidential"),
            ("Finance-Catalog", "confidential"),
            ("Analytics-Access", "confidential"),  # granted sales.orders (internal) and finance.invoices (confidential)
            ("Marketing-Access", "confidential"),  # granted sales.orders and sales.customers; finance.invoices pending
            ("Finance-Access", "internal"),  # granted sales.orders only
        ],
    )
    def test_stack_and_its_resources_carry_the_confidentiality(self, example_assembly, stack, level):
        out, _ = example_assembly
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["artifacts"][stack]["properties"]["tags"]["datamesh:confidentiality"] == level
        resources = json.loads((out / f"{stack}.template.json").read_text())["Resources"].values()
        levels = set()
        for resource in resources:
            tags = resource.get("Properties", {}).get("Tags", [])
            pairs = tags.items() if isinstance(tags, dict) else ((t["Key"], t["Value"]) for t in tags)
            levels |= {value for key, value in pairs if key == "datamesh:confidentiality"}
        assert levels <= {level}


class TestViolations:
    def test_fail_in_process_synthesis_naming_domain_path_and_rule(self, example_mesh):
        app = App()
        stacks = build_mesh(app, example_mesh)
        s3.CfnBucket(stacks.storage["sales"], "Rogue")
        with pytest.raises(RuntimeError, match="ValidationFailed") as error:
            app.synth()
        assert ROGUE_ERROR in str(error.value)
        assert "DataMesh::BucketEncryption" in str(error.value)

    def test_a_stack_beside_the_mesh_is_checked_as_outside_the_mesh(self, example_mesh):
        app = App()
        build_mesh(app, example_mesh)
        s3.CfnBucket(Stack(app, "Extra", env=Environment(account="999999999999", region="eu-west-1")), "Plain")
        with pytest.raises(RuntimeError, match="ValidationFailed") as error:
            app.synth()
        assert "domain (outside the mesh): Extra/Plain: " in str(error.value)
        assert "domain sales:" not in str(error.value)

    def test_a_stale_template_in_the_output_directory_is_not_checked(self, example_mesh, tmp_path):
        """The policy rules read the templates of this synthesis only, not what an earlier one left behind."""
        (tmp_path / "Removed-Storage.template.json").write_text(
            json.dumps({"Resources": {"Plain": {"Type": "AWS::S3::Bucket", "Properties": {}}}})
        )
        app = App(outdir=str(tmp_path))
        build_mesh(app, example_mesh)
        app.synth()

    def test_an_error_annotation_of_a_construct_fails_synthesis_too(self, example_mesh):
        app = App()
        stacks = build_mesh(app, example_mesh)
        Annotations.of(stacks.storage["sales"].bucket).add_error("this bucket is wrong")
        with pytest.raises(RuntimeError, match="ValidationFailed") as error:
            app.synth()
        assert "this bucket is wrong" in str(error.value)

    def test_a_pii_partition_key_is_refused_before_synthesis(self, mesh_copy):
        """A partition key cannot be withheld (Lake Formation filters no partition key): the loader
        behind both `meshctl validate` and the app refuses it in one line, so no template exposes it."""

        def partition_by_pii_country(doc):
            country = next(p for p in doc["schema"][0]["properties"] if p["name"] == "country")
            country.update(partitioned=True, partitionKeyPosition=1, tags=["pii"])
            return doc

        mesh = mesh_copy(("domains/sales/contracts/customers.yaml", partition_by_pii_country), EVERY_ROW)
        with pytest.raises(ConfigError) as error:
            load_mesh(mesh, rules=parameter_problems)
        index = next(
            i
            for i, p in enumerate(
                yaml.safe_load((mesh.parent / "domains/sales/contracts/customers.yaml").read_text())["schema"][0][
                    "properties"
                ]
            )
            if p["name"] == "country"
        )
        assert [(p.field, p.reason) for p in error.value.problems] == [
            (
                f"schema[0].properties[{index}].tags",
                "partition key 'country' is tagged pii, but Lake Formation cannot "
                "withhold a partition key from a grant (no column filtering on partition keys): drop the pii tag or make "
                "it a column",
            )
        ]

    def test_allow_destroy_lets_the_example_mesh_delete_its_data(self, example_mesh):
        app = App()
        build_mesh(app, example_mesh, allow_destroy=True)
        resources = app.synth().get_stack_by_name("acme-Sales-Storage").template["Resources"].values()
        buckets = [r for r in resources if r["Type"] == "AWS::S3::Bucket"]
        assert len(buckets) == 2 and {(r["DeletionPolicy"], r["UpdateReplacePolicy"]) for r in buckets} == {
            ("Delete", "Delete")
        }

    def test_allow_destroy_switches_off_only_the_retention_rule(self, findings):
        def doomed(stack):  # breaks most bucket rules at once
            s3.Bucket(stack, "Doomed", removal_policy=RemovalPolicy.DESTROY)

        def rules_broken(allow_destroy: bool) -> set[str]:
            return {m.rsplit("(", 1)[1].rstrip(")") for m in findings(RULES, doomed, allow_destroy=allow_destroy)}

        kept = rules_broken(allow_destroy=False)
        assert {"DataMesh::RetainData", "DataMesh::BucketEncryption", "DataMesh::BucketVersioning"} <= kept
        assert rules_broken(allow_destroy=True) == kept - {"DataMesh::RetainData"}


def user_env() -> dict[str, str]:
    """As a user's shell has it: no pytest markers (they change how CDK reports), the project first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CDK_", "PYTEST"))}
    return env | {
        "PYTHONPATH": str(ROOT),
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), str(CDK.parent), os.environ.get("PATH", "")]),
    }


class TestEntryPointsFail:
    @pytest.mark.slow
    def test_python_app_exits_1_with_the_report_and_no_traceback(self, tmp_path):
        env = user_env() | {"CDK_OUTDIR": str(tmp_path / "out")}
        result = subprocess.run(
            [sys.executable, str(ROGUE_APP)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 1
        assert ROGUE_ERROR in result.stderr and "DataMesh::BucketEncryption" in result.stderr
        assert "error: synthesis failed: the mesh violates its policies" in result.stderr
        assert "Traceback" not in result.stderr

    @pytest.mark.slow
    def test_turning_off_cdk_template_validation_keeps_the_mesh_policies(self, tmp_path):
        """`cdk synth --no-validation` (CDK_VALIDATION=false) skips only CDK's schema check, not the policies."""
        env = user_env() | {"CDK_OUTDIR": str(tmp_path / "out"), "CDK_VALIDATION": "false"}
        result = subprocess.run(
            [sys.executable, str(ROGUE_APP)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 1
        assert ROGUE_ERROR in result.stderr and "AwsSolutions-S10" in result.stderr

    @pytest.mark.slow
    def test_cdk_synth_fails(self, tmp_path):
        result = subprocess.run(
            [str(CDK), "synth", "--quiet", "--app", f"{sys.executable} {ROGUE_APP}", "--output", str(tmp_path / "out")],
            cwd=ROOT,
            env=user_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 0
        assert ROGUE_ERROR in result.stderr and "DataMesh::BucketEncryption" in result.stderr
