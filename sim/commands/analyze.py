"""``run.py analyze RESULTS_DIR``: sensitivity indices (sobol, morris) or point means (grid, lhs)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analyze", help="sensitivity indices of a sweep's results (Sobol' S1/ST, Morris mu*/sigma)",
        description="Read the results of `run.py sweep` in RESULTS_DIR. For sobol designs compute S1 and ST "
        "with confidence intervals, for morris designs mu*, mu and sigma, per outcome (SALib), and write "
        "sensitivity.csv, sensitivity.parquet and sensitivity.png. Every design also gets "
        "point_means.csv: each outcome's mean over the replicates of each design point.",
    )
    p.add_argument("results", type=Path, help="results directory of a sweep")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="analyse only this outcome (repeatable; default every numeric outcome)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--conf-level", type=float, default=0.95, help="confidence level (default 0.95)")


def main(args: argparse.Namespace) -> int:
    import sys

    from sim.sensitivity import analyze_sweep, plot_indices, point_means
    from sim.store import atomic_write_bytes, write_table
    from sim.sweep import SweepError, load_results

    try:
        res = load_results(args.results)
    except SweepError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if res.manifest.get("kind", "sweep") != "sweep":
        print(f"error: {args.results} holds the results of `run.py {res.manifest['kind'].replace('ensemble', 'run')}`"
              ", not of a sweep", file=sys.stderr)
        return 2
    if not 0 < args.conf_level < 1 or args.resamples < 1:
        print("error: --conf-level must be in (0, 1) and --resamples at least 1", file=sys.stderr)
        return 2
    if args.outcome:
        unknown = [o for o in args.outcome if o not in res.outcomes.columns]
        if unknown:
            print(f"error: --outcome {', '.join(unknown)}: not in the results", file=sys.stderr)
            return 2
    out: Path = args.results
    name = str(res.manifest.get("experiment", {}).get("name", out.name))
    if not res.complete:
        print(f"warning: the sweep is not complete ({len(res.missing_run_ids())} runs missing); "
              "points without any finished run are left out", file=sys.stderr)
    means = point_means(res, args.outcome)
    atomic_write_bytes(out / "point_means.csv", means.to_csv(index=False, float_format="%.6g").encode())
    kind = res.manifest.get("design", {}).get("kind")
    if kind not in ("sobol", "morris"):
        print(f"{name}: {kind} design, {len(means)} points: wrote {out}/point_means.csv "
              "(indices need a sobol or morris design)")
        return 0
    result = analyze_sweep(res, args.outcome, num_resamples=args.resamples, conf_level=args.conf_level)
    table = result.table
    write_table(table, out / "sensitivity.parquet")
    atomic_write_bytes(out / "sensitivity.csv", table.to_csv(index=False, float_format="%.6g").encode())
    if not table.empty:
        import io

        buf = io.BytesIO()
        plot_indices(result).savefig(buf, format="png", dpi=130, metadata={"Software": None})
        atomic_write_bytes(out / "sensitivity.png", buf.getvalue())
    for o, why in result.skipped.items():
        print(f"  skipped {o}: {why}")
    key = "ST" if result.method == "sobol" else "mu_star"
    for outcome, t in table.groupby("outcome", sort=False):
        top = t.sort_values(key, ascending=False).head(3)
        ranked = ", ".join(f"{p} ({v:.2f})" for p, v in zip(top["parameter"], top[key], strict=True))
        print(f"  {outcome}: largest {key}: {ranked}")
    print(f"{name}: {result.method} indices for {table['outcome'].nunique()} outcomes -> "
          f"{out}/sensitivity.csv, sensitivity.parquet, sensitivity.png, point_means.csv")
    return 0
