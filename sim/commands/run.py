"""``run.py run SCENARIO``: an ensemble of one scenario, its tables, manifest and figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands.flags import path_arg

BASELINE = "scenarios/niger_2023.yaml"
DEFAULT_SEED = 20230726


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="run a scenario's ensemble (the default command)",
        description="Run REPLICATES runs of a scenario with seeds spawned from SEED and write their results "
        "store (manifest.json, runs.parquet, points.parquet, parts/ with the outcomes, timeline and events; "
        "read it with sim.load_results(OUT)) and figures/ to OUT. Runs reach OUT as they finish: after a "
        "crash or Ctrl-C, --resume runs only the missing ones. OUT must be new, empty or hold Liptako's "
        "results (which are replaced); a directory of other files needs --force (they are kept).",
    )
    p.add_argument("scenario", nargs="?", default=BASELINE, help=f"scenario file (default {BASELINE})")
    p.add_argument("--replicates", "-n", type=int, default=200, help="runs (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    p.add_argument("--jobs", "-j", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario field, e.g. parameters.council.launch_p_win=0.5 (repeatable)")
    p.add_argument("--out", type=path_arg, default=None, help="output directory (default results/<scenario name>)")
    p.add_argument("--resume", action="store_true",
                   help="continue the ensemble in OUT: run only the runs it is missing (and those that failed)")
    p.add_argument("--force", action="store_true",
                   help="write into an OUT that holds other files (they are kept, never replaced)")
    p.add_argument("--no-figures", action="store_true", help="skip the figures")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def main(args: argparse.Namespace) -> int:
    import re
    import sys
    import time

    from sim.api import run_ensemble_to_dir
    from sim.scenario import load_scenario
    from sim.sweep import SweepError

    scenario = load_scenario(args.scenario, args.set)
    # the default directory is named after the scenario, made safe as a single directory name
    out = args.out or Path("results") / (re.sub(r"[^A-Za-z0-9_.-]+", "_", scenario.name).lstrip(".") or "run")
    t0 = time.perf_counter()
    try:
        res = run_ensemble_to_dir(
            scenario, out, replicates=args.replicates, seed=args.seed, jobs=args.jobs,
            figures=not args.no_figures, progress=not args.quiet, scenario_file=args.scenario,
            overrides=args.set, resume=args.resume, force=args.force,
        )
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        print(f"  the other runs are stored in {out}/ (failures: sim.load_results('{out}').failures)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted: finished runs are kept in {out}/; continue with\n"
              f"  python run.py run {args.scenario} --out {out} --resume (and the same flags)", file=sys.stderr)
        return 130
    wall = time.perf_counter() - t0
    o = res.outcomes
    print(f"{scenario.name}: {len(o)} runs in {wall:.1f} s -> {out}/")
    from sim.analysis.convergence import format_probability as fp  # a share of runs with its 95% interval

    n = len(o)
    print(f"  P(intervention) = {fp(int(o['intervention'].sum()), n)}   P(standby force reached) = "
          f"{fp(int((o['max_escalation'] >= 5).sum()), n)}   median highest rung = {o['max_escalation'].median():.0f}")
    return 0
