import sys

from datamesh.cli import main

sys.exit(main())
