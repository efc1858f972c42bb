"""Outcomes across runs: the share of runs with each yes/no outcome as bars with Wilson intervals, and
outcomes (or per-actor summaries) against one swept parameter as lines with 95% intervals."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.figures.saving import STYLE, caption
from sim.figures.tables import is_probability, outcome_test
from sim.palette import SERIES_COLORS
from sim.stats import Z95_FIGURES, mean_interval, percent, wilson_interval

__all__ = ["outcome_lines", "outcome_probabilities", "summary_lines"]


def outcome_probabilities(outcomes: pd.DataFrame, columns: dict[str, str], title: str, cap: str,
                          group: str | None = None, *, order: list[str] | None = None,
                          group_labels: dict[str, str] | None = None) -> plt.Figure:
    """Probability of each boolean outcome (e.g. intervention, war) with 95% Wilson intervals.

    Args:
        columns: outcome column -> label. A column may be boolean, or a test written as ``col>=k``.
        group: a column that splits the runs (e.g. ``scenario``); one bar per group and outcome, one
            colour per group, with a legend.
        order: the groups in the order to draw them (default: order of first appearance).
        group_labels: group value -> legend label.
    """
    with plt.rc_context(STYLE):
        if group is None:
            groups: list[Any] = [None]
        else:
            groups = list(order) if order is not None else list(dict.fromkeys(outcomes[group]))
        ng = len(groups)
        fig, ax = plt.subplots(figsize=(8, 1.2 + 0.32 * len(columns) * ng + 0.25 * len(columns)))
        ticks, tick_labels = [], []
        y = 0.0
        for ci, (col, label) in enumerate(columns.items()):
            ys = []
            for gi, g in enumerate(groups):
                df = outcomes if g is None else outcomes[outcomes[group] == g]
                hit = outcome_test(df, col)
                k, n = int(hit.sum()), len(hit)
                lo, hi = wilson_interval(k, n, Z95_FIGURES)
                p = k / n if n else math.nan
                color = SERIES_COLORS[(gi if group is not None else ci) % len(SERIES_COLORS)]
                glabel = None
                if group is not None and ci == 0:
                    glabel = (group_labels or {}).get(str(g), str(g))
                ax.barh(y, p, height=0.8, color=color, alpha=0.85, label=glabel,
                        xerr=[[max(0.0, p - lo)], [max(0.0, hi - p)]] if n else None, capsize=3,
                        ecolor="0.2")
                if n and hi > 0.88:  # no room on the right: write it inside the bar
                    ax.text(lo - 0.015, y, percent(p), va="center", ha="right", fontsize=8,
                            color="white" if lo - 0.1 < p else "black")
                elif n:
                    ax.text(hi + 0.015, y, percent(p), va="center", fontsize=8)
                ys.append(y)
                y += 1
            ticks.append(float(np.mean(ys)))
            tick_labels.append(label)
            y += 0.6
        ax.set_yticks(ticks, tick_labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("probability across runs (error bars: 95% Wilson interval)")
        fig.suptitle(title, fontsize=11)
        rows = 0
        if group is not None:  # above the bars, under the title: never over the data
            names = [str((group_labels or {}).get(str(g), str(g))) for g in groups]
            ncols = ng if sum(len(t) + 6 for t in names) <= 95 else 1
            rows = -(-ng // ncols)
            fig.set_size_inches(8, fig.get_size_inches()[1] + 0.2 * rows)
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=ncols, fontsize=8, frameon=False)
        height = fig.get_size_inches()[1]
        longest = max((len(t) for t in tick_labels), default=10)
        fig.subplots_adjust(left=min(0.5, (0.35 + 0.07 * longest) / 8), bottom=0.95 / height, right=0.95,
                            top=1 - (0.55 + 0.2 * rows) / height)
        caption(fig, cap)
    return fig


def _mean_ci(values: pd.Series, probability: bool) -> tuple[float, float, float, int]:
    """Mean (a share for yes/no values) with its 95% interval (Wilson, or normal) and the count."""
    v = values.dropna().astype(float)
    n = len(v)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    if probability:
        k = int(v.sum())
        lo, hi = wilson_interval(k, n, Z95_FIGURES)
        return k / n, lo, hi, n
    m, lo, hi = mean_interval(v.to_numpy(), Z95_FIGURES)
    return m, lo, hi, n


def outcome_lines(outcomes: pd.DataFrame, x: str, outcome: str, title: str, cap: str, *,
                  hue: str | None = None, xlabel: str, ylabel: str, hue_label: str = "") -> plt.Figure:
    """An outcome against one swept parameter: mean (or share of runs) with 95% intervals, one line per
    level of ``hue``. ``outcome`` may be a test such as ``max_escalation>=5`` (then it is a share)."""
    probability = is_probability(outcomes, outcome)
    vals = outcome_test(outcomes, outcome).astype(float) if probability else outcomes[outcome].astype(float)
    df = pd.DataFrame({"x": outcomes[x].astype(float), "h": outcomes[hue] if hue else "", "v": vals})
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 4.6))
        levels = sorted(df["h"].unique())
        for i, h in enumerate(levels):
            sub = df[df["h"] == h]
            xs, ms, los, his = [], [], [], []
            for xv, g in sub.groupby("x", sort=True):
                m, lo, hi, _ = _mean_ci(g["v"], probability)
                xs.append(float(xv))  # type: ignore[arg-type]
                ms.append(m)
                los.append(max(0.0, m - lo))
                his.append(max(0.0, hi - m))
            color = plt.get_cmap("viridis")(i / max(1, len(levels) - 1)) if hue else "C0"
            ax.errorbar(xs, ms, yerr=[los, his], marker="o", ms=4, capsize=2, lw=1.5, color=color,
                        label=f"{h:g}" if isinstance(h, float | int) and hue else (str(h) if hue else None))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel + (" (share of runs)" if probability and "share" not in ylabel else ""))
        if probability:
            ax.set_ylim(-0.02, 1.02)
        ax.set_title(title)
        ax.grid(color="0.92", lw=0.6)
        if hue:
            ax.legend(title=hue_label, fontsize=8, title_fontsize=8, frameon=True, framealpha=0.9)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.19, top=0.9)
        caption(fig, cap + ("; bars: 95% Wilson interval" if probability
                            else "; bars: 95% interval of the mean"))
    return fig


def summary_lines(summary: pd.DataFrame, runs: pd.DataFrame, x: str, panels: Sequence[Mapping[str, Any]],
                  title: str, cap: str, *, xlabel: str, names: Mapping[str, str] | None = None) -> plt.Figure:
    """Per-actor summaries of timeline variables against a swept parameter, one panel per variable.

    Args:
        summary: one row per run and series: run_id, variable, actor, target, final, mean, min, max.
        runs: run_id and the swept column ``x``.
        panels: each ``{variable, actors (default all), stat (final|mean|min|max, default mean), ylabel,
            title, scale}``. A panel whose variable is not in the table says so.
        names: readable names of the actors for the legends (the id when absent).

    Each panel's legend sits below it, clear of the data; long axis labels wrap to the panel's width.
    """
    import textwrap

    names = names or {}
    merged = summary.merge(runs, on="run_id", how="inner")
    with plt.rc_context(STYLE):
        n = max(1, len(panels))
        fig, axes = plt.subplots(1, n, figsize=(4.3 * n + 0.6, 5.2), squeeze=False)
        for ax, pn in zip(axes[0], panels, strict=False):
            var, stat = str(pn["variable"]), str(pn.get("stat", "mean"))
            scale = float(pn.get("scale", 1.0))
            sub = merged[merged["variable"] == var]
            actors = [str(a) for a in pn.get("actors", sorted(sub["actor"].unique()))]
            drawn = 0
            for i, a in enumerate(actors):
                s = sub[sub["actor"] == a]
                if s.empty:
                    continue
                xs, ms, los, his = [], [], [], []
                for xv, g in s.groupby(x, sort=True):
                    per_run = g.groupby("run_id")[stat].sum() * scale
                    m, lo, hi, _ = _mean_ci(per_run, False)
                    xs.append(float(xv))  # type: ignore[arg-type]
                    ms.append(m)
                    los.append(max(0.0, m - lo))
                    his.append(max(0.0, hi - m))
                ax.errorbar(xs, ms, yerr=[los, his], marker="o", ms=4, capsize=2, lw=1.5,
                            color=SERIES_COLORS[i % len(SERIES_COLORS)], label=names.get(a, a))
                drawn += 1
            ax.set_title(str(pn.get("title", var)), fontsize=10)
            ax.set_xlabel(textwrap.fill(xlabel, 44))
            ax.set_ylabel(textwrap.fill(str(pn.get("ylabel", f"{var} ({stat} over the run)")), 36))
            ax.grid(color="0.92", lw=0.6)
            if drawn:
                ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.3),
                          ncols=min(drawn, 3))
            else:
                ax.text(0.5, 0.5, f"no variable '{var}' in the stored timeline", transform=ax.transAxes,
                        ha="center", va="center", color="0.4", fontsize=8)
        fig.suptitle(title, fontsize=11)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.3, top=0.88, wspace=0.35)
        caption(fig, cap + "; bars: 95% interval of the mean over runs")
    return fig
