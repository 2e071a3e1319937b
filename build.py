#!/usr/bin/env python3
"""Build the dossier: `python build.py [build|check|serve|new] --help`."""

import contextlib
import os
import sys

from dossier.cli import run

if __name__ == "__main__":
    code, built = run()
    # The process ends here: what the build made (millions of objects) is handed back to the system whole,
    # not freed object by object first, as an ordinary exit would (a second and more at 10,000 articles).
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (a closed pipe): nothing more to say to it
            stream.flush()
    os._exit(code)
