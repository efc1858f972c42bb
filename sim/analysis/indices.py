"""Variance-based and screening indices of a ``sobol`` or ``morris`` sweep, with SALib.

* ``sobol`` designs: first-order and total Sobol' indices (S1, ST) with bootstrap confidence intervals
  (Saltelli 2002; Jansen 1999 estimators, as implemented by SALib).
* ``morris`` designs: elementary effects, mu* (mean absolute effect, with its confidence interval),
  mu and sigma (Morris 1991; Campolongo et al. 2007).

The response of each design point is its mean over the replicates (:func:`sim.analysis.common.point_means`);
an outcome that is undefined at some point, constant, or not numeric is skipped with a reason. The
analysis uses the unit-cube coordinates of the design, so indices refer to each parameter's declared range
and distribution.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis.common import numeric_outcomes, point_means, short_label
from sim.sweep.plan import UNIT_PREFIX, unit_problem

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.sweep.store import Results

__all__ = ["SensitivityResult", "analyze_sweep", "plot_indices"]

SOBOL_COLUMNS = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]


@dataclass
class SensitivityResult:
    """Indices per outcome and parameter (tidy), and the outcomes left out with the reason."""

    method: str
    table: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)


def analyze_sweep(res: Results, outcomes: list[str] | None = None, num_resamples: int = 1000,
                  conf_level: float = 0.95, seed: int | None = None) -> SensitivityResult:
    """Sobol' or Morris indices for every numeric outcome of a ``sobol`` or ``morris`` sweep.

    Args:
        res: the results (:func:`sim.load_results`).
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
    names, skipped = numeric_outcomes(res, outcomes)
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
        labels = [short_label(p) for p in t["parameter"]]
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
