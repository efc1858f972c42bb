"""The command line: a thin layer over the public API. ``python run.py --help`` lists the commands.

Subcommands live in their own modules, each with ``add_parser(subparsers)`` and ``main(args) -> int``;
this module only registers them, so ``--help`` stays fast (heavy imports happen inside ``main``).
Bad input exits with status 2 and one line per problem, naming the file, the line and the field.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

# (command, module): each module defines add_parser(subparsers) and main(args).
COMMANDS: list[tuple[str, str]] = [
    ("run", "sim.commands.run"),
    ("validate", "sim.commands.validate"),
    ("schema", "sim.commands.schema"),
    ("params", "sim.commands.params"),
    ("sweep", "sim.commands.sweep"),
    ("analyze", "sim.commands.analyze"),
    ("history", "sim.commands.history"),
    ("figures", "sim.commands.figures"),
    ("reproduce", "sim.commands.reproduce"),
    ("serve", "sim.commands.serve"),
]

EPILOG = """examples:
  python run.py                                   the baseline ensemble (niger_2023) and its figures
  python run.py run scenarios/no_charter.yaml --replicates 500 --jobs 2
  python run.py run scenarios/niger_2023.yaml --set treaties.liptako_gourma.clauses.art6.bindingness=0.3
  python run.py validate scenarios/*.yaml
  python run.py schema > scenarios/schema.json
  python run.py params                            every parameter with its unit, default and source
  python run.py history --replicates 200          the census of episodes scored against baselines
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py",
        description="Liptako: an agent-based simulation of collective defence in the Sahel.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for _name, module in COMMANDS:
        importlib.import_module(module).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; returns the exit status."""
    from sim.scenario.errors import OutputError, ScenarioError

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv:
        argv = ["run"]  # the main job: the baseline scenario's ensemble and its figures
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from sim.commands.flags import flag_errors

    errs = flag_errors(args)  # the same rules for every command's flags, before anything is read or written
    if errs:
        for m in errs:
            print(f"error: {m}", file=sys.stderr)
        return 2
    module = dict(COMMANDS)[args.command]
    try:
        return int(importlib.import_module(module).main(args) or 0)
    except ScenarioError as e:
        for m in e.messages:
            print(f"error: {m}", file=sys.stderr)
        return 2
    except OutputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: finished work is kept, nothing half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (``run.py params | head``): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
