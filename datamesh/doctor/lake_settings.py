"""The Lake Formation settings every mesh account needs before the first wave, set and checked.

A new account leaves access to IAM alone: ``CreateDatabaseDefaultPermissions`` and
``CreateTableDefaultPermissions`` give ``ALL`` to ``IAM_ALLOWED_PRINCIPALS`` on every new
database and table ("Use only IAM access control"), so Lake Formation's grants are not in
effect there; cross-account grants also need cross-account version 3 or later (Lake
Formation guide: "Cross-account access prerequisites", "Changing the default settings for
your data lake", "Updating cross-account data sharing version settings"). CloudFormation's
``AWS::LakeFormation::DataLakeSettings`` cannot clear the defaults (empty lists are ignored:
cloudformation-coverage-roadmap issue 2197), so :func:`prepare` sets them through the API,
keeping the admins and every other setting; ``meshctl deploy`` runs it in every mesh account
before its first wave, and so can a pipeline. :func:`problems` is what ``meshctl doctor`` judges.
"""

from __future__ import annotations

from typing import Any

from datamesh.doctor.findings import Finding, Status

IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS"
VERSION_KEY = "CROSS_ACCOUNT_VERSION"
MIN_CROSS_ACCOUNT_VERSION = 3
_DEFAULTS = ("CreateDatabaseDefaultPermissions", "CreateTableDefaultPermissions")


def cross_account_version(settings: dict[str, Any]) -> int:
    """The settings' cross-account version; 1 when unset (the first version, a new account's)."""
    value = (settings.get("Parameters") or {}).get(VERSION_KEY, "1")
    return int(value) if str(value).isdigit() else 1


def problems(settings: dict[str, Any]) -> list[str]:
    """What in ``DataLakeSettings`` keeps the mesh's grants from taking effect; empty when nothing does."""
    found = [
        f"{key} gives {', '.join(sorted({p for e in settings.get(key) or [] for p in e.get('Permissions', [])}))} "
        f"to {', '.join(sorted({e['Principal']['DataLakePrincipalIdentifier'] for e in settings.get(key) or []}))}"
        for key in _DEFAULTS
        if settings.get(key)
    ]
    version = cross_account_version(settings)
    if version < MIN_CROSS_ACCOUNT_VERSION:
        found.append(f"cross-account version {version}, needs {MIN_CROSS_ACCOUNT_VERSION} or later")
    return found


def prepare(lakeformation: Any, account: str) -> list[str]:
    """Clear the account's default permissions and raise its cross-account version to 3, keeping its
    admins and other settings; returns what was wrong (nothing changed when nothing was)."""
    settings = lakeformation.get_data_lake_settings(CatalogId=account)["DataLakeSettings"]
    wrong = problems(settings)
    if wrong:
        version = max(cross_account_version(settings), MIN_CROSS_ACCOUNT_VERSION)
        lakeformation.put_data_lake_settings(
            CatalogId=account,
            DataLakeSettings={
                **settings,
                **{key: [] for key in _DEFAULTS},
                "Parameters": {**(settings.get("Parameters") or {}), VERSION_KEY: str(version)},
            },
        )
    return wrong


def check(settings: dict[str, Any], account: str, domain: str) -> Finding:
    """Doctor's finding on the account's ``DataLakeSettings``: ``different`` while the defaults or the version are
    back."""
    wrong = problems(settings)
    if wrong:
        return Finding(
            domain, "", "lf-settings", account, Status.DIFFERENT, "; ".join(wrong) + " (meshctl deploy sets them)"
        )
    return Finding(domain, "", "lf-settings", account, Status.OK)
