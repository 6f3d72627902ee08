"""Every physical name is length-checked when the files load, against the limits of AWS's resource schemas.

The limits are AWS's (CloudFormation resource schemas: a Glue Data Quality ruleset name takes
at most 255 characters); the names are written here as a reader derives them from the files.
"""

from __future__ import annotations

import pytest

from datamesh.config import ConfigError, load_mesh
from tests.support.multitable_mesh import ADDRESSES, CONTRACT, EVERY_ROW


def _add_table(name: str):
    def edit(doc):
        doc["schema"].append({**ADDRESSES, "name": name})
        return doc

    return edit


def test_a_quality_ruleset_name_over_255_characters_is_refused(mesh_copy):
    # the ruleset of table T of sales.customers is named sales_customers.T: 16 + 240 = 256 characters
    table = "t" * 240
    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_copy((CONTRACT, _add_table(table)), EVERY_ROW))
    found = [str(p) for p in raised.value.problems]
    assert found == [
        f"{found[0].split(':')[0]}: products[1].name: too long: quality ruleset name "
        f"'sales_customers.{table}' would exceed 255 characters"
    ]


def test_a_quality_ruleset_name_of_255_characters_is_accepted(mesh_copy):
    table = "t" * 239
    mesh = load_mesh(mesh_copy((CONTRACT, _add_table(table)), EVERY_ROW))
    assert table in mesh.product("sales", "customers").table_names


def test_of_two_ruleset_names_too_long_by_as_much_the_first_table_s_is_named(mesh_copy):
    first, second = "a" * 240, "b" * 240

    def two_tables(doc):
        return _add_table(second)(_add_table(first)(doc))

    with pytest.raises(ConfigError) as raised:
        load_mesh(mesh_copy((CONTRACT, two_tables), EVERY_ROW))
    (found,) = [str(p) for p in raised.value.problems]
    assert found.endswith(f"too long: quality ruleset name 'sales_customers.{first}' would exceed 255 characters")
