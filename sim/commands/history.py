"""``run.py history [DIR]``: run every episode of the census, compare predicted with observed, and score
the model beside the baselines, in-sample and leave-one-out (docs/history.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sim.commands.flags import path_arg

HISTORY_DIR = "scenarios/history"
CALIBRATION_DIR = "experiments/calibration"
DEFAULT_SEED = 20170119  # ECOMIG enters The Gambia


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "history", help="historical check: the census of episodes, Brier and RPS beside baselines, in-sample "
        "and leave-one-out",
        description="Run every episode file of DIR (files starting with '_' are bases and are skipped; "
        "each episode needs an 'observed:' block) with REPLICATES runs, print the table of predicted "
        "P(force) with its 95%% Wilson interval and modal rung against the observation, then the Brier score "
        "of P(force) and the RPS of the highest rung beside the base rate, the rung frequencies and logistic "
        "regressions, in-sample and leave-one-out (from a calibration's stored per-episode forecasts), with "
        "bootstrap intervals over episodes; write history.csv/.parquet, scores.csv, loo.csv beside the runs' "
        "results store (manifest.json, runs.parquet, points.parquet, parts/; sim.load_results(OUT)) to OUT.",
    )
    p.add_argument("directory", nargs="?", default=HISTORY_DIR, metavar="DIR",
                   help=f"directory of episode files (default {HISTORY_DIR})")
    p.add_argument("--replicates", "-n", type=int, default=200, help="runs per episode (default 200)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"root seed (default {DEFAULT_SEED})")
    p.add_argument("--jobs", "-j", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                   help="override a field in every episode, e.g. parameters.council.launch_p_win=0.5")
    p.add_argument("--out", type=path_arg, default=Path("results/history"),
                   help="output directory (default results/history)")
    p.add_argument("--resume", action="store_true",
                   help="continue the check in OUT: run only the runs it is missing (and those that failed)")
    p.add_argument("--force", action="store_true",
                   help="write into an OUT that holds other files (they are kept, never replaced)")
    p.add_argument("--calibration", type=path_arg, default=None, metavar="DIR",
                   help=f"calibration directory with episodes.csv for the leave-one-out scores (default "
                   f"{CALIBRATION_DIR} when it covers every episode; 'none' to skip)")
    p.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples of the episodes (2000)")
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
        obs = f"{r.observed_rung} {SHORT[int(r.observed_rung)]}" + ("" if r.rung_sourced else "*")
        if r.observed_force and isinstance(weeks, (int, float)) and not math.isnan(weeks):
            obs += f" (wk {int(weeks)})"
        lines.append(f"{r.episode:<22} {obs:<20} {r.p_force:>8.2f} "
                     f"{f'[{r.p_force_low:.2f}, {r.p_force_high:.2f}]':>14} "
                     f"{f'{r.modal_rung} {SHORT[int(r.modal_rung)]}':<12} {r.p_rung_ge_observed:>8.2f} "
                     f"{r.brier_term:>6.3f}" + ("" if r.force_sourced else "*"))
    lines.append("-" * len(head))
    nf, nr = int(table["force_sourced"].sum()), int(table["rung_sourced"].sum())
    lines.append(f"* unsourced, left out of that score (rule O2): force in {len(table) - nf}, rung in "
                 f"{len(table) - nr} of {len(table)} episodes")
    lines.append(f"Brier score of P(force) over {nf} episodes: {brier:.4f}   (a constant 0.5 forecast scores 0.25)")
    lines.append(f"Mean ranked probability score of the highest rung over {nr} episodes: {rps:.4f}")
    return "\n".join(lines)


NAMES = {"model": "model", "base_rate": "base rate of force", "logistic": "logistic regression",
         "frequencies": "observed rung frequencies"}


def format_scores(scores: object, freqs: list[float], note: str) -> str:
    """The scores beside the baselines, in-sample and leave-one-out, with bootstrap intervals."""
    import pandas as pd

    assert isinstance(scores, pd.DataFrame)
    lines = ["", "Scores against baselines (95% bootstrap intervals over episodes; model - baseline < 0: "
             "the model is better)"]
    for sample in scores["sample"].unique():
        lines.append(f"  {sample.replace('_', '-')}:")
        for score, title in (("brier", "Brier of P(force)"), ("rps", "RPS of the highest rung")):
            t = scores[(scores["sample"] == sample) & (scores["score"] == score)]
            for r in t.itertuples(index=False):
                line = (f"    {title:<24} {NAMES[str(r.forecaster)]:<27} {r.value:.4f} "
                        f"[{r.low:.4f}, {r.high:.4f}]  n={r.n}")
                if r.forecaster != "model":
                    line += (f"   model - this: {r.model_minus:+.4f} "
                             f"[{r.model_minus_low:+.4f}, {r.model_minus_high:+.4f}]")
                lines.append(line)
    for sample in scores["sample"].unique():  # the targets (issue 11), met or not
        t = scores[scores["sample"] == sample].set_index(["score", "forecaster"])["value"]
        rps_ok = t[("rps", "model")] <= 0.8 * t[("rps", "frequencies")]
        brier_ok = t[("brier", "model")] < t[("brier", "base_rate")]
        lines.append(f"  target, {sample.replace('_', '-')}: RPS at least 20% below the rung frequencies' "
                     f"{'met' if rps_ok else 'NOT met'} ({t[('rps', 'model')]:.4f} vs "
                     f"{0.8 * t[('rps', 'frequencies')]:.4f}); Brier below the base rate's "
                     f"{'met' if brier_ok else 'NOT met'} ({t[('brier', 'model')]:.4f} vs "
                     f"{t[('brier', 'base_rate')]:.4f})")
    lines.append("  observed rung frequencies (rung 0..6): " + " ".join(f"{f:.3f}" for f in freqs))
    if note:
        lines.append(f"  {note}")
    return "\n".join(lines)


MAX_CALIBRATION_BYTES = 50 * 1024 * 1024  # a calibration's episodes.csv: a row per point and episode (~1 MB)


def read_calibration(f: Path, episodes: list[str] | None = None) -> Any:
    """A calibration's per-episode forecasts (``episodes.csv``), checked: readable CSV text, the columns
    leave-one-out reads, whole point numbers, forecasts that are numbers, and (given ``episodes``) a
    forecast of every episode. ValueError saying what is wrong, naming the file."""
    import pandas as pd

    from sim.history.scoring import FORECAST_COLUMNS

    try:
        size = f.stat().st_size
        if not f.is_file():
            raise ValueError(f"{f}: not a file")
        if size > MAX_CALIBRATION_BYTES:
            raise ValueError(f"{f}: {size:,} bytes, more than the limit of {MAX_CALIBRATION_BYTES:,}")
        per = pd.read_csv(f, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ValueError(f"{f}: not a readable CSV table of per-episode forecasts "
                         f"({str(e).splitlines()[0] if str(e) else type(e).__name__})") from None
    missing = [c for c in ("point", "episode", *FORECAST_COLUMNS) if c not in per.columns]
    if missing:
        raise ValueError(f"{f}: no column {', '.join(missing)} (experiments/calibrate.py writes them)")
    for c in ("point", *FORECAST_COLUMNS):
        col = pd.to_numeric(per[c], errors="coerce")
        bad = col.isna() | (col % 1 != 0 if c == "point" else col.isna())
        if bad.any():
            line = int(bad.to_numpy().argmax()) + 2  # the header is line 1
            raise ValueError(f"{f}:{line}: {c}: {per[c].iloc[line - 2]!r} is not a "
                             f"{'whole number' if c == 'point' else 'number'}")
    per["episode"] = per["episode"].astype(str)
    if episodes is not None and (lacking := sorted(set(episodes) - set(per["episode"]))):
        raise ValueError(f"{f}: no forecasts of {len(lacking)} episode(s): {', '.join(lacking[:5])}"
                         + (" ..." if len(lacking) > 5 else ""))
    return per


def leave_one_out_from(calibration: Path | None, table: object) -> tuple[Any, str, str]:
    """The leave-one-out forecasts from a calibration's episodes.csv, the directory used, and a note."""
    import pandas as pd

    from sim.history.scoring import leave_one_out

    assert isinstance(table, pd.DataFrame)
    explicit = calibration is not None
    d = Path(CALIBRATION_DIR) if calibration is None else calibration
    if str(d) == "none":
        return None, "", "leave-one-out: skipped (--calibration none)"
    f = d / "episodes.csv"
    if not f.is_file():
        if explicit:
            raise FileNotFoundError(f"{f}: no per-episode forecasts (run experiments/calibrate.py --out {d})")
        return None, "", f"leave-one-out: not computed ({f} not found; experiments/calibrate.py writes it)"
    try:
        per = read_calibration(f)
        loo = leave_one_out(per, table)
    except ValueError as e:
        if explicit:
            raise
        return None, "", f"leave-one-out: not computed ({f}: {e})"
    return loo, str(d), f"leave-one-out: from {f} ({per['point'].nunique()} points)"


def main(args: argparse.Namespace) -> int:
    import sys
    import time

    from tqdm import tqdm

    from sim.history import HISTORY_KEEP, history_plan, load_episodes, score_history
    from sim.history.scoring import forecasts_of, rung_frequencies, score_table
    from sim.store import atomic_write_bytes, provenance, table_hash, write_table
    from sim.sweep import Results, SweepError, default_jobs, run_to_dir

    if args.bootstrap < 1:
        print("error: --bootstrap must be at least 1", file=sys.stderr)
        return 2
    if args.calibration is not None and str(args.calibration) != "none" \
            and not (args.calibration / "episodes.csv").is_file():
        print(f"error: {args.calibration / 'episodes.csv'}: no per-episode forecasts "
              f"(experiments/calibrate.py --out {args.calibration} writes them)", file=sys.stderr)
        return 2
    episodes = load_episodes(args.directory, args.set)  # ScenarioError -> exit 2, nothing written
    from sim.experiment_checks import MAX_RUNS

    if len(episodes) * args.replicates > MAX_RUNS:  # before the plan (and its seeds) is built
        print(f"error: --replicates {args.replicates:,}: {len(episodes)} episodes x {args.replicates:,} = "
              f"{len(episodes) * args.replicates:,} runs: more than the limit of {MAX_RUNS:,} (every run's plan "
              "is held in memory)", file=sys.stderr)
        return 2
    if args.calibration is not None and str(args.calibration) != "none":
        try:  # checked now, not after the runs
            read_calibration(args.calibration / "episodes.csv", [e.name for e in episodes])
        except ValueError as e:
            print(f"error: --calibration {args.calibration}: {e}", file=sys.stderr)
            return 2
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
        loo, cal_dir, note = leave_one_out_from(args.calibration, h.table)
        scores = score_table(h.table, forecasts_of(h.table), loo, bootstrap=args.bootstrap)
        scored.append((h, scores, note))

        def csv(t: Any) -> bytes:
            return bytes(t.to_csv(index=False, float_format="%.6g", lineterminator="\n").encode())

        atomic_write_bytes(tmp / "history.csv", csv(h.table))
        write_table(h.table, tmp / "history.parquet")
        atomic_write_bytes(tmp / "scores.csv", csv(scores))
        if loo is not None:
            atomic_write_bytes(tmp / "loo.csv", csv(loo))
        return {
            "directory": str(args.directory),
            "overrides": list(args.set),
            "episodes": [{"name": e.name, "file": str(e.path), "seed": int(s), "sha256": sha}
                         for e, s, sha in zip(episodes, h.table["seed"], h.table["scenario_sha256"], strict=True)],
            "scores": {"brier": h.brier, "rps": h.rps},
            "scores_against_baselines": scores.to_dict(orient="records"),
            "calibration": cal_dir or None,
            "leave_one_out": note,
            "jobs": jobs,
            "table_sha256": {"history": table_hash(h.table), "outcomes": table_hash(h.outcomes)},
        }

    manifest = {"kind": "history", "root_seed": args.seed, "replicates": args.replicates, **provenance()}
    try:
        run_to_dir(plan, HISTORY_KEEP, args.out, manifest, jobs=jobs,
                   progress=lambda n: bar[0].update(n) if bar else None, on_start=on_start, finish=finish,
                   resume=args.resume, force=args.force)
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if bar:
            bar[0].close()
    wall = time.perf_counter() - t0
    res, scores, note = scored[0]
    print(format_table(res.table, res.brier, res.rps))
    print(format_scores(scores, rung_frequencies(res.table), note))
    print(f"{len(episodes)} episodes x {args.replicates} runs in {wall:.1f} s -> {args.out}/")
    return 0
