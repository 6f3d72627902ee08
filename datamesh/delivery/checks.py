"""The checks every change passes, on its pull request and again in the pipeline before it deploys.

The pull-request workflow (``.github/workflows/pull-request.yml``) runs each of these as a
step of its own (a test keeps the two in step); the pipeline's Checks action runs them in
order. They expect the project installed (``make setup``) and its tools on PATH.
"""

from __future__ import annotations

CHECKS: tuple[tuple[str, str], ...] = (
    ("validate the parameter files", "meshctl validate"),
    ("synthesize with the mesh policies and cdk-nag", "cdk synth --quiet"),
    ("lint the templates", "cfn-lint --non-zero-exit-code warning -- cdk.out/*.template.json"),
    ("run the tests", "make test"),
)
