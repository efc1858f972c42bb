"""``run.py analyze RESULTS_DIR``: what a sweep says and how sure it is, for every design.

Every design: point means, the Monte Carlo error of each outcome and the replicates a precision needs.
sobol and morris: Sobol' S1/ST or Morris mu*/sigma (SALib). grid and lhs: SRC and PRCC with bootstrap
intervals and feature scores, and PRIM scenario discovery for each yes/no (or thresholded) outcome.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.commands.flags import path_arg

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from sim.sweep.store import Results


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyze", help="sensitivity, scenario discovery and Monte Carlo error of a sweep's results",
        description="Read the results of `run.py sweep` in RESULTS_DIR and write, for every design, "
        "point_means.csv (each outcome's mean per design point) and convergence.csv (each outcome's mean "
        "with its interval, the Monte Carlo standard error of a point's mean and the replicates --precision "
        "needs). sobol and morris designs: sensitivity.csv/.parquet/.png (S1 and ST, or mu*, mu and sigma, "
        "SALib). grid and lhs designs: regression.csv/.png (standardised regression and partial rank "
        "correlation coefficients with bootstrap intervals, extra-trees feature scores) and PRIM scenario "
        "discovery (discovery_tradeoff.csv, discovery_boxes.csv, discovery.png). See docs/sweeps.md.",
    )
    p.add_argument("results", type=path_arg, help="results directory of a sweep")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="analyse only this outcome (repeatable; default every numeric outcome)")
    p.add_argument("--prim", action="append", default=None, metavar="TARGET",
                   help="scenario discovery target: a yes/no outcome (intervention) or a threshold "
                   "(war_weeks>10); repeatable; default every yes/no outcome (grid and lhs designs)")
    p.add_argument("--no-prim", action="store_true", help="skip scenario discovery")
    p.add_argument("--min-coverage", type=float, default=0.5,
                   help="PRIM: report the densest box with at least this coverage (default 0.5)")
    p.add_argument("--precision", type=float, default=0.05,
                   help="wanted half-width of a point's 95%% interval: probability for yes/no outcomes, a "
                   "share of the outcome's range across runs for numbers (default 0.05)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--conf-level", type=float, default=0.95, help="confidence level (default 0.95)")


def _png(fig: Figure, path: Path) -> None:
    import io

    from sim.store import atomic_write_bytes

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=130, metadata={"Software": None})
    atomic_write_bytes(path, buf.getvalue())


def _csv(df: pd.DataFrame, path: Path) -> None:
    from sim.store import atomic_write_bytes

    atomic_write_bytes(path, df.to_csv(index=False, float_format="%.6g").encode())


def _check(args: argparse.Namespace, res: Results) -> str | None:
    if res.manifest.get("kind", "sweep") != "sweep":
        kind = str(res.manifest["kind"]).replace("ensemble", "run")
        return f"{args.results} holds the results of `run.py {kind}`, not of a sweep"
    if not 0 < args.conf_level < 1 or args.resamples < 1:
        return "--conf-level must be in (0, 1) and --resamples at least 1"
    if not 0 < args.precision or not 0 <= args.min_coverage <= 1:
        return "--precision must be above 0 and --min-coverage in [0, 1]"
    unknown = [o for o in args.outcome or [] if o not in res.outcomes.columns]
    if unknown:
        return f"--outcome {', '.join(unknown)}: not in the results"
    design, outcomes = res.manifest.get("design"), res.manifest.get("outcomes", [])
    if not isinstance(design, dict) or design.get("kind") not in ("grid", "lhs", "sobol", "morris"):
        return (f"{args.results}/manifest.json: design: not a sweep's design (grid, lhs, sobol or morris); "
                "the manifest was changed: run the sweep again")
    if not isinstance(outcomes, list) or not all(isinstance(o, str) for o in outcomes):
        return f"{args.results}/manifest.json: outcomes: not a list of outcome names; run the sweep again"
    if res.outcomes.empty:
        return f"{args.results}: no finished runs to analyse (continue the sweep with --resume)"
    if not args.no_prim and args.prim:  # checked before anything is written
        from sim.analysis import parse_target

        for t in args.prim:
            try:
                parse_target(t, res)
            except ValueError as e:
                return f"--prim {e}"
    import tempfile

    try:  # an error now, not after the first table is written
        tempfile.TemporaryDirectory(dir=args.results, prefix=".liptako-probe-").cleanup()
    except OSError as e:
        return f"{args.results}: cannot write the analysis there: {e.strerror}"
    return None


def _indices(args: argparse.Namespace, res: Results, out: Path) -> list[str]:
    from sim.analysis import analyze_sweep, index_warnings, plot_indices
    from sim.store import atomic_write_bytes, write_table

    result = analyze_sweep(res, args.outcome, num_resamples=args.resamples, conf_level=args.conf_level)
    table = result.table
    write_table(table, out / "sensitivity.parquet")
    atomic_write_bytes(out / "sensitivity.csv", table.to_csv(index=False, float_format="%.6g").encode())
    if not table.empty:
        _png(plot_indices(result), out / "sensitivity.png")
    for o, why in result.skipped.items():
        print(f"  skipped {o}: {why}")
    key, conf = ("ST", "ST_conf") if result.method == "sobol" else ("mu_star", "mu_star_conf")
    for outcome, t in table.groupby("outcome", sort=False):
        top = t.sort_values(key, ascending=False).head(3)
        ranked = ", ".join(f"{p} ({v:.2f} ± {c:.2f})" for p, v, c in zip(top["parameter"], top[key], top[conf],
                                                                        strict=True))
        print(f"  {outcome}: largest {key}: {ranked}")
    for w in index_warnings(table):
        print(w, file=sys.stderr)
    return ["sensitivity.csv", "sensitivity.parquet", "sensitivity.png"]


def _regression_and_prim(args: argparse.Namespace, res: Results, out: Path) -> list[str] | None:
    from sim.analysis import index_warnings, parse_target, plot_discovery, plot_regression, prim
    from sim.analysis import regression_sensitivity as rs

    written = []
    reg = rs(res, args.outcome, num_resamples=args.resamples, conf_level=args.conf_level)
    _csv(reg.table, out / "regression.csv")
    written.append("regression.csv")
    if not reg.table.empty:
        _png(plot_regression(reg), out / "regression.png")
        written.append("regression.png")
    for o, why in reg.skipped.items():
        print(f"  regression: skipped {o}: {why}")
    for outcome, t in reg.table.groupby("outcome", sort=False):
        top = t.reindex(t["PRCC"].abs().sort_values(ascending=False).index).head(3)
        ranked = ", ".join(f"{p} {v:+.2f} [{lo:.2f}, {hi:.2f}]" for p, v, lo, hi in
                           zip(top["parameter"], top["PRCC"], top["PRCC_low"], top["PRCC_high"], strict=True))
        print(f"  {outcome}: R² {t['R2'].iloc[0]:.2f}; largest |PRCC|: {ranked}")
    for w in index_warnings(reg.table):
        print(w, file=sys.stderr)
    if args.no_prim:
        return written
    import pandas as pd

    texts = args.prim or [o for o in (args.outcome or res.manifest.get("outcomes", []))
                          if o in res.outcomes.columns and pd.api.types.is_bool_dtype(res.outcomes[o])]
    try:
        targets = [parse_target(t, res) for t in texts]
    except ValueError as e:
        print(f"error: --prim {e}", file=sys.stderr)
        return None
    if not targets:
        return written
    disc = prim(res, targets, min_coverage=args.min_coverage)
    _csv(disc.tradeoff, out / "discovery_tradeoff.csv")
    _csv(disc.boxes, out / "discovery_boxes.csv")
    written += ["discovery_tradeoff.csv", "discovery_boxes.csv"]
    if not disc.tradeoff.empty:
        _png(plot_discovery(disc), out / "discovery.png")
        written.append("discovery.png")
    for label, why in disc.skipped.items():
        print(f"  PRIM: skipped {label}: {why}")
    for _, c in disc.chosen().iterrows():
        b = disc.boxes[disc.boxes["target"] == c["target"]]
        lims = "; ".join(f"{r['parameter']} in [{r['low']:.3g}, {r['high']:.3g}]" if r["high"] != "" else
                         f"{r['parameter']} in {r['low']}" for _, r in b.iterrows()) or "no restriction"
        print(f"  PRIM {c['target']}: coverage {c['coverage']:.2f}, density {c['density']:.2f} "
              f"[{c['density_low']:.2f}, {c['density_high']:.2f}] ({int(c['cases'])} of {int(c['runs'])} runs): "
              f"{lims}")
    return written


def main(args: argparse.Namespace) -> int:
    from sim.analysis import convergence, convergence_lines, point_means, seed_warnings
    from sim.sweep import SweepError, load_results

    try:
        res = load_results(args.results)
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    bad = _check(args, res)
    if bad:
        print(f"error: {bad}", file=sys.stderr)
        return 2
    out: Path = args.results
    name = str(res.manifest.get("experiment", {}).get("name", out.name))
    if not res.complete:
        print(f"warning: the sweep is not complete ({len(res.missing_run_ids())} runs missing); "
              "points without any finished run are left out", file=sys.stderr)
    kind = res.manifest.get("design", {}).get("kind")
    means = point_means(res, args.outcome)
    _csv(means, out / "point_means.csv")
    conv = convergence(res, args.outcome, precision=args.precision)
    _csv(conv, out / "convergence.csv")
    print(f"{name}: {kind} design, {len(means)} points, {len(res.outcomes)} runs")
    for line in convergence_lines(conv):
        print(f"  {line}")
    for w in seed_warnings(conv, res):
        print(w, file=sys.stderr)
    written = ["point_means.csv", "convergence.csv"]
    if kind in ("sobol", "morris"):
        written += _indices(args, res, out)
    else:
        more = _regression_and_prim(args, res, out)
        if more is None:
            return 2
        written += more
    print(f"{name}: wrote {', '.join(written)} in {out}/")
    return 0
