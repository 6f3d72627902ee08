"""``python -m datamesh.meshctl``: the same as the ``meshctl`` console script."""

from datamesh.meshctl.app import main

main()
