"""The CDK app's context keys (``-c mesh=``, ``-c today=``...) and how the app reads them.

Kept apart from :mod:`datamesh.app.mesh_app` and free of the CDK, so that meshctl, which only
passes them to the CDK CLI, starts without loading ``aws_cdk`` and jsii.
"""

from __future__ import annotations

from datetime import date

ALLOW_DESTROY_CONTEXT = "allow-destroy"
MESH_CONTEXT = "mesh"
TODAY_CONTEXT = "today"
SINCE_CONTEXT = "since"


def allow_destroy_from_context(value: object) -> bool:
    """The app's reading of ``-c allow-destroy``: unset or ``false`` keeps data, ``true`` allows deleting it.

    Any other value is a :class:`ConfigError`: a typo must not decide whether data survives.
    """
    if value is None:
        return False
    text = str(value).lower()  # `-c` gives a string, cdk.json may give a JSON boolean
    if text not in ("true", "false"):
        from datamesh.config import ConfigError, Problem

        raise ConfigError([Problem("cdk context", ALLOW_DESTROY_CONTEXT, f"{value!r} must be true or false")])
    return text == "true"


def today_from_context(value: object) -> date | None:
    """The app's reading of ``-c today=YYYY-MM-DD``: the date shares are judged on; unset is today."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        from datamesh.config import ConfigError, Problem

        raise ConfigError([Problem("cdk context", TODAY_CONTEXT, f"{value!r} is not a date (YYYY-MM-DD)")]) from None
