"""What meshctl's exit status means, shared by every command and listed in ``meshctl --help``."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2
    REFUSED = 3
    AWS = 4
    GIT = 5


MEANINGS = {
    ExitCode.OK: "success: the files are valid, the change was made, no drift",
    ExitCode.PROBLEMS: "the parameter files have problems (or a change would cause some; nothing was "
    "written), or doctor found drift, or a conformance check failed",
    ExitCode.USAGE: "bad command line: unknown option, malformed argument",
    ExitCode.REFUSED: "the change does not fit the files: the file exists, the subscription is "
    "missing or already there, the product is open to all",
    ExitCode.AWS: "an AWS call got no usable answer (cannot read): access denied, throttled past the retries, "
    "endpoint unreachable, an answer that is not the API's (an HTML page, a 5xx, an undocumented error)",
    ExitCode.GIT: "git could not give the files at --since REF",
}
