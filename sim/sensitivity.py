"""Sensitivity analysis of a sweep's stored results with SALib.

* ``sobol`` designs: first-order and total Sobol' indices (S1, ST) with bootstrap confidence intervals
  (Saltelli 2002; Jansen 1999 estimators, as implemented by SALib).
* ``morris`` designs: elementary effects, mu* (mean absolute effect, with its confidence interval),
  mu and sigma (Morris 1991; Campolongo et al. 2007).

Each design point's response is the mean of the outcome over its replicates (booleans as 0/1, so the
response of ``intervention`` is a probability). Values that are undefined in a run (an
``intervention_week`` without intervention, an ``honour_rate`` with nothing owed) are left out of that
mean; an outcome that is undefined at some point, constant, or not numeric is skipped with a reason.
The analysis uses the unit-cube coordinates of the design, so indices refer to each parameter's declared
range and distribution. This module computes and draws; the ``analyze`` command writes the files.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.sweep.plan import UNIT_PREFIX, unit_problem

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.sweep.store import SweepResult

__all__ = ["SensitivityResult", "analyze_sweep", "plot_indices", "point_means"]

SOBOL_COLUMNS = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]


@dataclass
class SensitivityResult:
    """Indices per outcome and parameter (tidy), and the outcomes left out with the reason."""

    method: str
    table: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)


def _numeric_outcomes(res: SweepResult, outcomes: list[str] | None) -> tuple[list[str], dict[str, str]]:
    kept = outcomes or list(res.manifest.get("outcomes", []))
    out, skipped = [], {}
    for o in kept:
        if o not in res.outcomes.columns:
            skipped[o] = "not in the results"
            continue
        col = res.outcomes[o]
        if pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            out.append(o)
        else:
            skipped[o] = "not numeric"
    return out, skipped


def point_means(res: SweepResult, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Mean of each numeric outcome over the replicates of each design point, with the design values.

    Columns: ``point``, the varied paths, ``runs`` (finished runs at that point), then one column per
    outcome. Every planned point has a row, in design order (NaN where no run finished).
    """
    names, _ = _numeric_outcomes(res, outcomes)
    pts = res.points[[c for c in res.points.columns if not c.startswith(UNIT_PREFIX)]]
    if res.outcomes.empty:
        return pts.assign(runs=0)
    o = res.outcomes[["point", *names]].copy()
    for c in names:
        o[c] = o[c].astype("float64")
    g = o.groupby("point")
    means = g[names].mean()
    means.insert(0, "runs", g.size())
    out = pts.merge(means, left_on="point", right_index=True, how="left")
    out["runs"] = out["runs"].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def analyze_sweep(res: SweepResult, outcomes: list[str] | None = None, num_resamples: int = 1000,
                  conf_level: float = 0.95, seed: int | None = None) -> SensitivityResult:
    """Sobol' or Morris indices for every numeric outcome of a ``sobol`` or ``morris`` sweep.

    Args:
        res: the results (:func:`sim.sweep.load_sweep`).
        outcomes: outcomes to analyse (default: every numeric outcome kept by the sweep).
        num_resamples: bootstrap resamples for the confidence intervals.
        conf_level: confidence level of the intervals.
        seed: seed of the bootstrap (default: the sweep's root seed).

    Raises:
        ValueError: the sweep's design is not sobol or morris.
    """
    design = res.manifest.get("design", {})
    kind = design.get("kind")
    if kind not in ("sobol", "morris"):
        raise ValueError(f"indices need a sobol or morris design; this sweep's design is {kind!r}")
    paths: list[str] = list(res.manifest["parameters"])
    problem = unit_problem(paths)
    seed = int(res.manifest.get("root_seed", 0)) if seed is None else seed
    names, skipped = _numeric_outcomes(res, outcomes)
    means = point_means(res, names)
    rows: list[dict[str, Any]] = []
    for o in names:
        y = means[o].to_numpy(dtype=float)
        if np.isnan(y).any():
            missing = int(np.isnan(y).sum())
            skipped[o] = f"undefined at {missing} of {len(y)} design points (no finished run gives a value)"
            continue
        if np.ptp(y) == 0:
            skipped[o] = f"constant ({y[0]:g}) across the design"
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if kind == "sobol":
                from SALib.analyze import sobol

                si = sobol.analyze(problem, y, calc_second_order=bool(design.get("second_order")),
                                   num_resamples=num_resamples, conf_level=conf_level, seed=seed)
                for j, p in enumerate(paths):
                    rows.append({"outcome": o, "parameter": p, "S1": float(si["S1"][j]),
                                 "S1_conf": float(si["S1_conf"][j]), "ST": float(si["ST"][j]),
                                 "ST_conf": float(si["ST_conf"][j])})
            else:
                from SALib.analyze import morris

                x = res.points[[UNIT_PREFIX + p for p in paths]].to_numpy(dtype=float)
                si = morris.analyze(problem, x, y, num_resamples=num_resamples, conf_level=conf_level,
                                    num_levels=int(design.get("levels", 4)), seed=seed)
                for j, p in enumerate(paths):
                    rows.append({"outcome": o, "parameter": p, "mu": float(si["mu"][j]),
                                 "mu_star": float(si["mu_star"][j]),
                                 "mu_star_conf": float(si["mu_star_conf"][j]),
                                 "sigma": float(si["sigma"][j])})
    cols = SOBOL_COLUMNS if kind == "sobol" else MORRIS_COLUMNS
    return SensitivityResult(kind, pd.DataFrame(rows, columns=cols), skipped)


def _label(path: str) -> str:
    parts = path.split(".")
    return ".".join(parts[-2:]) if len(parts) > 1 else path


def plot_indices(result: SensitivityResult) -> Figure:
    """One panel per outcome: S1 and ST bars with intervals (Sobol'), or mu* against sigma (Morris)."""
    from matplotlib.figure import Figure

    table = result.table
    outcomes = list(dict.fromkeys(table["outcome"]))
    n = max(1, len(outcomes))
    ncols = min(3, n)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(4.6 * ncols, 3.4 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, o in enumerate(outcomes):
        ax = axes[k // ncols][k % ncols]
        t = table[table["outcome"] == o]
        labels = [_label(p) for p in t["parameter"]]
        if result.method == "sobol":
            yy = np.arange(len(t))
            ax.barh(yy - 0.2, t["S1"], height=0.4, xerr=t["S1_conf"], label="S1 (first order)",
                    color="#4c72b0", error_kw={"elinewidth": 0.8})
            ax.barh(yy + 0.2, t["ST"], height=0.4, xerr=t["ST_conf"], label="ST (total)", color="#dd8452",
                    error_kw={"elinewidth": 0.8})
            ax.set_yticks(yy, labels, fontsize=7)
            ax.invert_yaxis()
            ax.axvline(0, color="0.5", lw=0.6)
            ax.set_xlabel("Sobol' index")
        else:
            ax.errorbar(t["mu_star"], t["sigma"], xerr=t["mu_star_conf"], fmt="o", color="#4c72b0", ms=4,
                        elinewidth=0.8)
            for x, y, lab in zip(t["mu_star"], t["sigma"], labels, strict=True):
                ax.annotate(lab, (x, y), fontsize=6, xytext=(3, 3), textcoords="offset points")
            ax.margins(x=0.2, y=0.15)
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma")
        ax.set_title(o, fontsize=9)
    for k in range(len(outcomes), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if result.method == "sobol" and outcomes:
        axes[0][0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{'Sobol' if result.method == 'sobol' else 'Morris'} sensitivity indices", fontsize=10)
    return fig
