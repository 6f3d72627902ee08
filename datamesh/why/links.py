"""One link of the chain: where it is, what the files say or the accounts hold, ok or broken, and its fix."""

from __future__ import annotations

from dataclasses import dataclass, field

from datamesh.doctor.findings import Finding

FILES = "files"


@dataclass(frozen=True)
class Link:
    """``ok``: None when nothing was read for it (no account could be, or ``--offline``)."""

    name: str
    where: str
    says: str
    ok: bool | None
    fix: str = ""
    who: str = ""
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def status(self) -> str:
        return {True: "ok", False: "broken", None: "not read"}[self.ok]
