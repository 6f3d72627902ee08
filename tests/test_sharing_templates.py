"""What the synthesized templates do so that cross-account sharing works on real AWS
(docs/real-aws.md, findings 2, 4 and 5)."""

from __future__ import annotations

import json

from aws_cdk.assertions import Match, Template

from datamesh.config import Mesh


def test_no_two_grants_of_a_stack_share_an_identity(templates: dict[str, Template]) -> None:
    """PrincipalPermissions is identified by catalog, principal and resource (its primaryIdentifier)."""
    for name, template in templates.items():
        identities = [
            json.dumps([r["Properties"]["Catalog"], r["Properties"]["Principal"], r["Properties"]["Resource"]], sort_keys=True)
            for r in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        ]
        assert len(identities) == len(set(identities)), name


def test_select_is_granted_on_columns_and_describe_on_the_table(templates: dict[str, Template]) -> None:
    for template in templates.values():
        for grant in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values():
            resource = grant["Properties"]["Resource"]
            if "SELECT" in grant["Properties"]["Permissions"]:  # on a named table: columns (the producer's: every table)
                assert "TableWithColumns" in resource or "TableWildcard" in resource.get("Table", {}), resource


def test_access_grants_wait_for_the_settings_that_make_the_deployer_an_admin(templates: dict[str, Template], example_mesh: Mesh) -> None:
    consumer_only = [d for d in example_mesh.consumers if not d.is_producer]
    assert consumer_only, "the example mesh has a consumer that is not a producer"
    for domain in consumer_only:
        template = templates[f"{domain.name.capitalize()}-Access"]
        [settings] = template.find_resources("AWS::LakeFormation::DataLakeSettings")
        grants = template.find_resources("AWS::LakeFormation::PrincipalPermissions")
        assert grants
        assert all(settings in g.get("DependsOn", []) for g in grants.values())


def test_the_analyst_may_use_the_governance_catalog_key_through_glue(templates: dict[str, Template], example_mesh: Mesh) -> None:
    cfg = example_mesh.config
    templates["Analytics-Access"].has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": Match.array_with([
        {"Sid": "UseCatalogKeyThroughGlue", "Effect": "Allow",
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
         "Resource": f"arn:aws:kms:{cfg.region}:{cfg.governance_account}:key/*",
         "Condition": {"StringEquals": {"kms:ViaService": f"glue.{cfg.region}.amazonaws.com"}}},
    ])}})
