"""``python -m mediakit``: the same command line as ``mediakit``."""

import sys

from mediakit.cli import main

sys.exit(main())
