"""``run.py sweep EXPERIMENT``: run an experiment's design on all cores or a Dask cluster."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.commands.flags import path_arg


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep", help="run an experiment (a design over scenario parameters) into a resumable store",
        description="Run every design point x replicate of EXPERIMENT and stream the results, chunk by "
        "chunk, to Parquet files in OUT (default results/<experiment name>). Ctrl-C keeps what is "
        "finished; --resume continues. Read the results with sim.load_results(OUT) or "
        "`run.py analyze OUT`.",
        epilog="examples:\n"
        "  python run.py sweep experiments/deterrence_grid.yaml --jobs 2\n"
        "  python run.py sweep experiments/sobol_main.yaml --executor dask\n"
        "  python run.py sweep experiments/sobol_main.yaml --scheduler tcp://scheduler-host:8786\n"
        "  python run.py sweep experiments/deterrence_grid.yaml --resume\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("experiment", type=path_arg, help="experiment file (experiments/*.yaml)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--executor", choices=["local", "serial", "dask"], default="local",
                   help="local: a process pool (default); serial: this process; dask: a Dask LocalCluster")
    p.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="address of a running Dask scheduler, e.g. tcp://host:8786 (implies --executor dask)")
    p.add_argument("--out", type=path_arg, default=None, help="results directory (default results/<name>)")
    p.add_argument("--resume", action="store_true", help="continue the sweep in OUT, skipping finished runs")
    p.add_argument("--retry-failed", action="store_true", help="with --resume: run failed runs again")
    p.add_argument("--overwrite", action="store_true",
                   help="delete the results in OUT (Liptako's files only) and start again")
    p.add_argument("--force", action="store_true",
                   help="write into an OUT that holds other files (they are kept, never replaced)")
    p.add_argument("--chunk-seconds", type=float, default=1.0, metavar="S",
                   help="target wall time of one chunk of work (default 1)")
    p.add_argument("--dry-run", action="store_true", help="show the plan and exit")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")


def main(args: argparse.Namespace) -> int:
    import sys

    from sim.experiment import load_experiment
    from sim.sweep import SweepError, make_plan, run_sweep

    exp = load_experiment(args.experiment)
    out = args.out or Path("results") / exp.spec.name
    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.chunk_seconds <= 0:
        print("error: --chunk-seconds must be positive", file=sys.stderr)
        return 2
    if args.dry_run:
        plan = make_plan(exp)
        s = exp.spec
        print(f"{s.name}: {s.design.kind} design, {len(plan.points)} points x {s.replicates} replicates = "
              f"{plan.n_runs} runs; base scenario {exp.scenario_path} ({exp.base.name})")
        for path in plan.paths:
            col = plan.points[path]
            shown = sorted(col.unique().tolist())
            desc = (", ".join(map(str, shown)) if len(shown) <= 8
                    else f"{len(shown)} values in [{min(shown)}, {max(shown)}]")
            print(f"  {path}: {desc}")
        print(f"  outcomes: {', '.join(exp.outcomes)}; timeline: {s.timeline.keep}; events: {s.events}")
        print(f"  results would go to {out}/")
        return 0

    from tqdm import tqdm

    bar: list[tqdm] = []
    fails = [0]

    def on_start(planned: int, before: int) -> None:
        bar.append(tqdm(total=planned, initial=before, unit="run", desc=exp.spec.name, dynamic_ncols=True,
                        mininterval=0.5, smoothing=0.1, disable=args.quiet))

    def progress(ok: int, failed: int) -> None:
        fails[0] += failed
        if bar:
            if failed:
                bar[0].set_postfix(failed=fails[0], refresh=False)
            bar[0].update(ok + failed)

    try:
        summary = run_sweep(exp, out, executor=args.executor, jobs=args.jobs, scheduler=args.scheduler,
                            resume=args.resume, overwrite=args.overwrite, retry_failed=args.retry_failed,
                            chunk_seconds=args.chunk_seconds, progress=progress, on_start=on_start,
                            command=sys.argv, force=args.force)
    except SweepError as e:
        if bar:
            bar[0].close()
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if bar:
            bar[0].close()
        print(f"interrupted: finished chunks are kept in {out}/; continue with\n"
              f"  python run.py sweep {args.experiment} --out {out} --resume", file=sys.stderr)
        return 130
    if bar:
        bar[0].close()
    from sim.analysis.convergence import stored_report  # MCSE, replicates needed, agreeing-seed warnings

    for line in stored_report(out):
        print(line, file=sys.stderr if line.startswith("warning:") else sys.stdout)
    print(summary.line(exp.spec.name))
    if summary.failed:
        print(f"  {summary.failed} runs failed: their run id, seed and traceback are in the failures table "
              f"(sim.load_results('{out}').failures)")
    return 0
