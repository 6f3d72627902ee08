"""Kept only for ``localaws/cli.py`` until the demo driver moves to meshctl; remove it then.

Commands exit through :func:`datamesh.meshctl.output.exit_on_config_error`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from datamesh.meshctl.output import exit_on_config_error as _exit_on_config_error


def exit_on_config_error() -> AbstractContextManager[None]:
    return _exit_on_config_error("nothing was synthesized.")
