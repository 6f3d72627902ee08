"""AWS's rules for names and values, as the loader applies them (datamesh/names/naming.py, ``name_rule``).

Expected outcomes come from AWS's API references, quoted here: Lake Formation ``LFTag``
(keys ``^([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*)$`` up to 128, values
``^([\\p{L}\\p{Z}\\p{N}_.:\\*\\/=+\\-@%]*)$`` up to 256), Glue ``NameString`` (1 to 255
characters of ``[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*``: a supplementary
character is a UTF-16 surrogate pair), Athena ``WorkGroup`` names (``[a-zA-Z0-9._-]{1,128}``), KMS
``CreateAlias`` (``alias/`` and not ``alias/aws/``), CloudFormation ``CreateStack`` (a letter,
then letters, digits and hyphens, at most 128).
"""

from __future__ import annotations

import pytest

from datamesh.names import naming


def test_the_lake_formation_rules_are_the_api_reference_s():
    assert (naming.name_rule("LF-tag value").pattern, naming.name_rule("LF-tag value").max) == (
        r"^([\p{L}\p{Z}\p{N}_.:\*\/=+\-@%]*)$",
        256,
    )
    assert (naming.name_rule("LF-tag key").pattern, naming.name_rule("LF-tag key").max) == (
        r"^([\p{L}\p{Z}\p{N}_.:\/=+\-@%]*)$",
        128,
    )


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("LF-tag value", "öffentlich"),
        ("LF-tag value", "機密"),
        ("LF-tag value", "٣ ٤"),
        ("LF-tag value", "*"),
        ("LF-tag value", ""),
        ("LF-tag key", "zone_eu:1/a=b+c-d@e%"),
        ("database", "sales_orders"),
        ("database", "d\U0001f600"),
        ("quality ruleset", "sales_orders.lines"),
        ("workgroup", "w" * 128),
        ("key alias", "alias/acme/sales/data"),
        ("stack", "acme-Sales-Storage"),
    ],
)
def test_what_aws_accepts_passes(kind, name):
    assert naming.name_problem(kind, name) is None


@pytest.mark.parametrize(
    ("kind", "name", "reason"),
    [
        ("LF-tag value", "a,b", "LF-tag value 'a,b' has characters AWS refuses: ','"),
        ("LF-tag key", "a*", "LF-tag key 'a*' has characters AWS refuses: '*'"),
        ("LF-tag key", "", "LF-tag key is empty"),
        ("database", "a\nb", "database name 'a\\nb' is one AWS refuses"),
        ("database", "d" * 256, "too long: database name"),
        ("workgroup", "w" * 129, "too long: workgroup name"),
        ("workgroup", "team workgroup", "workgroup name 'team workgroup' has characters AWS refuses: ' '"),
        ("key alias", "alias/aws/acme", "key alias name 'alias/aws/acme' is one AWS refuses"),
        ("key alias", "acme/data", "key alias name 'acme/data' is one AWS refuses"),
        ("stack", "1acme-Sales", "stack name '1acme-Sales' is one AWS refuses"),
        ("bucket", "acme..data", "bucket name 'acme..data' is one AWS refuses"),
        ("bucket", "192.168.5.4", "bucket name '192.168.5.4' is one AWS refuses"),
        ("bucket", "acme-data-s3alias", "bucket name 'acme-data-s3alias' is one AWS refuses"),
        ("bucket", "Acme-data", "bucket name 'Acme-data' is one AWS refuses"),
    ],
)
def test_what_aws_refuses_is_one_reason(kind, name, reason):
    assert (naming.name_problem(kind, name) or "").startswith(reason)
