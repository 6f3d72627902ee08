"""What the synthesized templates do so that cross-account sharing works on real AWS
(docs/real-aws.md)."""

from __future__ import annotations

import json

from aws_cdk.assertions import Match, Template

from datamesh.config import Mesh


def _stored_as(resource: dict) -> tuple[str, str]:
    """The resource as Lake Formation stores a grant on it: SELECT on every column is a grant on the table."""
    kind, spec = next(iter(resource.items()))
    if (
        kind == "TableWithColumns"
        and "ColumnNames" not in spec
        and not spec.get("ColumnWildcard", {}).get("ExcludedColumnNames")
    ):
        kind = "Table"
    spec = {k: v for k, v in spec.items() if k not in ("ColumnWildcard",)} if kind == "Table" else spec
    return kind, json.dumps(spec, sort_keys=True)


def test_each_grant_is_one_lake_formation_identity_as_lake_formation_stores_it(templates: dict[str, Template]) -> None:
    """PrincipalPermissions is identified by catalog, principal and resource (its primaryIdentifier), and
    Lake Formation stores SELECT on a table's columns with nothing withheld as SELECT on the table."""
    for template in templates.values():
        identities = [
            (
                g["Properties"]["Catalog"],
                json.dumps(g["Properties"]["Principal"], sort_keys=True),
                _stored_as(g["Properties"]["Resource"]),
            )
            for g in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values()
        ]
        assert len(identities) == len(set(identities))


def test_select_with_grant_option_on_some_columns_names_an_include_list(templates: dict[str, Template]) -> None:
    found = 0
    for template in templates.values():
        for grant in template.find_resources("AWS::LakeFormation::PrincipalPermissions").values():
            columns = grant["Properties"]["Resource"].get("TableWithColumns")
            if columns is not None and "SELECT" in grant["Properties"]["PermissionsWithGrantOption"]:
                found += 1
                assert "ColumnWildcard" not in columns and columns["ColumnNames"], columns
    for template in templates.values():
        for data_filter in template.find_resources("AWS::LakeFormation::DataCellsFilter").values():
            found += 1
            assert data_filter["Properties"]["ColumnNames"], data_filter
    assert found  # marketing's share of sales.customers withholds email (on the approval's data filter)


def test_access_grants_wait_for_the_settings_that_make_the_deployer_an_admin(
    templates: dict[str, Template], example_mesh: Mesh
) -> None:
    consumer_only = [d for d in example_mesh.consumers if not d.is_producer]
    assert consumer_only, "the example mesh has a consumer that is not a producer"
    for domain in consumer_only:
        template = templates[f"{domain.name.capitalize()}-Access"]
        [settings] = template.find_resources("AWS::LakeFormation::DataLakeSettings")
        grants = template.find_resources("AWS::LakeFormation::PrincipalPermissions")
        assert grants
        assert all(settings in g.get("DependsOn", []) for g in grants.values())


def test_the_analyst_may_use_the_governance_catalog_key_through_glue(
    templates: dict[str, Template], example_mesh: Mesh
) -> None:
    cfg = example_mesh.config
    templates["Analytics-Access"].has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        {
                            "Sid": "UseCatalogKeyThroughGlue",
                            "Effect": "Allow",
                            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                            "Resource": f"arn:aws:kms:{cfg.region}:{cfg.governance_account}:key/*",
                            "Condition": {"StringEquals": {"kms:ViaService": f"glue.{cfg.region}.amazonaws.com"}},
                        },
                    ]
                )
            }
        },
    )
