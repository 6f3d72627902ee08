"""--endpoint-url (or AWS_ENDPOINT_URL) that is not an http(s) URL with a host is a usage error before any AWS call."""

from __future__ import annotations

import pytest

COMMANDS = [("doctor",), ("catalog", "search", "customer", "--live"), ("report", "--live"), ("deploy",)]
NOT_URLS = ["--drift-only", "localhost:4566", "ftp://localhost:4566", "http://", "http://[::1"]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("value", NOT_URLS)
def test_an_endpoint_that_is_not_an_http_url_is_exit_2_without_traceback(mesh_dir, meshctl, command, value):
    result = meshctl(*command, "--endpoint-url", value)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "expected an http:// or https:// URL with a host" in result.output
    assert "--endpoint-url" in result.output


@pytest.mark.parametrize("value", ["http://localhost:9", "https://127.0.0.1:9", "http://[::1]:9"])
def test_http_urls_with_a_host_are_accepted(mesh_dir, meshctl, value):
    """Nothing listens there (port 9): an AWS error (exit 4), not a usage error."""
    result = meshctl("doctor", "--endpoint-url", value, "--max-attempts", "1", "--json")
    assert result.exit_code == 4, result.output
