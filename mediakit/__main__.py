"""``python -m mediakit``: the same command line as ``mediakit``."""

import sys

from mediakit.cli import main

if __name__ == "__main__":  # n_jobs workers import this module again
    sys.exit(main())
