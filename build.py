#!/usr/bin/env python3
"""Build the dossier: `python build.py [build|check|serve|new] --help`."""

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main())
