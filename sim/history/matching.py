"""History matching of a calibration's design points against the episodes (docs/calibration.md).

A point is *implausible* when its forecast of some episode is too far from what happened, measured in
standard deviations of everything that could make them differ (Vernon, Goldstein & Bower 2010; Andrianakis
et al. 2015 for stochastic simulators):

    I(point, episode) = |E[model] - observed| / sqrt(Var[model] + V_discrepancy)

for the highest rung (E and Var from the point's forecast distribution of the rung: one history is one draw
of the process, so the ensemble variance enters whole) and for force (p and p(1 - p)). A point is kept when
the second largest of its implausibilities over all episodes is below ``CUTOFF`` (the three-sigma rule,
Pukelsheim 1994, allowing one episode the model misses, as history-matching practice does). A weight is
*identified* when the kept points span a markedly smaller part of its searched range than the design did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.history.scoring import RUNG_COLUMNS

__all__ = ["CUTOFF", "IDENTIFIED_SHARE", "V_FORCE", "V_RUNG", "identification", "implausibility", "kept"]

CUTOFF = 3.0  # Pukelsheim's three-sigma rule for unimodal distributions
V_RUNG = 0.75 ** 2  # assumption: the model's structural error on the highest rung, sd 0.75 rung
V_FORCE = 0.05  # assumption: the structural error on P(force), sd about 0.22
IDENTIFIED_SHARE = 0.5  # a weight is identified when the kept points' 5-95% span is under half the design's


def implausibility(per_episode: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """One row per point: the largest and second largest implausibility over the sourced observations.

    Args:
        per_episode: ``episodes.csv`` rows (point, episode, p_force, p_rung_0..6).
        table: the history table (episode, observed_rung, observed_force, rung_sourced, force_sourced).
    """
    obs = table.set_index("episode")
    rungs = np.arange(len(RUNG_COLUMNS), dtype=float)
    rows = []
    for point, fc in per_episode.groupby("point", sort=True):
        fc = fc.set_index("episode")
        terms: list[float] = []
        for e, o in obs.iterrows():
            if e not in fc.index:
                continue
            row = fc.loc[str(e)]
            if bool(o["rung_sourced"]):
                p = row[RUNG_COLUMNS].to_numpy(dtype=float)
                mean = float(p @ rungs)
                var = float(p @ rungs**2) - mean**2
                terms.append(abs(mean - float(o["observed_rung"])) / np.sqrt(max(var, 0.0) + V_RUNG))
            if bool(o["force_sourced"]):
                pf = float(row[["p_force"]].to_numpy(dtype=float)[0])
                y = 1.0 if bool(o["observed_force"]) else 0.0
                terms.append(abs(pf - y) / np.sqrt(pf * (1 - pf) + V_FORCE))
        srt = [*sorted(terms, reverse=True), 0.0, 0.0]
        rows.append({"point": int(str(point)), "i_max": srt[0], "i_second": srt[1], "terms": len(terms)})
    return pd.DataFrame(rows)


def kept(imp: pd.DataFrame, cutoff: float = CUTOFF) -> list[int]:
    """The points not ruled out: second largest implausibility below ``cutoff``."""
    return [int(p) for p in imp.loc[imp["i_second"] < cutoff, "point"]]


def identification(points: pd.DataFrame, keep: list[int], space: list[tuple[str, float, float]]
                   ) -> pd.DataFrame:
    """Per weight: the design's and the kept points' 5-95% spans, their ratio and the verdict.

    ``points``: one row per point with a column per weight of ``space`` (name, lower, upper).
    """
    k = points[points["point"].isin(keep)]
    out = []
    for name, lo, hi in space:
        d = points[name].to_numpy(dtype=float)
        q = np.quantile(d, [0.05, 0.95])
        if len(k) >= 2:
            kq = np.quantile(k[name].to_numpy(dtype=float), [0.05, 0.95])
        else:
            kq = np.array([np.nan, np.nan])
        share = float((kq[1] - kq[0]) / (q[1] - q[0])) if q[1] > q[0] else float("nan")
        out.append({"weight": name, "lower": lo, "upper": hi, "design_5": q[0], "design_95": q[1],
                    "kept_5": kq[0], "kept_95": kq[1], "span_share": share,
                    "identified": bool(share < IDENTIFIED_SHARE) if np.isfinite(share) else False})
    return pd.DataFrame(out)
