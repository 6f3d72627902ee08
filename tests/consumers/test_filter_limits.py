"""Lake Formation's data-filter limits at validation ("Data filtering limitations", Lake Formation Developer Guide:
a principal holds at most 100 data-filter SELECT permissions on one table). An Identity Center group is the
organization's: every consumer domain that lists it grants it SELECT on that domain's own filter of the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from datamesh.config import ConfigError, load_mesh

LIMIT = 100  # the guide's, not the code's
GROUP = "8ec076ae-3f0d-5e69-9083-d716ec11412f"  # marketing's group in the example


def _consumer(name: str, account: str) -> Callable[[dict], dict]:
    def write(_: dict) -> dict[str, Any]:
        return {
            "name": name,
            "account": account,
            "owner": {"team": name, "email": f"{name}@example.com", "cost_centre": "CC-1"},
            "principals": [{"name": "campaigns", "identity_center_group": GROUP}],
            "consumes": [{"product": "sales.customers", "permissions": ["SELECT", "DESCRIBE"]}],
        }

    return write


def _approving(names: list[str]) -> Callable[[dict], dict]:
    """sales' customers approved for each of ``names`` with a row filter, as for marketing."""

    def edit(doc: dict) -> dict:
        customers = next(p for p in doc["products"] if p["name"] == "customers")
        customers["shared_with"] = ["marketing", *names]
        (marketing,) = customers["decisions"]
        customers["decisions"] = [marketing, *({**marketing, "consumer": n} for n in names)]
        return doc

    return edit


def _mesh(mesh_copy, domains_listing_the_group: int):
    """The example with ``domains_listing_the_group`` consumers (marketing among them) whose group reads
    customers through a filter."""
    names = [f"c{i:03d}" for i in range(1, domains_listing_the_group)]
    edits = [(f"domains/{n}.yaml", _consumer(n, f"6000000{i:05d}")) for i, n in enumerate(names, 1)]
    return mesh_copy(("domains/sales.yaml", _approving(names)), *edits)


def test_a_group_listed_by_as_many_domains_as_the_limit_allows_is_accepted(mesh_copy):
    mesh = load_mesh(_mesh(mesh_copy, LIMIT))
    assert sum(1 for d in mesh.domains if any(p.identity_center_group == GROUP for p in d.principals)) == LIMIT


def test_one_domain_more_is_refused_in_one_line_naming_its_file_and_field(mesh_copy):
    path = _mesh(mesh_copy, LIMIT + 1)
    with pytest.raises(ConfigError) as raised:
        load_mesh(path)
    found = [str(p).replace(f"{path.parent}/", "") for p in raised.value.problems]
    assert found == [
        # the files are read in name order: marketing's, which lists the group third, passes the limit
        f"domains/marketing.yaml: principals[2].identity_center_group: group {GROUP} would hold SELECT on 101 data "
        "filters of sales.customers table customers, one per consumer domain that lists it; Lake Formation allows "
        'at most 100 per principal and table ("Data filtering limitations")'
    ]
