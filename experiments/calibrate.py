"""Calibration of the weights the episodes can speak to, by history matching (docs/calibration.md).

The objective was written in docs/calibration.md before this search; the behaviour patterns are tested
after it (``experiments/findings.py``), never imposed on it.

1. Wave 1: a Latin hypercube of POINTS points (scipy.stats.qmc, seeded) over the free weights of
   ``SPACE``, rounded to two decimals; point 0 is the previous defaults, for comparison. Every episode of
   ``scenarios/history`` runs REPLICATES times at each point (common random numbers: the same seeds at
   every point); every point's forecast of every episode is kept (``episodes.csv``).
2. History matching (:mod:`sim.history.matching`): a point is ruled out when the second largest of its
   implausibilities over the episodes' sourced observations is 3 or more.
3. Wave 2: a second seeded hypercube of REFINE points in the box spanned (5-95%) by the points not ruled
   out, scored and matched the same way.
4. Identification: a weight is identified when the points not ruled out span less than half of the
   design's range; the profile of the objective (its best value in each fifth of a weight's range) is
   printed and written beside it.
5. Choice: the TOP points not ruled out with the best objective (Brier of P(force) + mean RPS of the
   highest rung) are re-run with FINAL replicates at another root seed (no winner's curse from the
   search's own noise); the best of them becomes the defaults in sim/scenario/parameters.py.

Usage::

    .venv/bin/python experiments/calibrate.py                 # the recorded run (about half an hour on 2 cores)
    .venv/bin/python experiments/calibrate.py --points 16 --refine 8 --replicates 5 --final 10 --top 2 \
        --out /tmp/cal                                        # a quick look

Writes OUT/points.csv (every point: its weights, scores and implausibilities), OUT/episodes.csv (every
point's forecast of every episode: p_force, p_rung_0..6, the Brier and RPS terms; the leave-one-out scores
of ``run.py history --calibration OUT`` are recomputed from it), OUT/identification.csv, OUT/profile.csv,
OUT/chosen.json (the chosen values) and OUT/manifest.json (seeds, versions, commit).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.history import Episode, load_episodes, run_history, with_parameters  # noqa: E402
from sim.history.matching import CUTOFF, identification, implausibility, kept  # noqa: E402
from sim.history.scoring import FORECAST_COLUMNS  # noqa: E402
from sim.scenario import ModelParams  # noqa: E402

# (name, lower, upper): the free weights (docs/calibration.md, "The objective of the next calibration") and
# the box searched. "rung_level" and "rung_step" generate parameters.support.rung_cost =
# [a - 2b, a - b, a, a + b, a + 2b, a + 3b] (condemn ... intervention): one level (the reluctance to impose
# sanctions) and one step per rung. Every other weight is fixed (docs/calibration.md says which and why).
SPACE: list[tuple[str, float, float]] = [
    ("rung_level", -3.0, 1.0),
    ("rung_step", 0.0, 1.5),
    ("support.w_norm", 0.0, 4.0),
    ("support.w_cost", 0.0, 8.0),
    ("council.launch_p_win", 0.3, 0.9),
    ("target.intercept", -10.0, -3.0),
    ("target.w_sanctions", 0.0, 8.0),
    ("target.w_threat", 0.0, 8.0),
]


def to_parameters(point: dict[str, float]) -> dict[str, Any]:
    """Parameter values (dotted paths under ``parameters``) of one design point."""
    out: dict[str, Any] = {k: v for k, v in point.items() if not k.startswith("rung_")}
    if "rung_level" in point:
        a, b = point["rung_level"], point["rung_step"]
        out["support.rung_cost"] = [round(a + b * (i - 2), 4) for i in range(6)]
    return out


def defaults_point() -> dict[str, float]:
    """The current defaults, as a design point (rung level/step fitted to the current rung costs)."""
    mp = ModelParams()
    rc = np.asarray(mp.support.rung_cost)
    step, level = np.polyfit(np.arange(6) - 2, rc, 1)
    point = {"rung_level": float(level), "rung_step": float(step)}
    for name, _, _ in SPACE[2:]:
        group, field = name.split(".")
        point[name] = float(getattr(getattr(mp, group), field))
    return point


def evaluate(episodes: Sequence[Episode], params: dict[str, Any], replicates: int, seed: int
             ) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """Score one point on all episodes (run in a worker process, serially).

    Returns the point's row of points.csv and its per-episode forecasts (the rows of episodes.csv:
    episode, replicates, p_force, p_rung_0..6, brier_term, rps), from which anyone can recompute the
    leave-one-out scores (sim.history.scoring.leave_one_out), and the observations of the history table.
    """
    eps = [Episode(e.path, with_parameters(e.scenario, params, where="calibration")) for e in episodes]
    res = run_history(eps, replicates=replicates, seed=seed, jobs=1)
    row: dict[str, Any] = {"brier": res.brier, "rps": res.rps, "score": res.brier + res.rps}
    for r in res.table.itertuples(index=False):
        row[f"p_force:{r.episode}"] = r.p_force
        row[f"modal:{r.episode}"] = r.modal_rung
    per = res.table[["episode", "replicates", *FORECAST_COLUMNS, "brier_term", "rps"]].copy()
    obs = res.table[["episode", "observed_rung", "observed_force", "rung_sourced", "force_sourced"]].copy()
    return row, per, obs


def rescore(args: argparse.Namespace) -> int:
    """Every point of an earlier calibration's points.csv, run on today's episodes: episodes.csv only.

    The points keep their numbers, so ``leave_one_out`` over the result is that calibration's design,
    re-run with the model and episodes of this commit (episodes_manifest.json says which).
    """
    from sim.store import provenance, write_json

    episodes = load_episodes(args.episodes)
    pts_table = pd.read_csv(args.rescore)
    names = [s[0] for s in SPACE]
    pts = {int(r["point"]): {k: float(r[k]) for k in names} for _, r in pts_table.iterrows()}
    t0 = time.perf_counter()
    per: list[pd.DataFrame] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        futs = {i: ex.submit(evaluate, episodes, to_parameters(p), args.replicates, args.seed)
                for i, p in pts.items()}
        for n, (i, f) in enumerate(futs.items()):
            _, e, _ = f.result()
            stage = int(pts_table.loc[pts_table["point"] == i, "stage"].iloc[0]) if "stage" in pts_table else 1
            per.append(e.assign(point=i, stage=stage))
            if (n + 1) % 8 == 0 or n + 1 == len(futs):
                print(f"  {n + 1}/{len(futs)} points ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t = pd.concat(per, ignore_index=True)
    t = t[["point", "stage", *[c for c in t.columns if c not in ("point", "stage")]]]
    t.to_csv(out / "episodes.csv", index=False, float_format="%.6g", lineterminator="\n")
    write_json({"kind": "calibration_rescore", "points_from": str(args.rescore), "points": len(pts),
                "replicates": args.replicates, "root_seed": args.seed,
                "episodes": [str(e.path.relative_to(ROOT)) if e.path.is_absolute() else str(e.path)
                             for e in episodes],
                "wall_seconds": round(time.perf_counter() - t0, 1), **provenance()},
               out / "episodes_manifest.json")
    print(f"{len(pts)} points x {len(episodes)} episodes x {args.replicates} runs -> {out}/episodes.csv")
    return 0




def profile(points: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """The best objective in each of ``bins`` equal parts of every weight's searched range."""
    rows = []
    for name, lo, hi in SPACE:
        edges = np.linspace(lo, hi, bins + 1)
        for k in range(bins):
            m = (points[name] >= edges[k]) & ((points[name] < edges[k + 1]) | (k == bins - 1))
            sub = points[m]
            rows.append({"weight": name, "from": edges[k], "to": edges[k + 1], "points": len(sub),
                         "best_score": float(sub["score"].min()) if len(sub) else float("nan"),
                         "kept": int(sub["kept"].sum()) if len(sub) else 0})
    return pd.DataFrame(rows)


def box_of(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The 5-95% box of ``points`` over SPACE (widened to a tenth of the range where it is narrower)."""
    lo, hi = [], []
    for name, a, b in SPACE:
        q = np.quantile(points[name].to_numpy(dtype=float), [0.05, 0.95])
        half = max((q[1] - q[0]) / 2, (b - a) / 20)
        c = (q[0] + q[1]) / 2
        lo.append(max(a, c - half))
        hi.append(min(b, c + half))
    return np.array(lo), np.array(hi)


def lhs(points: int, seed: int, lo: np.ndarray, hi: np.ndarray) -> list[dict[str, float]]:
    """A seeded Latin hypercube of ``points`` points in the box [lo, hi], rounded to two decimals."""
    from scipy.stats import qmc

    sample = qmc.LatinHypercube(d=len(SPACE), seed=np.random.default_rng(seed)).random(points)
    pts = np.round(qmc.scale(sample, lo, hi), 2)
    return [dict(zip([s[0] for s in SPACE], map(float, row), strict=True)) for row in pts]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=160, help="wave-1 Latin hypercube points (default 160)")
    ap.add_argument("--refine", type=int, default=96, help="wave-2 Latin hypercube points (default 96)")
    ap.add_argument("--replicates", type=int, default=20, help="runs per episode and point (default 20)")
    ap.add_argument("--top", type=int, default=6, help="best points re-run for the choice (default 6)")
    ap.add_argument("--final", type=int, default=100, help="runs per episode of the re-run (default 100)")
    ap.add_argument("--seed", type=int, default=20240224, help="root seed of the design and the runs")
    ap.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    ap.add_argument("--episodes", type=Path, default=ROOT / "scenarios/history", help="episode directory")
    ap.add_argument("--out", type=Path, default=ROOT / "experiments/calibration", help="output directory")
    ap.add_argument("--rescore", type=Path, default=None, metavar="POINTS_CSV",
                    help="no search: run the design points of an earlier points.csv on the episodes and write "
                    "only OUT/episodes.csv and OUT/episodes_manifest.json (every point's per-episode forecasts)")
    args = ap.parse_args(argv)
    if args.rescore is not None:
        return rescore(args)

    from sim.store import provenance, write_json

    episodes = load_episodes(args.episodes)
    t0 = time.perf_counter()
    ex: Executor = ProcessPoolExecutor(max_workers=args.jobs)
    per_episode: list[pd.DataFrame] = []
    obs_table: list[pd.DataFrame] = []

    def score(pts: list[dict[str, float]], first: int, stage: int, replicates: int, seed: int) -> pd.DataFrame:
        futs = [ex.submit(evaluate, episodes, to_parameters(p), replicates, seed) for p in pts]
        rows = []
        for i, (p, f) in enumerate(zip(pts, futs, strict=True)):
            row, per, table = f.result()
            if not obs_table:
                obs_table.append(table)
            rows.append({"point": first + i, "stage": stage, "replicates": replicates, "seed": seed, **p, **row})
            per_episode.append(per.assign(point=first + i, stage=stage))
            if (i + 1) % 8 == 0 or i + 1 == len(pts):
                print(f"  stage {stage}: {i + 1}/{len(pts)} points scored ({time.perf_counter() - t0:.0f} s)",
                      file=sys.stderr)
        return pd.DataFrame(rows)

    def matched(table: pd.DataFrame) -> pd.DataFrame:
        per = pd.concat(per_episode, ignore_index=True)
        per = per[per["point"].isin(table["point"])]
        imp = implausibility(per, obs_table[0])
        t = table.drop(columns=[c for c in ("i_max", "i_second", "kept") if c in table]).merge(imp[
            ["point", "i_max", "i_second"]], on="point")
        t["kept"] = t["point"].isin(kept(imp))
        return t

    lo0 = np.array([s[1] for s in SPACE])
    hi0 = np.array([s[2] for s in SPACE])
    try:
        pts = [defaults_point(), *lhs(args.points, args.seed, lo0, hi0)]
        table = matched(score(pts, 0, 1, args.replicates, args.seed))
        k1 = table[table["kept"]]
        base = k1 if len(k1) >= 2 else table.nsmallest(max(2, len(table) // 10), "score")
        lo, hi = box_of(base)
        pts2 = lhs(args.refine, args.seed + 1, lo, hi)
        table = matched(pd.concat([table, score(pts2, len(pts), 2, args.replicates, args.seed)], ignore_index=True))
        pts = pts + pts2
        pool = table[table["kept"]] if table["kept"].any() else table
        best = pool.sort_values(["score", "point"]).head(args.top)
        finals = [pts[int(i)] for i in best["point"]]
        final = score(finals, len(pts), 3, args.final, args.seed + 2)
        final["of_point"] = best["point"].to_numpy()
        pts = pts + finals
    finally:
        ex.shutdown(cancel_futures=True)
    wall = time.perf_counter() - t0
    final = final.sort_values(["score", "point"]).reset_index(drop=True)
    chosen_i = int(final["point"].iloc[0])
    ident = identification(table, [int(p) for p in table.loc[table["kept"], "point"]], SPACE)
    prof = profile(table)
    chosen = {"point": chosen_i, "of_point": int(final["of_point"].iloc[0]), "design_point": pts[chosen_i],
              "parameters": to_parameters(pts[chosen_i]),
              "score": float(final["score"].iloc[0]), "brier": float(final["brier"].iloc[0]),
              "rps": float(final["rps"].iloc[0]),
              "kept_points": int(table["kept"].sum()), "points": len(table), "cutoff": CUTOFF,
              "identified": [r.weight for r in ident.itertuples() if r.identified],
              "not_identified": [r.weight for r in ident.itertuples() if not r.identified],
              "previous_defaults_score": float(table.loc[table["point"] == 0, "score"].iloc[0])}
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    allpts = pd.concat([table, final.drop(columns=["of_point"])], ignore_index=True)
    allpts.to_csv(out / "points.csv", index=False, float_format="%.6g", lineterminator="\n")
    per = pd.concat(per_episode, ignore_index=True)
    per = per[["point", "stage", *[c for c in per.columns if c not in ("point", "stage")]]]
    per.to_csv(out / "episodes.csv", index=False, float_format="%.6g", lineterminator="\n")
    ident.to_csv(out / "identification.csv", index=False, float_format="%.4g", lineterminator="\n")
    prof.to_csv(out / "profile.csv", index=False, float_format="%.4g", lineterminator="\n")
    write_json(chosen, out / "chosen.json")
    write_json({"kind": "calibration", "method": "history matching", "points": args.points,
                "refine": args.refine, "replicates": args.replicates, "top": args.top, "final": args.final,
                "root_seed": args.seed, "cutoff": CUTOFF,
                "episodes": [str(e.path.relative_to(ROOT)) if e.path.is_absolute() else str(e.path)
                             for e in episodes],
                "space": [list(s) for s in SPACE], "wall_seconds": round(wall, 1), **provenance()},
               out / "manifest.json")
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(table.sort_values(["score", "point"])[["point", "stage", "score", "brier", "rps", "i_second",
                                                     "kept"]].head(10).to_string(index=False))
        print(final[["point", "of_point", "score", "brier", "rps"]].to_string(index=False))
        print(ident.to_string(index=False))
        print(prof.to_string(index=False))
    print(json.dumps(chosen, indent=2))
    print(f"{len(allpts)} points x {len(episodes)} episodes in {wall:.0f} s; {int(table['kept'].sum())} of "
          f"{len(table)} not ruled out -> {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
