"""``run.py run SCENARIO``: an ensemble of one scenario, its tables, manifest and figures."""

from __future__ import annotations

import argparse
from pathlib import Path

BASELINE = "scenarios/niger_2023.yaml"
DEFAULT_SEED = 20230726


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run", help="run a scenario's ensemble (the default command)",
        description="Run REPLICATES runs of a scenario with seeds spawned from SEED and write their results "
        "store (manifest.json, runs.parquet, points.parquet, parts/ with the outcomes, timeline and events; "
        "read it with sim.load_results(OUT)) and figures/ to OUT.",
    )
    p.add_argument("scenario", nargs="?", default=BASELINE, help=f"scenario file (default {BASELINE})")
    p.add_argument("--replicates", "-n", type=int, default=200, help="runs (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    p.add_argument("--jobs", "-j", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a scenario field, e.g. parameters.council.launch_p_win=0.5 (repeatable)")
    p.add_argument("--out", type=Path, default=None, help="output directory (default results/<scenario name>)")
    p.add_argument("--no-figures", action="store_true", help="skip the figures")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def main(args: argparse.Namespace) -> int:
    import sys
    import time

    from sim.api import run_ensemble_to_dir
    from sim.scenario import load_scenario

    if args.replicates < 1:
        print("error: --replicates must be at least 1", file=sys.stderr)
        return 2
    scenario = load_scenario(args.scenario, args.set)
    out = args.out or Path("results") / scenario.name
    t0 = time.perf_counter()
    res = run_ensemble_to_dir(
        scenario, out, replicates=args.replicates, seed=args.seed, jobs=args.jobs,
        figures=not args.no_figures, progress=not args.quiet, scenario_file=args.scenario,
        overrides=args.set,
    )
    wall = time.perf_counter() - t0
    o = res.outcomes
    print(f"{scenario.name}: {len(o)} runs in {wall:.1f} s -> {out}/")
    print(f"  P(intervention) = {o['intervention'].mean():.2f}   P(standby force reached) = "
          f"{(o['max_escalation'] >= 5).mean():.2f}   median highest rung = {o['max_escalation'].median():.0f}")
    return 0
