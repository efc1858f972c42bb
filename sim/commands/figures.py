"""``run.py figures [EXPERIMENT ...]``: draw each experiment's figures from its stored results.

Results live in ``results/<experiment name>/`` (the results store of :mod:`sim.sweep.store`). An experiment whose
results are missing, incomplete or from a different version of the experiment or scenario is run first;
then every entry of its ``figures:`` list is drawn (see :mod:`sim.paper`) and saved as PNG and SVG.
The helpers here are shared with ``run.py reproduce``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.commands.flags import path_arg

if TYPE_CHECKING:
    from sim.experiment import LoadedExperiment
    from sim.paper import FigureInput

DEFAULT_GLOB = "experiments/fig*.yaml"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "figures", help="draw the paper figures from stored results (running what is missing)",
        description="For each EXPERIMENT (default: every experiments/fig*.yaml) read its results from "
        "RESULTS/<name>/, running the sweep first if they are missing or stale, and draw the figures its "
        "'figures:' list names into RESULTS/<name>/figures/ (or --out) as PNG and SVG.",
    )
    p.add_argument("experiments", nargs="*", type=path_arg, metavar="EXPERIMENT",
                   help=f"experiment files (default {DEFAULT_GLOB})")
    p.add_argument("--results", type=path_arg, default=Path("results"), help="results root (default results/)")
    p.add_argument("--out", type=path_arg, default=None,
                   help="write all figures here instead of RESULTS/<name>/figures/ (e.g. docs/figures)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="processes for missing runs (default all cores)")
    p.add_argument("--rerun", action="store_true", help="run the sweeps again even if results are stored")
    p.add_argument("--formats", default="png,svg", help="comma-separated formats (default png,svg)")
    p.add_argument("--force", action="store_true",
                   help="write into an --out that holds other files (they are kept, never replaced)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars")


def experiment_files(given: list[Path]) -> list[Path]:
    """The experiment files to work on: those given, or every ``experiments/fig*.yaml``."""
    return list(given) if given else sorted(Path(".").glob(DEFAULT_GLOB))


def _spec_without_figures(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "figures"}


def stored_is_current(exp: LoadedExperiment, directory: Path) -> tuple[bool, str]:
    """Whether ``directory`` holds complete results of this experiment (figures may differ)."""
    from sim.scenario import scenario_hash
    from sim.store import results_manifest

    m = results_manifest(directory)  # None for a missing, unreadable or corrupted manifest
    if m is None:
        return False, "no results"
    if m.get("status") != "complete":
        return False, f"results are {m.get('status', 'incomplete')}"
    e, s = m.get("experiment"), m.get("scenario")
    old = e.get("spec") if isinstance(e, dict) else None
    if not isinstance(old, dict) or \
            _spec_without_figures(old) != _spec_without_figures(exp.spec.model_dump(mode="json")):
        return False, "the experiment file changed since the results were made"
    if not isinstance(s, dict) or s.get("sha256") != scenario_hash(exp.base):
        return False, "the scenario changed since the results were made"
    return True, "stored results are current"


def ensure_results(exp: LoadedExperiment, directory: Path, jobs: int | None, rerun: bool = False,
                   quiet: bool = False) -> Path:
    """Run ``exp`` into ``directory`` unless current results are stored there; returns the directory."""
    from sim.sweep import run_sweep

    ok, why = (False, "--rerun") if rerun else stored_is_current(exp, directory)
    if ok:
        print(f"{exp.spec.name}: {why} in {directory}/")
        return directory
    print(f"{exp.spec.name}: running ({why}) -> {directory}/", flush=True)
    bar: list[Any] = []

    def on_start(planned: int, before: int) -> None:
        from tqdm import tqdm

        bar.append(tqdm(total=planned, initial=before, unit="run", desc=exp.spec.name, dynamic_ncols=True,
                        mininterval=0.5, disable=quiet))

    def progress(ok: int, failed: int) -> None:
        if bar:
            bar[0].update(ok + failed)

    overwrite = directory.exists() and (directory / "manifest.json").exists()
    try:
        summary = run_sweep(exp, directory, jobs=jobs, overwrite=overwrite, progress=progress,
                            on_start=on_start, command=sys.argv)
    finally:
        if bar:
            bar[0].close()
    print(f"  {summary.line(exp.spec.name)}")
    return directory


def load_input(exp: LoadedExperiment, results_root: Path, jobs: int | None, rerun: bool = False,
               quiet: bool = False, run_missing: bool = True) -> FigureInput:
    """The stored results of ``exp`` and of the experiments its figures also read."""
    from sim.experiment import load_experiment
    from sim.paper import FigureInput, figure_dependencies
    from sim.sweep import SweepError, load_results

    def one(e: LoadedExperiment) -> FigureInput:
        d = results_root / e.spec.name
        if run_missing:
            ensure_results(e, d, jobs, rerun, quiet)
        elif not (d / "manifest.json").is_file():
            raise SweepError(f"{d}: no results of experiment {e.spec.name}")
        return FigureInput(load_results(d), e, directory=d)

    fi = one(exp)
    fi.others = [one(load_experiment(p)) for p in figure_dependencies(exp)]
    return fi


def figure_names(exp: LoadedExperiment, formats: tuple[str, ...]) -> list[str]:
    """The files :func:`draw_figures` writes for ``exp``."""
    return [f"{f.name}.{fmt}" for f in exp.spec.figures for fmt in formats]


def draw_figures(fi: FigureInput, out_dir: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Draw and save every figure of the experiment; returns the files written.

    Every figure is drawn into a temporary directory first: when one fails, nothing reaches ``out_dir``
    (and a directory made for it is removed). Then each file is renamed into place (a reader sees the
    old file or the new one) and listed, with its sha256, in ``out_dir``'s figures record
    (:func:`sim.store.record_figures`), which is what lets a later run replace it.
    """
    import os
    import shutil
    import tempfile

    from sim.figures import save
    from sim.paper import draw
    from sim.store import record_figures

    made = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out_dir, prefix=".figures-", suffix=".tmp"))
    try:
        drawn: list[Path] = []
        for f in fi.experiment.spec.figures:
            fig = draw(fi, f.name, f.kind, f.params)
            drawn += save(fig, tmp / f.name, formats)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        for p in made:  # innermost first: only the directories made here, and only when still empty
            try:
                p.rmdir()
            except OSError:
                break
        raise
    files = []
    for p in drawn:
        os.replace(p, out_dir / p.name)
        files.append(out_dir / p.name)
    shutil.rmtree(tmp, ignore_errors=True)
    record_figures(out_dir, files)
    return files


def check_outputs(exps: list[LoadedExperiment], results: Path, out: Path | None, formats: tuple[str, ...],
                  rerun: bool = False, force: bool = False) -> None:
    """Refuse, before anything runs, a results or figures directory that is not Liptako's to write
    (:func:`sim.store.check_out`, :func:`sim.store.check_figures_out`): OutputError naming the flag."""
    from sim.experiment import load_experiment
    from sim.paper import figure_dependencies
    from sim.store import check_figures_out, check_out, results_manifest

    seen: set[str] = set()
    for exp in exps:
        for e in [exp, *(load_experiment(p) for p in figure_dependencies(exp))]:
            d = results / e.spec.name
            if e.spec.name in seen:
                continue
            seen.add(e.spec.name)
            current = False if rerun else stored_is_current(e, d)[0]
            if not current:
                check_out(d, "sweep", flag="--results")
        if exp.spec.figures:
            d = out if out is not None else results / exp.spec.name / "figures"
            names = figure_names(exp, formats)
            legacy = names if out is None and results_manifest(d.parent) is not None else []
            check_figures_out(d, names, force=force, legacy=legacy)


def main(args: argparse.Namespace) -> int:
    import time

    from sim.experiment import load_experiment
    from sim.paper import FigureError
    from sim.sweep import SweepError

    paths = experiment_files(args.experiments)
    if not paths:
        print(f"error: no experiment files given and none match {DEFAULT_GLOB}", file=sys.stderr)
        return 2
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    bad = [f for f in formats if f not in ("png", "svg", "pdf")]
    if bad or not formats:
        print(f"error: --formats: use png, svg or pdf (got {args.formats!r})", file=sys.stderr)
        return 2
    exps = [load_experiment(p) for p in paths]  # every file is checked before anything runs
    check_outputs(exps, args.results, args.out, formats, args.rerun, args.force)
    t0 = time.perf_counter()
    n = 0
    for exp in exps:
        if not exp.spec.figures:
            print(f"{exp.spec.name}: no figures listed; skipped")
            continue
        try:
            fi = load_input(exp, args.results, args.jobs, args.rerun, args.quiet)
            out = args.out if args.out is not None else args.results / exp.spec.name / "figures"
            files = draw_figures(fi, out, formats)
        except (FigureError, SweepError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        n += len(files)
        for f in files:
            print(f"  {f}")
    print(f"{n} figure files from {len(exps)} experiment(s) in {time.perf_counter() - t0:.1f} s")
    return 0
