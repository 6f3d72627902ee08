"""The app writes, byte for byte, the reference templates and manifests (tests/support/template_reference.py)."""

from __future__ import annotations

import json

import pytest

from tests.support.template_reference import (
    CASES,
    DIGESTS,
    UPDATE_COMMAND,
    WHOLE,
    digests,
    synthesize,
)

MEANT = f"if the change is meant, run `{UPDATE_COMMAND}` and read the diff"


@pytest.fixture(scope="module", params=CASES)
def case(request, tmp_path_factory) -> tuple[str, dict[str, bytes]]:
    return request.param, synthesize(request.param, tmp_path_factory.mktemp(request.param))


def test_every_file_has_its_reference_digest(case):
    name, files = case
    expected = json.loads(DIGESTS.read_text())[name]
    changed = sorted(f for f in expected.keys() | files.keys() if expected.get(f) != digests(files).get(f))
    assert not changed, f"{name}: these files differ from the reference: {', '.join(changed)}; {MEANT}"


@pytest.mark.parametrize("case", ["example"], indirect=True)
def test_example_files_equal_the_whole_reference(case):
    """For the example mesh, the differing JSON is shown (the digests only say which file)."""
    _, files = case
    assert sorted(p.name for p in WHOLE.iterdir()) == sorted(files)
    for file, content in files.items():
        assert json.loads(content) == json.loads((WHOLE / file).read_bytes()), f"{file}; {MEANT}"
        assert content == (WHOLE / file).read_bytes(), f"{file}: same JSON, other bytes; {MEANT}"
