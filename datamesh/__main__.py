"""``python -m datamesh``: an alias of ``meshctl`` (same commands, same exit codes)."""

from datamesh.meshctl.app import main

main()
