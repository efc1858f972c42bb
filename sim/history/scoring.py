"""Scores against baselines, in-sample and leave-one-out, with bootstrap intervals over episodes.

The rules are docs/history.md S1-S4, written before any scoring:

* the model's forecasts: in-sample, the history table of a run at the defaults; leave-one-out,
  :func:`leave_one_out` over a calibration's stored per-episode forecasts (every point, every episode:
  ``experiments/calibration/episodes.csv``), each episode forecast by the point that scores best on the
  others;
* the baselines (:func:`baseline_forecasts`): the base rate of force, the observed rung frequencies, and
  small L2-penalised logistic regressions on features known at the trigger
  (:data:`sim.history.running.FEATURES`), fitted on all episodes (in-sample) or without the one they
  forecast (leave-one-out);
* :func:`score_table`: the Brier score of P(force) and the mean RPS of the highest rung of every
  forecaster, with 95% bootstrap intervals over episodes of each score and of each model - baseline
  difference.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from sim.enums import Rung
from sim.history.running import FEATURES
from sim.stats import ranked_probability_score

__all__ = [
    "BOOTSTRAP",
    "BOOTSTRAP_SEED",
    "FORECAST_COLUMNS",
    "L2",
    "baseline_forecasts",
    "forecasts_of",
    "leave_one_out",
    "logistic_fit",
    "logistic_predict",
    "objective",
    "rung_frequencies",
    "score_table",
]

L2 = 1.0  # rule S3: the logistic regressions' penalty, fixed in advance (not tuned)
BOOTSTRAP = 2000  # rule S4
BOOTSTRAP_SEED = 20011221  # the 2001 Protocol's signature
N_RUNGS = len(Rung)
RUNG_COLUMNS = [f"p_rung_{k}" for k in range(N_RUNGS)]
FORECAST_COLUMNS = ["p_force", *RUNG_COLUMNS]  # what a calibration stores per point and episode


def logistic_fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Coefficients (intercept first) of a logistic regression with an L2 penalty on the slopes.

    Minimises -loglik + l2/2 * |slopes|^2 with SciPy (BFGS); with a penalty it is defined even when the
    classes are separated, as they are in a census with few uses of force.
    """
    xx = np.column_stack([np.ones(len(x)), np.asarray(x, dtype=float)])
    yy = np.asarray(y, dtype=float)

    def loss(b: np.ndarray) -> tuple[float, np.ndarray]:
        z = xx @ b
        nll = float(np.sum(np.logaddexp(0.0, z) - yy * z))
        pen = 0.5 * l2 * float(b[1:] @ b[1:])
        grad = xx.T @ (1.0 / (1.0 + np.exp(-z)) - yy)
        grad[1:] += l2 * b[1:]
        return nll + pen, grad

    return np.asarray(minimize(loss, np.zeros(xx.shape[1]), jac=True, method="BFGS").x)


def logistic_predict(coef: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(y = 1) of :func:`logistic_fit`'s coefficients at rows ``x``."""
    z = coef[0] + np.asarray(x, dtype=float) @ coef[1:]
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def _features(t: pd.DataFrame) -> np.ndarray:
    return t[list(FEATURES)].to_numpy(dtype=float)


def baseline_forecasts(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """Forecasts of the ``test`` rows by baselines fitted on the ``train`` rows of a history table.

    Returns ``{"force": {name: P(force) per test row}, "rung": {name: (rows, 7) rung probabilities}}``.
    Force baselines are fitted on ``train``'s force-sourced rows, rung baselines on its rung-sourced rows.
    The rung regression is cumulative: one logistic regression of ``rung >= k`` per k, made monotone.
    """
    tf, tr = train[train["force_sourced"]], train[train["rung_sourced"]]
    yf = tf["observed_force"].to_numpy(dtype=float)
    n = len(test)
    # With no training episode (leave-one-out over a single episode) a baseline has nothing to learn
    # from: its forecasts are NaN and its scores are reported as missing, not made up.
    force = {"base_rate": np.full(n, yf.mean() if len(yf) else math.nan),
             "logistic": logistic_predict(logistic_fit(_features(tf), yf), _features(test)) if len(yf)
             else np.full(n, math.nan)}
    rungs = tr["observed_rung"].to_numpy(dtype=int)
    if not len(rungs):
        missing = np.full((n, N_RUNGS), math.nan)
        return {"force": force, "rung": {"frequencies": missing, "logistic": missing.copy()}}
    freq = np.bincount(rungs, minlength=N_RUNGS)[:N_RUNGS] / max(len(rungs), 1)
    cum = np.ones((n, N_RUNGS))  # P(rung >= k), k = 0..6
    for k in range(1, N_RUNGS):
        y = (rungs >= k).astype(float)
        if y.min() == y.max():  # every training episode on one side: the frequency, 0 or 1
            cum[:, k] = y[0] if len(y) else 0.0
        else:
            cum[:, k] = logistic_predict(logistic_fit(_features(tr), y), _features(test))
        cum[:, k] = np.minimum(cum[:, k], cum[:, k - 1])
    probs = cum - np.column_stack([cum[:, 1:], np.zeros(n)])
    return {"force": force, "rung": {"frequencies": np.tile(freq, (n, 1)), "logistic": probs}}


def objective(fc: pd.DataFrame, obs: pd.DataFrame) -> float:
    """A calibration point's objective on some episodes: Brier(P(force)) + mean RPS (docs/calibration.md).

    ``fc``: that point's forecasts (``FORECAST_COLUMNS``) indexed by episode; ``obs``: the history table's
    rows of those episodes, indexed by episode.
    """
    f = obs[obs["force_sourced"]]
    r = obs[obs["rung_sourced"]]
    b = float(np.mean((fc.loc[f.index, "p_force"].to_numpy() - f["observed_force"].to_numpy(dtype=float)) ** 2)) \
        if len(f) else 0.0
    probs = fc.loc[r.index, RUNG_COLUMNS].to_numpy(dtype=float)
    rungs = r["observed_rung"].to_numpy(dtype=int)
    rp = float(np.mean([ranked_probability_score(probs[i], int(rungs[i])) for i in range(len(r))])) \
        if len(r) else 0.0
    return b + rp


def leave_one_out(per_episode: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Leave-one-out forecasts from a calibration's stored per-episode forecasts (rule S1).

    Args:
        per_episode: one row per (point, episode) with ``FORECAST_COLUMNS`` (``episodes.csv``).
        table: the history table (its ``episode`` and observation columns).

    Returns:
        One row per episode of ``table``: the point chosen without it (the best objective on the other
        episodes; ties to the lowest point) and that point's forecast of it.

    Raises:
        ValueError: an episode of ``table`` that the calibration did not run.
    """
    obs = table.set_index("episode")
    missing = sorted(set(obs.index) - set(per_episode["episode"]))
    if missing:
        raise ValueError(f"the calibration has no forecasts of {len(missing)} episode(s): {', '.join(missing)}")
    points = per_episode["point"].to_numpy(dtype=int)
    by_point = {int(p): per_episode[points == p].set_index("episode") for p in np.unique(points)}
    rows = []
    for e in obs.index:
        rest = obs.drop(index=e)
        scores = {p: objective(fc, rest) for p, fc in by_point.items() if set(obs.index) <= set(fc.index)}
        best = min(scores, key=lambda p: (scores[p], p))
        vals = by_point[best].loc[[e], FORECAST_COLUMNS].to_numpy(dtype=float)[0]
        rows.append({"episode": e, "point": best, "objective_without": scores[best],
                     **dict(zip(FORECAST_COLUMNS, map(float, vals), strict=True))})
    return pd.DataFrame(rows)


def forecasts_of(table: pd.DataFrame) -> pd.DataFrame:
    """The model's forecasts in a history table, as leave_one_out returns them (episode, forecasts)."""
    return table[["episode", *FORECAST_COLUMNS]].copy()


def _terms(model: pd.DataFrame, table: pd.DataFrame, loo: bool
           ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], pd.DataFrame, pd.DataFrame]:
    """Per-episode Brier terms (force-sourced episodes) and RPS terms (rung-sourced) of every forecaster."""
    t = table.reset_index(drop=True)
    m = model.set_index("episode").loc[t["episode"]].reset_index()
    if loo:
        parts = [baseline_forecasts(t.drop(index=i), t.iloc[[i]]) for i in range(len(t))]
        base = {kind: {name: np.concatenate([p[kind][name] for p in parts]) for name in parts[0][kind]}
                for kind in ("force", "rung")}
    else:
        base = baseline_forecasts(t, t)
    fmask = t["force_sourced"].to_numpy(dtype=bool)
    rmask = t["rung_sourced"].to_numpy(dtype=bool)
    y = t["observed_force"].to_numpy(dtype=float)
    obs_rung = t["observed_rung"].to_numpy(dtype=int)
    force = {"model": (m["p_force"].to_numpy(dtype=float) - y) ** 2}
    force |= {k: (v - y) ** 2 for k, v in base["force"].items()}
    rp = {"model": m[RUNG_COLUMNS].to_numpy(dtype=float), **base["rung"]}
    rung = {k: np.array([ranked_probability_score(v[i], int(obs_rung[i])) for i in range(len(t))])
            for k, v in rp.items()}
    return ({k: v[fmask] for k, v in force.items()}, {k: v[rmask] for k, v in rung.items()},
            t[fmask], t[rmask])


def _interval(samples: np.ndarray) -> tuple[float, float]:
    lo, hi = np.percentile(samples, [2.5, 97.5])
    return float(lo), float(hi)


def score_table(table: pd.DataFrame, model_in: pd.DataFrame, model_loo: pd.DataFrame | None = None,
                bootstrap: int = BOOTSTRAP, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Every forecaster's Brier score of P(force) and mean RPS of the highest rung, with intervals.

    Args:
        table: the history table (observations, features, sourced flags).
        model_in: the model's in-sample forecasts (:func:`forecasts_of` the table).
        model_loo: the model's leave-one-out forecasts (:func:`leave_one_out`), or None.
        bootstrap: resamples of the episodes; the same resamples serve every forecaster.

    Returns:
        One row per (sample, score, forecaster): ``value``, its 95% bootstrap interval ``low``/``high``,
        the episodes scored ``n``, and for a baseline ``model_minus`` (the model's score minus the
        baseline's; negative means the model is better) with its interval.
    """
    rng = np.random.default_rng(seed)
    rows = []
    samples: list[tuple[str, pd.DataFrame]] = [("in_sample", model_in)]
    if model_loo is not None:
        samples.append(("leave_one_out", model_loo))
    for sample, model in samples:
        force, rung, _, _ = _terms(model, table, loo=sample == "leave_one_out")
        for score, terms in (("brier", force), ("rps", rung)):
            n = len(terms["model"])
            idx = rng.integers(0, n, size=(bootstrap, n)) if n else np.zeros((0, 0), dtype=int)
            boot = {k: v[idx].mean(axis=1) for k, v in terms.items()} if n else {}
            for name, v in terms.items():
                row: dict[str, object] = {"sample": sample, "score": score, "forecaster": name, "n": n,
                                          "value": float(v.mean()) if n else math.nan}
                row["low"], row["high"] = _interval(boot[name]) if n else (math.nan, math.nan)
                if name != "model" and n:
                    row["model_minus"] = float(terms["model"].mean() - v.mean())
                    row["model_minus_low"], row["model_minus_high"] = _interval(boot["model"] - boot[name])
                rows.append(row)
    return pd.DataFrame(rows)


def rung_frequencies(table: pd.DataFrame) -> list[float]:
    """The observed rung frequencies over the rung-sourced episodes (the frequency forecast)."""
    r = table[table["rung_sourced"]]["observed_rung"].to_numpy(dtype=int)
    return list(np.bincount(r, minlength=N_RUNGS)[:N_RUNGS] / max(len(r), 1))

