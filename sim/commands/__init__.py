"""Subcommands of ``run.py``: each module has ``add_parser(subparsers)`` and ``main(args)``."""
