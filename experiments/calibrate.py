"""Calibration of the rule parameters that no source pins down, against the historical episodes.

One global procedure (docs/calibration.md), never a per-episode adjustment:

1. Stage 1: a Latin hypercube of POINTS points (scipy.stats.qmc, seeded) over the unpinned parameters in
   ``SPACE`` below, rounded to two decimals; point 0 is the previous defaults, for comparison.
2. Run every episode of ``scenarios/history`` with REPLICATES runs at each point (common random numbers:
   the same seeds at every point) and score the point by Brier(P(force)) + mean RPS(highest rung): the
   Brier score of the chance of force plus the ranked probability score of the ladder rung reached.
3. Check the TOP best-scoring points against the core issue's acceptance constraints on the full
   scenarios (CHECK_REPLICATES runs each, common seeds): niger_2023 reaches the standby force (rung 5) in
   most runs and uses force in at most 30%; no_charter intervenes more often than niger_2023 (by two
   standard errors); gambia_2017 uses force in at least 70%; P(intervention) never rises with Art. 6
   bindingness (0, 0.5, 1) and is lower at 1 than at 0 (the charter deters); in no_charter, Nigeria's
   post-Senate domestic constraint at 1 gives a lower P(intervention) than at 0. These are the patterns
   the core issue asks of the defaults (tests/test_behaviour.py).
4. Stage 2: a second seeded Latin hypercube of REFINE points in a box around the stage-1 point that
   passes the most checks (ties: the better score), REFINE_WIDTH of each range wide; scored and its TOP
   best checked as in 2-3.
5. The chosen point is the best-scoring one of both stages that passes every check (or, if none does,
   the one passing the most, reported as such). Its values become the defaults in sim/scenario/parameters.py.

Usage::

    .venv/bin/python experiments/calibrate.py                # the recorded run (a few minutes on 2 cores)
    .venv/bin/python experiments/calibrate.py --points 16 --replicates 10 --top 2   # a quick look

Writes OUT/points.csv (every point, its parameters and scores), OUT/episodes.csv (every point's forecast
of every episode: p_force, p_rung_0..6, the Brier and RPS terms; the leave-one-out scores of
``run.py history --calibration OUT`` are recomputed from it), OUT/checks.csv (the constraint checks),
OUT/chosen.json (the chosen values) and OUT/manifest.json (seed, versions, commit).
"""

from __future__ import annotations

import argparse
import json
import math
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

from sim.ensemble import run_ensemble  # noqa: E402
from sim.history import Episode, load_episodes, run_history, with_parameters  # noqa: E402
from sim.history.scoring import FORECAST_COLUMNS  # noqa: E402
from sim.scenario import ModelParams, Scenario, load_scenario  # noqa: E402

# (name, lower, upper): the unpinned parameters and the box searched. "rung_level" and "rung_step"
# generate parameters.support.rung_cost = [a - 2b, a - b, a, a + b, a + 2b, a + 3b] (condemn ...
# intervention): one level (the reluctance to impose sanctions) and one step per rung.
SPACE: list[tuple[str, float, float]] = [
    ("rung_level", -3.0, 1.0),
    ("rung_step", 0.0, 1.5),
    ("support.w_norm", 0.0, 4.0),
    ("support.w_contagion", 0.0, 4.0),
    ("support.w_cost", 0.0, 8.0),
    ("support.w_leadership", 0.0, 3.0),
    ("support.w_domestic", 0.0, 4.0),
    ("support.abstain_band", 0.0, 0.2),
    ("council.launch_p_win", 0.3, 0.9),
    ("council.perception_noise", 0.0, 0.8),
    ("combat.defence_mobilisation", 0.2, 0.8),
]

CHECK_SCENARIOS = {"niger_2023": "scenarios/niger_2023.yaml", "no_charter": "scenarios/no_charter.yaml",
                   "gambia_2017": "scenarios/gambia_2017.yaml"}
ART6 = "treaties.liptako_gourma.clauses.art6.bindingness"
SENATE = "events.nigeria_senate.value"


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


def design(points: int, seed: int, centre: dict[str, float] | None = None, width: float = 1.0
           ) -> list[dict[str, float]]:
    """A seeded Latin hypercube of ``points`` points over ``SPACE``, rounded to two decimals.

    With ``centre``, the box is ``width`` times each range, centred there and clipped to ``SPACE``.
    """
    from scipy.stats import qmc

    lo = np.array([s[1] for s in SPACE])
    hi = np.array([s[2] for s in SPACE])
    if centre is not None:
        c = np.array([centre[s[0]] for s in SPACE])
        half = (hi - lo) * width / 2
        lo, hi = np.maximum(lo, c - half), np.minimum(hi, c + half)
    sample = qmc.LatinHypercube(d=len(SPACE), seed=np.random.default_rng(seed)).random(points)
    pts = np.round(qmc.scale(sample, lo, hi), 2)  # two decimals: the values that become defaults
    return [dict(zip([s[0] for s in SPACE], map(float, row), strict=True)) for row in pts]


def evaluate(episodes: Sequence[Episode], params: dict[str, Any], replicates: int, seed: int
             ) -> tuple[dict[str, Any], pd.DataFrame]:
    """Score one point on all episodes (run in a worker process, serially).

    Returns the point's row of points.csv and its per-episode forecasts (the rows of episodes.csv:
    episode, replicates, p_force, p_rung_0..6, brier_term, rps), from which anyone can recompute the
    leave-one-out scores (sim.history.scoring.leave_one_out).
    """
    eps = [Episode(e.path, with_parameters(e.scenario, params, where="calibration")) for e in episodes]
    res = run_history(eps, replicates=replicates, seed=seed, jobs=1)
    row: dict[str, Any] = {"brier": res.brier, "rps": res.rps, "score": res.brier + res.rps}
    for r in res.table.itertuples(index=False):
        row[f"p_force:{r.episode}"] = r.p_force
        row[f"modal:{r.episode}"] = r.modal_rung
    per = res.table[["episode", "replicates", *FORECAST_COLUMNS, "brier_term", "rps"]].copy()
    return row, per


def _p(s: Scenario, replicates: int, seed: int) -> pd.DataFrame:
    return run_ensemble(s, replicates, seed=seed, jobs=1, timeline=False, events=False).outcomes


def check(params: dict[str, Any], replicates: int, seed: int) -> dict[str, Any]:
    """The core issue's acceptance constraints at one point (run in a worker process)."""
    sc = {k: with_parameters(load_scenario(ROOT / f), params, where="calibration")
          for k, f in CHECK_SCENARIOS.items()}
    out: dict[str, Any] = {}
    o = {k: _p(s, replicates, seed) for k, s in sc.items()}
    out["niger_p_standby"] = float((o["niger_2023"]["max_escalation"] >= 5).mean())
    out["niger_p_force"] = float(o["niger_2023"]["intervention"].mean())
    out["no_charter_p_force"] = float(o["no_charter"]["intervention"].mean())
    out["gambia_p_force"] = float(o["gambia_2017"]["intervention"].mean())
    art6 = []
    for b in (0.0, 0.5):
        s = with_parameters(load_scenario(ROOT / CHECK_SCENARIOS["niger_2023"], [f"{ART6}={b}"]), params,
                            where="calibration")
        art6.append(float(_p(s, replicates, seed)["intervention"].mean()))
    art6.append(out["niger_p_force"])  # niger_2023 itself has bindingness 1.0
    out["art6_p_force_0_05_1"] = art6
    senate = []
    for v in (0.0, 1.0):
        s = with_parameters(load_scenario(ROOT / CHECK_SCENARIOS["no_charter"], [f"{SENATE}={v}"]), params,
                            where="calibration")
        senate.append(float(_p(s, replicates, seed)["intervention"].mean()))
    out["no_charter_p_force_senate_0_1"] = senate
    tol = 1.0 / replicates  # one run of slack between nested runs with common seeds
    se0 = math.sqrt(max(out["niger_p_force"] * (1 - out["niger_p_force"]), 0.25 / replicates) / replicates)
    out["ok_niger_standby"] = out["niger_p_standby"] > 0.5
    out["ok_niger_force"] = out["niger_p_force"] <= 0.30
    out["ok_no_charter"] = out["no_charter_p_force"] > out["niger_p_force"] + 2 * se0
    out["ok_gambia"] = out["gambia_p_force"] >= 0.70
    out["ok_art6_monotone"] = bool(art6[1] <= art6[0] + tol and art6[2] <= art6[1] + tol)
    out["ok_art6_deters"] = art6[2] < art6[0]
    out["ok_senate_deters"] = senate[1] < senate[0]
    out["n_ok"] = sum(1 for k, v in out.items() if k.startswith("ok_") and v)
    out["ok_all"] = out["n_ok"] == 7
    return out


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
            _, e = f.result()
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


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=96, help="stage-1 Latin hypercube points (default 96)")
    ap.add_argument("--replicates", type=int, default=25, help="runs per episode and point (default 25)")
    ap.add_argument("--check-replicates", type=int, default=120, help="runs per constraint check (120)")
    ap.add_argument("--top", type=int, default=8, help="best points of each stage checked (default 8)")
    ap.add_argument("--refine", type=int, default=48, help="stage-2 Latin hypercube points (default 48)")
    ap.add_argument("--refine-width", type=float, default=0.3,
                    help="stage-2 box width as a share of each range (default 0.3)")
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

    def score(pts: list[dict[str, float]], first: int, stage: int) -> pd.DataFrame:
        futs = [ex.submit(evaluate, episodes, to_parameters(p), args.replicates, args.seed) for p in pts]
        rows = []
        for i, (p, f) in enumerate(zip(pts, futs, strict=True)):
            row, per = f.result()
            rows.append({"point": first + i, "stage": stage, **p, **row})
            per_episode.append(per.assign(point=first + i, stage=stage))
            if (i + 1) % 8 == 0 or i + 1 == len(pts):
                print(f"  stage {stage}: {i + 1}/{len(pts)} points scored ({time.perf_counter() - t0:.0f} s)",
                      file=sys.stderr)
        return pd.DataFrame(rows)

    def run_checks(table: pd.DataFrame, pts: list[dict[str, float]], extra: Sequence[int] = ()
                   ) -> pd.DataFrame:
        pool = table[~table["point"].isin(extra)].sort_values(["score", "point"])
        cands = [int(i) for i in pool["point"].head(args.top)] + list(extra)
        scores = dict(zip(table["point"], table["score"], strict=True))
        futs = {i: ex.submit(check, to_parameters(pts[i]), args.check_replicates, args.seed) for i in cands}
        return pd.DataFrame([{"point": i, "score": float(scores[i]), **futs[i].result()} for i in cands])

    try:
        pts = [defaults_point(), *design(args.points, args.seed)]
        table = score(pts, 0, 1)
        checks = run_checks(table, pts, extra=[0])  # the previous defaults are checked for the record
        best1 = checks[checks["point"] != 0].sort_values(["n_ok", "score", "point"],
                                                         ascending=[False, True, True]).iloc[0]
        centre = pts[int(best1["point"])]
        pts2 = design(args.refine, args.seed + 1, centre=centre, width=args.refine_width)
        table2 = score(pts2, len(pts), 2)
        pts = pts + pts2
        checks = pd.concat([checks, run_checks(table2, pts)], ignore_index=True)
        table = pd.concat([table, table2], ignore_index=True)
    finally:
        ex.shutdown(cancel_futures=True)
    wall = time.perf_counter() - t0
    ranked = table.sort_values(["score", "point"]).reset_index(drop=True)
    cand = checks[checks["point"] != 0].sort_values(["n_ok", "score", "point"], ascending=[False, True, True])
    chosen_i = int(cand["point"].iloc[0])
    by = table.set_index("point")
    chosen = {"point": chosen_i, "passes_all_checks": bool(cand["ok_all"].iloc[0]),
              "checks": {k: v for k, v in cand.iloc[0].to_dict().items() if k not in ("point", "score")},
              "design_point": pts[chosen_i], "parameters": to_parameters(pts[chosen_i]),
              "score": float(by.loc[chosen_i, "score"]), "brier": float(by.loc[chosen_i, "brier"]),
              "rps": float(by.loc[chosen_i, "rps"]),
              "previous_defaults_score": float(by.loc[0, "score"]),
              "previous_defaults_brier": float(by.loc[0, "brier"])}

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "points.csv", index=False, float_format="%.6g", lineterminator="\n")
    per = pd.concat(per_episode, ignore_index=True)
    per = per[["point", "stage", *[c for c in per.columns if c not in ("point", "stage")]]]
    per.to_csv(out / "episodes.csv", index=False, float_format="%.6g", lineterminator="\n")
    checks.to_csv(out / "checks.csv", index=False, float_format="%.6g", lineterminator="\n")
    write_json(chosen, out / "chosen.json")
    write_json({"kind": "calibration", "points": args.points, "refine": args.refine,
                "refine_width": args.refine_width, "replicates": args.replicates,
                "check_replicates": args.check_replicates, "top": args.top, "root_seed": args.seed,
                "episodes": [str(e.path.relative_to(ROOT)) if e.path.is_absolute() else str(e.path)
                             for e in episodes],
                "space": [list(s) for s in SPACE], "wall_seconds": round(wall, 1), **provenance()},
               out / "manifest.json")
    print(ranked[["point", "score", "brier", "rps"]].head(10).to_string(index=False))
    print(checks.to_string(index=False))
    print(json.dumps(chosen, indent=2))
    print(f"{len(pts)} points x {len(episodes)} episodes x {args.replicates} runs and {len(checks)} checks "
          f"in {wall:.0f} s -> {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
