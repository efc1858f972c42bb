#!/usr/bin/env python3
"""Liptako's command line. ``python run.py --help`` lists the commands; no arguments runs the baseline."""

import sys

if sys.version_info < (3, 12):  # noqa: UP036 - a clear message for users of an older python3
    sys.exit("Liptako needs Python 3.12 or newer; run `make` (or scripts/bootstrap.sh) to set up .venv, "
             "then use .venv/bin/python run.py")

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
