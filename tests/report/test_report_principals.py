"""meshctl report counts the principals that read each consumer domain's subscriptions."""

from __future__ import annotations

import json

from tests.support import views_mesh


def test_principals_per_consumer_domain(tmp_path, meshctl):
    mesh = views_mesh.write(tmp_path)
    result = meshctl("report", "--json", "--mesh", str(mesh))
    assert result.exit_code == 0, result.output
    # marketing lists analyst, bi and etl; finance lists none: its analyst role reads alone; sales consumes nothing
    assert json.loads(result.stdout)["principals"] == {"finance": 1, "marketing": 3}
    table = meshctl("report", "--format", "markdown", "--mesh", str(mesh))
    assert "| principals per consumer | finance 1, marketing 3 |" in table.stdout
