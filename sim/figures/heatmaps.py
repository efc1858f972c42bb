"""Heatmaps: an outcome over two swept parameters, one cell per pair of values (binned if many)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.saving import STYLE, caption
from sim.figures.tables import outcome_test, records

__all__ = ["outcome_heatmap"]


def _levels(values: pd.Series, bins: int | None) -> tuple[pd.Series, list[Any], list[str]]:
    uniq = np.sort(values.dropna().unique())
    if bins is None or len(uniq) <= bins:
        labels = [f"{v:g}" if isinstance(v, float | int | np.floating | np.integer) else str(v) for v in uniq]
        return values, list(uniq), labels
    edges = np.linspace(float(uniq[0]), float(uniq[-1]), bins + 1)
    idx = np.clip(np.searchsorted(edges, values.to_numpy(dtype=float), side="right") - 1, 0, bins - 1)
    mids = [(edges[i] + edges[i + 1]) / 2 for i in range(bins)]
    return pd.Series(np.asarray(mids)[idx], index=values.index), mids, [f"{m:.3g}" for m in mids]


def outcome_heatmap(outcomes: pd.DataFrame, x: str, y: str, outcome: str, title: str, cap: str, *,
                    xlabel: str, ylabel: str, value_label: str, stat: str = "probability",
                    cmap: str = "magma_r", vmin: float | None = None, vmax: float | None = None,
                    bins: int | None = 10, annotate: bool = True) -> plt.Figure:
    """An outcome over two swept parameters: one cell per pair of values (binned if there are many).

    Args:
        outcomes: one row per run with the swept parameters as columns ``x`` and ``y``.
        outcome: a column, or a test such as ``max_escalation>=5``.
        stat: ``probability`` (share of runs where the outcome holds), ``mean`` or ``median``.
        bins: parameters with more distinct values than this (e.g. a Latin hypercube) are binned into
            this many equal-width bins.
    """
    if stat not in ("probability", "mean", "median"):
        raise ValueError(f"stat must be probability, mean or median, not {stat!r}")
    with plt.rc_context(STYLE):
        xs, xlev, xlab = _levels(outcomes[x], bins)
        ys, ylev, ylab = _levels(outcomes[y], bins)
        vals = outcome_test(outcomes, outcome).astype(float) if stat == "probability" else \
            outcomes[outcome].astype(float)
        df = pd.DataFrame({"x": xs, "y": ys, "v": vals})
        agg = df.groupby(["y", "x"])["v"].agg(["mean", "median", "count"])
        grid = np.full((len(ylev), len(xlev)), np.nan)
        count = np.zeros_like(grid)
        for row in records(agg.reset_index()):
            i, j = ylev.index(row["y"]), xlev.index(row["x"])
            grid[i, j] = row["median"] if stat == "median" else row["mean"]
            count[i, j] = row["count"]
        if stat == "probability":
            vmin = 0.0 if vmin is None else vmin
            vmax = 1.0 if vmax is None else vmax
        fig, ax = plt.subplots(figsize=(max(7.5, 2.2 + 0.7 * len(xlev) + 1.8), 2.6 + 0.45 * len(ylev)))
        cm = plt.get_cmap(cmap).with_extremes(bad="0.85")
        im = ax.imshow(np.ma.masked_invalid(grid), origin="lower", aspect="auto", cmap=cm, vmin=vmin,
                       vmax=vmax, interpolation="nearest")
        ax.set_xticks(range(len(xlev)), xlab, rotation=45 if len(xlev) > 8 else 0)
        ax.set_yticks(range(len(ylev)), ylab)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        fig.suptitle(title, fontsize=11)
        for sp in ax.spines.values():
            sp.set_visible(False)
        if annotate and grid.size <= 200:
            norm: Any = im.norm
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    if np.isfinite(grid[i, j]):
                        level = float(norm(grid[i, j]))
                        dark = level > 0.55 if "_r" in cmap else level < 0.45
                        txt = f"{grid[i, j]:.2f}" if stat == "probability" else f"{grid[i, j]:.3g}"
                        ax.text(j, i, txt, ha="center", va="center", fontsize=7,
                                color="white" if dark else "black")
        cb = fig.colorbar(im, ax=ax, fraction=0.05, pad=0.03)
        cb.set_label(value_label)
        n_cell = int(np.median(count[count > 0])) if (count > 0).any() else 0
        height = fig.get_size_inches()[1]
        width = fig.get_size_inches()[0]
        fig.subplots_adjust(bottom=(1.3 if len(xlev) > 8 else 1.1) / height, top=1 - 0.5 / height,
                            left=1.3 / width, right=1 - 0.9 / width)
        caption(fig, f"{cap}; {n_cell} runs per cell (median)")
    return fig

