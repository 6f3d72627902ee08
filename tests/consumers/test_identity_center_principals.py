"""IAM Identity Center users and groups as a consumer's principals: granted by their identity store ARN
("Granting permissions to users and groups", Lake Formation Developer Guide), as the analyst is, and refused at
validation in one line where the files cannot work."""

from __future__ import annotations

from datamesh.blueprint import blueprint
from datamesh.blueprint.lake import principal_arn
from datamesh.config.models import ANALYST
from tests.consumers.conftest import MARKETING, synthesized, with_principals

DOMAIN = "domains/marketing.yaml"
GROUP = "8ec076ae-3f0d-5e69-9083-d716ec11412f"  # domains/marketing.yaml's campaigns
GROUP_ARN = f"arn:aws:identitystore:::group/{GROUP}"


def test_the_example_group_gets_the_analysts_grants_by_its_identity_store_arn(example_mesh):
    bp = blueprint(example_mesh)
    analyst = principal_arn(example_mesh, "marketing", ANALYST)
    granted = bp.principal_grants("marketing")

    def of(principal: str) -> list[tuple]:
        return [(g.resource, g.permissions, g.grantable, g.catalog) for g in granted if g.principal == principal]

    assert of(GROUP_ARN) and of(GROUP_ARN) == of(analyst)


def test_the_access_stack_grants_the_group_in_a_scope_of_its_own(example_mesh):
    found = synthesized(example_mesh)["Marketing-Access"].to_json()["Resources"]
    group = [
        logical
        for logical, r in found.items()
        if r["Type"] == "AWS::LakeFormation::PrincipalPermissions"
        and r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == GROUP_ARN
    ]
    assert group and all("Readercampaigns" in logical for logical in group)
    assert all(
        r["Properties"]["Catalog"] == MARKETING and r["Properties"]["PermissionsWithGrantOption"] == []
        for r in found.values()
        if r["Type"] == "AWS::LakeFormation::PrincipalPermissions"
        and r["Properties"]["Principal"]["DataLakePrincipalIdentifier"] == GROUP_ARN
    )


def _without_identity_center(doc: dict) -> dict:
    doc.pop("identity_center")
    return doc


def test_a_group_needs_the_instance_in_mesh_yaml(refused):
    assert refused(("mesh.yaml", _without_identity_center)) == [
        f"{DOMAIN}: principals[2].identity_center_group: an Identity Center principal needs identity_center "
        "(the instance) in mesh.yaml"
    ]


def test_a_group_listed_twice_is_refused(refused):
    group = {"identity_center_group": GROUP}
    assert refused((DOMAIN, with_principals({"name": "a", **group}, {"name": "b", **group}))) == [
        f"{DOMAIN}: principals[1].identity_center_group: group {GROUP} is listed already (Lake Formation holds "
        "one grant per principal)"
    ]


def test_a_principal_is_a_role_or_a_group_not_both(refused):
    (line,) = refused((DOMAIN, with_principals({"name": "x", "role": "r", "identity_center_group": GROUP})))
    assert line.startswith(f"{DOMAIN}: principals[0]") and "one of role, identity_center_group" in line


def test_a_group_reads_with_athena(refused):
    (line,) = refused(
        (DOMAIN, with_principals({"name": "x", "identity_center_group": GROUP, "engine": "redshift-spectrum"}))
    )
    assert line.startswith(f"{DOMAIN}: principals[0]") and "reads with athena" in line
