"""``run.py history [DIR]``: run every historical episode, compare predicted with observed, score by Brier."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

HISTORY_DIR = "scenarios/history"
DEFAULT_SEED = 20170119  # ECOMIG enters The Gambia


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history", help="historical check: predicted vs observed ECOWAS responses, Brier score",
        description="Run every episode file of DIR (files starting with '_' are bases and are skipped; "
        "each episode needs an 'observed:' block) with REPLICATES runs, print the table of predicted "
        "P(force) with its 95%% Wilson interval and modal rung against the observation, and write "
        "history.csv and history.parquet (the table) beside the runs' results store (manifest.json, "
        "runs.parquet, points.parquet, parts/; read it with sim.load_results(OUT)) to OUT.",
    )
    p.add_argument("directory", nargs="?", default=HISTORY_DIR, metavar="DIR",
                   help=f"directory of episode files (default {HISTORY_DIR})")
    p.add_argument("--replicates", "-n", type=int, default=200, help="runs per episode (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    p.add_argument("--jobs", "-j", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field in every episode, e.g. parameters.council.launch_p_win=0.5")
    p.add_argument("--out", type=Path, default=Path("results/history"),
                   help="output directory (default results/history)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


SHORT = ["none", "condemn", "suspend", "sanctions", "ultimatum", "standby", "force"]


def format_table(table: object, brier: float, rps: float) -> str:
    """The printed table: one line per episode, then the scores."""
    import math

    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    head = (f"{'episode':<22} {'observed':<20} {'P(force)':>8} {'95% interval':>14} "
            f"{'modal rung':<12} {'P(>=obs)':>8} {'brier':>6}")
    lines = [head, "-" * len(head)]
    rows: list[Any] = list(table.itertuples(index=False))
    for r in rows:
        weeks = r.observed_weeks
        obs = f"{r.observed_rung} {SHORT[int(r.observed_rung)]}"
        if r.observed_force and isinstance(weeks, (int, float)) and not math.isnan(weeks):
            obs += f" (wk {int(weeks)})"
        lines.append(f"{r.episode:<22} {obs:<20} {r.p_force:>8.2f} "
                     f"{f'[{r.p_force_low:.2f}, {r.p_force_high:.2f}]':>14} "
                     f"{f'{r.modal_rung} {SHORT[int(r.modal_rung)]}':<12} {r.p_rung_ge_observed:>8.2f} "
                     f"{r.brier_term:>6.3f}")
    lines.append("-" * len(head))
    lines.append(f"Brier score of P(force) over {len(table)} episodes: {brier:.4f}   "
                 f"(a constant 0.5 forecast scores 0.25)")
    lines.append(f"Mean ranked probability score of the highest rung: {rps:.4f}")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    import sys
    import time

    from tqdm import tqdm

    from sim.history import HISTORY_KEEP, history_plan, load_episodes, score_history
    from sim.store import atomic_write_bytes, provenance, table_hash, write_table
    from sim.sweep import Results, SweepError, default_jobs, run_to_dir

    if args.replicates < 1:
        print("error: --replicates must be at least 1", file=sys.stderr)
        return 2
    episodes = load_episodes(args.directory, args.set)  # ScenarioError -> exit 2, nothing written
    jobs = args.jobs or default_jobs()
    plan = history_plan(episodes, args.replicates, args.seed)
    t0 = time.perf_counter()
    bar: list[Any] = []
    scored: list[Any] = []

    def on_start(planned: int) -> None:  # after the workers started: tqdm's thread would stop a fork
        bar.append(tqdm(total=planned, unit="run", disable=args.quiet, dynamic_ncols=True, mininterval=0.5,
                        desc="episodes"))

    def finish(tmp: Path, res: Results) -> dict[str, Any]:
        h = score_history(episodes, plan, res.outcomes)
        scored.append(h)
        atomic_write_bytes(tmp / "history.csv",
                           h.table.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode())
        write_table(h.table, tmp / "history.parquet")
        return {
            "directory": str(args.directory),
            "overrides": list(args.set),
            "episodes": [{"name": e.name, "file": str(e.path), "seed": int(s), "sha256": sha}
                         for e, s, sha in zip(episodes, h.table["seed"], h.table["scenario_sha256"], strict=True)],
            "scores": {"brier": h.brier, "rps": h.rps},
            "jobs": jobs,
            "table_sha256": {"history": table_hash(h.table), "outcomes": table_hash(h.outcomes)},
        }

    manifest = {"kind": "history", "root_seed": args.seed, "replicates": args.replicates, **provenance()}
    try:
        run_to_dir(plan, HISTORY_KEEP, args.out, manifest, jobs=jobs,
                   progress=lambda n: bar[0].update(n) if bar else None, on_start=on_start, finish=finish)
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if bar:
            bar[0].close()
    wall = time.perf_counter() - t0
    res = scored[0]
    print(format_table(res.table, res.brier, res.rps))
    print(f"{len(episodes)} episodes x {args.replicates} runs in {wall:.1f} s -> {args.out}/")
    return 0
