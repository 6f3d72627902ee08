"""The Athena workgroups where consumers' IAM Identity Center users query as themselves, made and checked.

A consumer domain whose principals name an Identity Center user or group gets a workgroup of its own
(``naming.identity_center_workgroup``) enabled for Identity Center: trusted identity propagation needs one
("Use IAM Identity Center enabled Athena workgroups", Athena user guide). CloudFormation's
``AWS::Athena::WorkGroup`` has no Identity Center setting, and Athena sets it only when the workgroup is created
(``IdentityCenterConfiguration`` is in ``CreateWorkGroup``'s ``WorkGroupConfiguration``, not in
``UpdateWorkGroup``'s ``WorkGroupConfigurationUpdates``; Athena API reference), so :func:`prepare` creates it
through the API after the consumer's Access stack has made the execution role it names, which the API requires of
an Identity Center enabled workgroup (``WorkGroupConfiguration.ExecutionRole``). Its results go where the
domain's analyst workgroup writes them, through S3 Access Grants for the users' identities
(``QueryResultsS3AccessGrantsConfiguration``). :func:`check` is what ``meshctl doctor`` judges.
"""

from __future__ import annotations

from typing import Any

from datamesh.aws.answers import NotFound
from datamesh.config import DomainConfig, Mesh
from datamesh.doctor.findings import Finding, Status
from datamesh.names import naming

KIND = "athena-identity-center-workgroup"


def domains(mesh: Mesh) -> list[DomainConfig]:
    """The consumer domains that get an Identity Center workgroup: those naming an Identity Center principal."""
    if mesh.config.identity_center is None:
        return []
    return [d for d in mesh.domains if any(p.identity_center for p in d.principals)]


def configuration(mesh: Mesh, domain: DomainConfig) -> dict[str, Any]:
    """The workgroup's ``WorkGroupConfiguration`` for ``CreateWorkGroup``."""
    cfg = mesh.config
    assert cfg.identity_center is not None  # domains() lists no domain otherwise
    results = naming.identity_center_results(cfg.name, domain.name, domain.account, cfg.region)
    return {
        "ResultConfiguration": {"OutputLocation": results},
        "EnforceWorkGroupConfiguration": True,
        "PublishCloudWatchMetricsEnabled": True,
        "ExecutionRole": naming.role_arn(domain.account, naming.identity_center_query_role(cfg.name, domain.name)),
        "IdentityCenterConfiguration": {
            "EnableIdentityCenter": True,
            "IdentityCenterInstanceArn": cfg.identity_center.instance_arn,
        },
        "QueryResultsS3AccessGrantsConfiguration": {
            "EnableS3AccessGrants": True,
            "CreateUserLevelPrefix": True,
            "AuthenticationType": "DIRECTORY_IDENTITY",
        },
    }


def _found(athena: Any, name: str) -> dict[str, Any] | None:
    try:
        return athena.get_work_group(WorkGroup=name)["WorkGroup"]
    except NotFound:
        return None


def prepare(athena: Any, mesh: Mesh, domain: DomainConfig) -> str | None:
    """Create ``domain``'s Identity Center workgroup when it does not exist; what was done, None when nothing was.
    An existing workgroup is left alone: its Identity Center setting cannot be changed, which doctor reports."""
    name = naming.identity_center_workgroup(mesh.config.name, domain.name)
    if _found(athena, name) is not None:
        return None
    athena.create_work_group(
        Name=name,
        Configuration=configuration(mesh, domain),
        Description=f"Queries of domain {domain.name}'s Identity Center users, as themselves",
    )
    return f"Athena workgroup {name} created for Identity Center users"


def check(athena: Any, mesh: Mesh, domain: DomainConfig) -> Finding:
    """Doctor's finding on ``domain``'s Identity Center workgroup: ok, missing, or different (not enabled for the
    mesh's Identity Center instance)."""
    name = naming.identity_center_workgroup(mesh.config.name, domain.name)
    found = _found(athena, name)
    if found is None:
        return Finding(domain.name, "", KIND, name, Status.MISSING, "expected (meshctl deploy)")
    wanted = configuration(mesh, domain)["IdentityCenterConfiguration"]
    have = (found.get("Configuration") or {}).get("IdentityCenterConfiguration") or {}
    if have.get("EnableIdentityCenter") is not True:
        return Finding(domain.name, "", KIND, name, Status.DIFFERENT, "not enabled for Identity Center (recreate it)")
    if have.get("IdentityCenterInstanceArn") != wanted["IdentityCenterInstanceArn"]:
        return Finding(
            domain.name, "", KIND, name, Status.DIFFERENT, f"instance {have.get('IdentityCenterInstanceArn')}"
        )
    return Finding(domain.name, "", KIND, name, Status.OK)
