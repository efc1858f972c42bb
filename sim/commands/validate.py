"""``run.py validate FILE...``: check scenario files; exit 0 when all are valid, 2 otherwise."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files (exit 0 or 2)",
                       description="Validate scenario files: schema, bounds and references.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field before validating (repeatable)")


def main(args: argparse.Namespace) -> int:
    from sim.scenario import ScenarioError, load_scenario

    status = 0
    for f in args.files:
        try:
            s = load_scenario(f, args.set)
            print(f"ok: {f} ({s.name}: {len(s.states)} states, {len(s.blocs)} blocs, "
                  f"{len(s.treaties)} treaties, {len(s.events)} events, {s.weeks} weeks)")
        except ScenarioError as e:
            for m in e.messages:
                print(f"error: {m}", file=sys.stderr)
            status = 2
    return status
