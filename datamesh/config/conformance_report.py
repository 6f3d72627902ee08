"""The report of ``meshctl conformance --json``: a stable format, its JSON Schema in ``schemas/``.

A pydantic model, like the parameter files', so that the schema is generated from the same
definition the command fills in (``meshctl schema`` writes it).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CheckStatus(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    NOT_CHECKABLE = "not checkable locally"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Check(_Strict):
    """One check of the run."""

    check: str = Field(
        description="What was checked: sample-data, producer-isolation, workgroup, grants, query, "
        "pii-withheld, refused, cleanup, or doctor:<doctor's check>."
    )
    subject: str = Field(description="What it was checked on: a table, a share, a bucket, a resource.")
    share: str = Field(default="", description="The share it proves, as <consumer>:<producer>.<product>, if one.")
    domain: str = Field(default="", description="The domain it concerns.")
    product: str = Field(default="", description="The product it concerns, if one.")
    principal: str = Field(default="", description="The role it ran as (an IAM role ARN), if one.")
    account: str = Field(default="", description="The account it ran in or read.")
    status: CheckStatus
    detail: str = Field(default="", description="What was found; on failure, what was expected.")
    request_id: str = Field(default="", description="The AWS request id of the call that failed, if one did.")


class Summary(_Strict):
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    not_checkable: int = Field(ge=0, description="Checks the local AWS cannot answer (each says why).")


class ConformanceReport(_Strict):
    """Every check of one conformance run of a mesh."""

    format: Literal["datamesh-conformance/1"] = "datamesh-conformance/1"
    mesh: str
    region: str
    local: bool = Field(description="Whether the run was against the local AWS (an endpoint URL was given).")
    seed: int = Field(description="Seed of the sample data written.")
    checks: list[Check]
    summary: Summary
    passed: bool = Field(description="True when no check failed.")

    @classmethod
    def of(cls, mesh: str, region: str, local: bool, seed: int, checks: list[Check]) -> ConformanceReport:
        def count(status: CheckStatus) -> int:
            return sum(c.status is status for c in checks)

        summary = Summary(
            passed=count(CheckStatus.PASS),
            failed=count(CheckStatus.FAIL),
            not_checkable=count(CheckStatus.NOT_CHECKABLE),
        )
        return cls(
            mesh=mesh, region=region, local=local, seed=seed, checks=checks, summary=summary, passed=summary.failed == 0
        )
