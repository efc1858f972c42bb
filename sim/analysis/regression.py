"""Sensitivity of a grid or LHS sweep: regression coefficients with bootstrap intervals, feature scores.

* Standardised regression coefficients (SRC): the linear regression of the standardised response on
  the standardised parameters; SRC² sums to about R² when the parameters are independent, so SRC is only
  a fair summary when R² is high (Saltelli et al. 2008, ch. 1.2.5).
* Partial rank correlation coefficients (PRCC): the correlation of the ranks of a parameter and of the
  response once the ranks of the other parameters are regressed out; fit for monotonic, non-linear
  responses (Marino et al. 2008).
* Intervals of both: percentile bootstrap over the design points (:func:`scipy.stats.bootstrap`).
* Feature scores: impurity-based importances of an extra-trees forest fitted to the design points
  (EMA Workbench's :func:`~ema_workbench.analysis.feature_scoring.get_ex_feature_scores`, built on
  scikit-learn; Jaxa-Rozen & Kwakkel 2018); they need no monotonicity and sum to one.

The response of each point is its mean over the replicates (:func:`sim.analysis.common.point_means`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.common import design_matrix, numeric_outcomes, point_means, short_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.sweep.store import Results

__all__ = ["REGRESSION_COLUMNS", "RegressionResult", "feature_scores", "plot_regression", "prcc",
           "regression_sensitivity", "src"]

REGRESSION_COLUMNS = ["outcome", "parameter", "SRC", "SRC_low", "SRC_high", "PRCC", "PRCC_low", "PRCC_high",
                      "feature_score", "R2"]


@dataclass
class RegressionResult:
    """SRC, PRCC (with intervals) and feature scores per outcome and parameter, and what was left out."""

    table: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    conf_level: float = 0.95


def _standardise(a: np.ndarray) -> np.ndarray:
    """Centre and scale along the points' axis (-2 for a design matrix ``(..., n, k)``)."""
    sd = a.std(axis=-2, keepdims=True)
    return (a - a.mean(axis=-2, keepdims=True)) / np.where(sd > 0, sd, 1.0)


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares coefficients (intercept first) of ``y (..., n)`` on ``x (..., n, k)``, batched."""
    xs = np.concatenate([np.ones((*x.shape[:-1], 1)), x], axis=-1)
    return np.asarray((np.linalg.pinv(xs) @ y[..., None])[..., 0])


def _residual(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xs = np.concatenate([np.ones((*x.shape[:-1], 1)), x], axis=-1)
    return np.asarray(y - (xs @ _fit(x, y)[..., None])[..., 0])


def src(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Standardised regression coefficients of ``y`` on the columns of ``x`` (least squares; batched over
    leading axes: ``x (..., n, k)``, ``y (..., n)``)."""
    return _fit(_standardise(x), _standardise(y[..., None])[..., 0])[..., 1:]


def _r2(x: np.ndarray, y: np.ndarray) -> float:
    resid = _residual(x, y)
    tot = float(((y - y.mean()) ** 2).sum())
    return 1.0 - float((resid**2).sum()) / tot if tot > 0 else float("nan")


def prcc(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Partial rank correlation of ``y`` with each column of ``x``, the other columns' ranks held out
    (batched like :func:`src`)."""
    from scipy.stats import rankdata

    rx = rankdata(x, axis=-2)
    ry = rankdata(y, axis=-1)
    k = x.shape[-1]
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(k):
            others = np.delete(rx, j, axis=-1)
            ex, ey = _residual(others, rx[..., j]), _residual(others, ry)
            den = np.sqrt((ex**2).sum(axis=-1) * (ey**2).sum(axis=-1))
            out.append(np.where(den > 1e-12, (ex * ey).sum(axis=-1) / np.where(den > 1e-12, den, 1.0), np.nan))
    return np.stack(out, axis=-1)


def _bootstrap(stat: Any, x: np.ndarray, y: np.ndarray, n_resamples: int, conf_level: float,
               seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval of ``stat`` over the design points (scipy.stats.bootstrap, vectorised:
    each batch of resampled indices becomes a stack of design matrices)."""
    from scipy.stats import bootstrap

    def on(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        i = np.asarray(idx, dtype=np.intp)
        return np.moveaxis(np.asarray(stat(x[i], y[i])), -1, 0)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ci = bootstrap((np.arange(len(y)),), on, vectorized=True, n_resamples=n_resamples, batch=100,
                       confidence_level=conf_level, method="percentile", rng=seed).confidence_interval
    return np.asarray(ci.low), np.asarray(ci.high)


def feature_scores(x: pd.DataFrame, y: np.ndarray, seed: int = 0, classify: bool = False) -> pd.Series:
    """Extra-trees feature scores of each column of ``x`` for ``y`` (EMA Workbench; they sum to one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis.feature_scoring import get_ex_feature_scores
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        mode = RuleInductionType.CLASSIFICATION if classify else RuleInductionType.REGRESSION
        scores, _ = get_ex_feature_scores(x.reset_index(drop=True), y, mode=mode, random_state=seed)
    return scores.iloc[:, 0].reindex(list(x.columns)).astype(float)


def regression_sensitivity(res: Results, outcomes: list[str] | None = None, num_resamples: int = 1000,
                           conf_level: float = 0.95, seed: int | None = None) -> RegressionResult:
    """SRC and PRCC with bootstrap intervals, and feature scores, of every numeric outcome of a sweep.

    Works for any design with at least three points and a numeric parameter that varies (it is meant for
    grid and LHS designs; Sobol' and Morris designs have their own indices).
    """
    seed = int(res.manifest.get("root_seed", 0)) if seed is None else seed
    names, skipped = numeric_outcomes(res, outcomes)
    x_df, dropped = design_matrix(res)
    for p, why in dropped.items():
        skipped[f"parameter {p}"] = why
    means = point_means(res, names).set_index("point").reindex(x_df.index)
    rows: list[dict[str, Any]] = []
    if x_df.shape[1] == 0:
        return RegressionResult(pd.DataFrame(columns=REGRESSION_COLUMNS), skipped, conf_level)
    for o in names:
        y_all = means[o].to_numpy(dtype=float)
        keep = ~np.isnan(y_all)
        x, y = x_df.to_numpy(dtype=float)[keep], y_all[keep]
        if len(y) < max(4, x.shape[1] + 2):
            skipped[o] = f"defined at {len(y)} design points only (too few for a regression)"
            continue
        if np.ptp(y) == 0:
            skipped[o] = f"constant ({y[0]:g}) across the design"
            continue
        s, pr = src(x, y), prcc(x, y)
        s_lo, s_hi = _bootstrap(src, x, y, num_resamples, conf_level, seed)
        p_lo, p_hi = _bootstrap(prcc, x, y, num_resamples, conf_level, seed)
        fs = feature_scores(x_df[keep], y, seed)
        r2 = _r2(x, y)
        for j, name in enumerate(x_df.columns):
            rows.append({"outcome": o, "parameter": name, "SRC": s[j], "SRC_low": s_lo[j], "SRC_high": s_hi[j],
                         "PRCC": pr[j], "PRCC_low": p_lo[j], "PRCC_high": p_hi[j],
                         "feature_score": float(fs[name]), "R2": r2})
    return RegressionResult(pd.DataFrame(rows, columns=REGRESSION_COLUMNS), skipped, conf_level)


def plot_regression(result: RegressionResult) -> Figure:
    """One panel per outcome: SRC and PRCC as bars with their bootstrap intervals, feature scores as dots."""
    from matplotlib.figure import Figure

    table = result.table
    outcomes = list(dict.fromkeys(table["outcome"]))
    n = max(1, len(outcomes))
    ncols = min(3, n)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(4.8 * ncols, 0.6 + 0.5 * max(3, table["parameter"].nunique()) * nrows + 0.8 * nrows),
                 layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, o in enumerate(outcomes):
        ax = axes[k // ncols][k % ncols]
        t = table[table["outcome"] == o]
        yy = np.arange(len(t))
        for off, key, colour in ((-0.2, "SRC", "#4c72b0"), (0.2, "PRCC", "#dd8452")):
            v = t[key].to_numpy(dtype=float)
            err = np.vstack([v - t[f"{key}_low"].to_numpy(dtype=float), t[f"{key}_high"].to_numpy(dtype=float) - v])
            ax.barh(yy + off, v, height=0.4, xerr=np.nan_to_num(np.abs(err)), color=colour, label=key,
                    error_kw={"elinewidth": 0.8})
        ax.scatter(t["feature_score"], yy, marker="D", s=16, color="0.15", zorder=4, label="feature score")
        ax.set_yticks(yy, [short_label(p) for p in t["parameter"]], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="0.5", lw=0.6)
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("coefficient (bars: 95% bootstrap interval)")
        ax.set_title(f"{o} (R² of the linear fit {t['R2'].iloc[0]:.2f})", fontsize=9)
    for k in range(len(outcomes), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if outcomes:
        fig.legend(*axes[0][0].get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=7)
    fig.suptitle("Regression-based sensitivity (SRC, PRCC) and extra-trees feature scores", fontsize=10)
    return fig
