"""``run.py validate FILE...``: check scenario and experiment files; exit 0 when all are valid, 2 otherwise."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario and experiment files (exit 0 or 2)",
                       description="Validate scenario files (schema, bounds and references) and experiment "
                       "files (design, base scenario, outcomes, figure kinds and their fields).")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field before validating (repeatable)")


def _is_experiment(path: str) -> bool:
    """An experiment file names its design at the top level (a scenario never has ``design:``)."""
    import re
    from pathlib import Path

    from sim.scenario import ScenarioError
    from sim.scenario.safeyaml import read_text

    try:
        text = read_text(Path(path))  # a regular UTF-8 file under the size limit (never /dev/zero)
    except ScenarioError:
        return False  # the scenario loader reports what is wrong with it
    return re.search(r"^design:", text, flags=re.M) is not None


def main(args: argparse.Namespace) -> int:
    from sim.scenario import ScenarioError, load_scenario

    status = 0
    for f in args.files:
        try:
            if _is_experiment(f):  # a sweep's file: its design, base scenario, outcomes and figures
                from sim.experiment import load_experiment

                if args.set:
                    raise ScenarioError([f"--set {args.set[0].partition('=')[0]}: {f} is an experiment; --set "
                                         "applies to scenario files (an experiment sets fields with fixed:)"])

                exp = load_experiment(f)
                print(f"ok: {f} (experiment {exp.spec.name}: {exp.spec.design.kind} over {len(exp.paths)} "
                      f"parameters of {exp.scenario_path}, {len(exp.spec.figures)} figures)")
                continue
            s = load_scenario(f, args.set)
            print(f"ok: {f} ({s.name}: {len(s.states)} states, {len(s.blocs)} blocs, "
                  f"{len(s.treaties)} treaties, {len(s.events)} events, {s.weeks} weeks)")
        except ScenarioError as e:
            for m in e.messages:
                print(f"error: {m}", file=sys.stderr)
            status = 2
    return status
