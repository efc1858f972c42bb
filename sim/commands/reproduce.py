"""``run.py reproduce [EXPERIMENT ...]``: re-run from scratch and compare with the committed lock files.

Each experiment ``experiments/X.yaml`` may have a lock file ``experiments/X.lock.json`` beside it: the
content hash of every result table (:func:`sim.store.table_hash`, independent of Parquet encoding and of
how the runs were split over workers) and the sha256 of every figure file. ``reproduce`` runs the
experiments (and any experiments their figures also read) into a fresh directory, draws the figures,
and prints one line per table and figure: match, MISMATCH, missing or new. The exit status is 0 when
everything matches, 1 otherwise, 2 on bad input.

``--update-lock`` writes the lock files from this run instead of comparing (after a deliberate model
change); ``--check DIR`` compares results already stored under DIR instead of running.
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

TABLES = ("outcomes", "timeline", "summary", "events", "points")
LOCK_VERSIONS = ("python", "numpy", "pandas", "pyarrow", "matplotlib", "mesa", "SALib", "networkx")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reproduce", help="re-run experiments from scratch and check tables and figures against lock files",
        description="Run each EXPERIMENT (default: every experiments/fig*.yaml) from scratch into a fresh "
        "directory, draw its figures, and compare every result table's hash and every figure file's "
        "sha256 with experiments/<name>.lock.json. Prints a match/mismatch table; exit status 1 on any "
        "mismatch.",
    )
    p.add_argument("experiments", nargs="*", type=path_arg, metavar="EXPERIMENT",
                   help="experiment files (default experiments/fig*.yaml)")
    p.add_argument("--work", type=path_arg, default=None,
                   help="fresh directory for the re-run (default: a new temporary directory, kept)")
    p.add_argument("--check", type=path_arg, default=None, metavar="DIR",
                   help="do not run: compare the results stored under DIR/<name>/ (e.g. results)")
    p.add_argument("--jobs", "-j", type=int, default=None, help="processes (default all cores)")
    p.add_argument("--update-lock", action="store_true",
                   help="write the lock files from this run instead of comparing (a deliberate change)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bars")


def lock_path(exp: LoadedExperiment) -> Path:
    """``experiments/X.yaml`` -> ``experiments/X.lock.json``."""
    return exp.path.with_name(exp.path.stem + ".lock.json")


def fingerprint(fi: FigureInput, fig_files: list[Path]) -> dict[str, Any]:
    """Hashes of the tables of ``fi`` (and its further experiments) and of its figure files."""
    from sim.store import file_sha256, table_hash

    tables: dict[str, str] = {}
    problems: list[str] = []
    for x in [fi, *fi.others]:
        for t in TABLES:
            df = getattr(x.results, t)
            if not df.empty:
                tables[f"{x.name}/{t}"] = table_hash(df)
        if not x.results.failures.empty:
            problems.append(f"{x.name}: {len(x.results.failures)} runs failed")
        if not x.results.complete:
            problems.append(f"{x.name}: {len(x.results.missing_run_ids())} runs missing")
    figures = {p.name: file_sha256(p) for p in sorted(fig_files, key=lambda q: q.name)}
    return {"tables": tables, "figures": figures, "problems": problems}


def lock_document(exp: LoadedExperiment, fp: dict[str, Any]) -> dict[str, Any]:
    from sim.store import package_versions

    versions = package_versions([v for v in LOCK_VERSIONS if v != "python"])
    return {
        "experiment": exp.spec.name,
        "note": "written by `python run.py reproduce --update-lock`; compared by `python run.py reproduce`",
        "tables": fp["tables"],
        "figures": fp["figures"],
        "versions": {k: versions.get(k) for k in LOCK_VERSIONS},
    }


def read_lock(path: Path) -> dict[str, Any] | None:
    """The lock file at ``path`` (None when there is none), checked: a JSON object whose ``tables`` and
    ``figures`` map names to sha256 hex digests. ScenarioError naming the file and what is wrong."""
    import json
    import re

    from sim.scenario import ScenarioError
    from sim.scenario.safeyaml import read_text

    if not (path.exists() or path.is_symlink()):
        return None
    text = read_text(path)  # a regular UTF-8 file under the size limit, or ScenarioError
    try:
        doc = json.loads(text)
    except ValueError as e:
        line = getattr(e, "lineno", 1)
        raise ScenarioError([f"{path}:{line}: not a lock file (not valid JSON: {getattr(e, 'msg', e)}); "
                             "write it again with --update-lock"]) from None
    if not isinstance(doc, dict):
        raise ScenarioError([f"{path}:1: not a lock file (a JSON object with tables and figures)"])
    lines = text.splitlines()

    def at(key: str) -> str:  # file:line of the first line naming the key
        return f"{path}:{next((i for i, t in enumerate(lines, 1) if json.dumps(key) in t), 1)}"

    errs = []
    for section in ("tables", "figures"):
        v = doc.get(section, {})
        if not isinstance(v, dict):
            errs.append(f"{at(section)}: {section}: must map names to sha256 hashes")
            continue
        for k, h in v.items():
            if not (isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h)):
                errs.append(f"{at(k)}: {section}.{k}: {h!r} is not a sha256 hash (64 hex digits)")
    if not isinstance(doc.get("versions", {}), dict):
        errs.append(f"{at('versions')}: versions: must map package names to versions")
    if errs:
        raise ScenarioError(errs)
    return doc


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Rows (item, expected, got, status) for every table and figure in either side."""
    rows = []
    for section in ("tables", "figures"):
        e, g = expected.get(section, {}), got.get(section, {})
        for key in sorted(set(e) | set(g)):
            if key not in g:
                status = "missing"
            elif key not in e:
                status = "new"
            else:
                status = "match" if e[key] == g[key] else "MISMATCH"
            rows.append((f"{section[:-1]} {key}", str(e.get(key, "-"))[:12], str(g.get(key, "-"))[:12],
                         status))
    for p in got.get("problems", []):
        rows.append((p, "-", "-", "FAILED"))
    return rows


def _print_table(name: str, rows: list[tuple[str, str, str, str]]) -> None:
    w = max([len(r[0]) for r in rows] + [4])
    print(f"\n{name}")
    print(f"  {'item':<{w}}  {'expected':<12}  {'got':<12}  status")
    for item, e, g, s in rows:
        print(f"  {item:<{w}}  {e:<12}  {g:<12}  {s}")


def main(args: argparse.Namespace) -> int:
    import json
    import tempfile
    import time

    from sim.commands.figures import draw_figures, experiment_files, load_input
    from sim.experiment import load_experiment
    from sim.paper import FigureError
    from sim.store import atomic_write_bytes
    from sim.sweep import SweepError

    paths = experiment_files(args.experiments)
    if not paths:
        print("error: no experiment files given and none match experiments/fig*.yaml", file=sys.stderr)
        return 2
    exps = [load_experiment(p) for p in paths]
    from sim.scenario import ScenarioError

    for exp in exps:  # every lock is read before anything runs (--update-lock replaces a broken one)
        lp = lock_path(exp)
        if (lp.exists() or lp.is_symlink()) and not lp.is_file():
            raise ScenarioError([f"{lp}: the lock file is not a regular file; move it away"])
        if not args.update_lock:
            read_lock(lp)
    if args.check is not None and args.update_lock:
        print("error: --check compares stored results; it cannot be combined with --update-lock",
              file=sys.stderr)
        return 2
    if args.check is not None:
        root = args.check
        if not root.is_dir():
            print(f"error: --check {root}: no such directory", file=sys.stderr)
            return 2
    elif args.work is not None:
        root = args.work
        if root.exists() and any(root.iterdir()):
            print(f"error: --work {root} is not empty; reproduce needs a fresh directory", file=sys.stderr)
            return 2
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            print(f"error: --work {root}: cannot make the directory: {e.strerror}", file=sys.stderr)
            return 2
    else:
        root = Path(tempfile.mkdtemp(prefix="liptako-reproduce-"))
    print(f"{'checking results in' if args.check else 'running from scratch in'} {root}/")
    t0 = time.perf_counter()
    all_ok = True
    summary: list[tuple[str, str]] = []
    for exp in exps:
        try:
            fi = load_input(exp, root, args.jobs, quiet=args.quiet, run_missing=args.check is None)
            fig_dir = root / exp.spec.name / "figures"
            if args.check is not None:
                files = sorted(p for p in fig_dir.glob("*") if p.suffix in (".png", ".svg"))
                if not files:  # results without figures: draw them (from the stored tables only)
                    files = draw_figures(fi, fig_dir)
            else:
                files = draw_figures(fi, fig_dir)
        except (FigureError, SweepError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        fp = fingerprint(fi, files)
        lp = lock_path(exp)
        if args.update_lock:
            if fp["problems"]:
                print(f"error: {exp.spec.name}: not writing a lock of a run with problems: "
                      f"{'; '.join(fp['problems'])}", file=sys.stderr)
                return 1
            doc = lock_document(exp, fp)
            atomic_write_bytes(lp, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())
            rows = [(f"{s[:-1]} {k}", "-", v[:12], "written") for s in ("tables", "figures")
                    for k, v in sorted(doc[s].items())]
            _print_table(f"{exp.spec.name} -> {lp}", rows)
            summary.append((exp.spec.name, "lock written"))
            continue
        if not lp.is_file():
            print(f"\n{exp.spec.name}: no lock file {lp} (write one with --update-lock)")
            summary.append((exp.spec.name, "NO LOCK"))
            all_ok = False
            continue
        expected = read_lock(lp) or {}  # checked before the runs
        rows = compare(expected, fp)
        _print_table(f"{exp.spec.name} (lock {lp})", rows)
        ok = all(r[3] == "match" for r in rows)
        if not ok:
            mine = {k: v for k, v in lock_document(exp, fp)["versions"].items()}
            diff = {k: (expected.get("versions", {}).get(k), v) for k, v in mine.items()
                    if expected.get("versions", {}).get(k) != v}
            if diff:
                print("  note: package versions differ from the lock's: "
                      + ", ".join(f"{k} {a} -> {b}" for k, (a, b) in sorted(diff.items())))
        summary.append((exp.spec.name, "match" if ok else "MISMATCH"))
        all_ok &= ok
    print(f"\nsummary ({time.perf_counter() - t0:.1f} s, results in {root}/):")
    for name, status in summary:
        print(f"  {name:<36} {status}")
    return 0 if all_ok else 1
