"""Rule: a product above ``policies.sharing_limit`` is shared only with approved domains."""

from __future__ import annotations

from datamesh.config.errors import Problem
from datamesh.config.parameter_files import ParameterFiles
from datamesh.policies.classification import rank


def check(files: ParameterFiles) -> list[Problem]:
    config = files.config
    limit = config.policies.sharing_limit
    return [
        Problem(
            file,
            f"{field}.shared_with",
            f"'all' is not allowed for a {product.confidentiality!r} product: above the sharing limit "
            f"{limit!r} the producer lists the domains it approves",
        )
        for file, field, product in files.products()
        if product.is_open and rank(config, product.confidentiality) > rank(config, limit)
    ]
