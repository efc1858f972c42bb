"""Figures drawn from stored result tables only (never from a live model).

Every figure is deterministic: the same tables give byte-identical PNG and SVG files (no timestamps,
a fixed SVG hash salt, the Agg backend).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.enums import Rung  # noqa: E402

__all__ = ["caption", "ladder_timeline", "outcome_probabilities", "save", "wilson_interval"]

STYLE: dict[str, Any] = {
    "svg.hashsalt": "liptako",
    "svg.fonttype": "path",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval for a binomial proportion (NaN, NaN when n = 0)."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def caption(fig: plt.Figure, text: str) -> None:
    """A caption line at the foot of the figure (scenario, replicates, seed)."""
    fig.text(0.01, 0.01, text, fontsize=7.5, color="0.35", ha="left", va="bottom")


def save(fig: plt.Figure, path: Path, formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Save ``fig`` deterministically in each format; returns the files written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        p = path.with_suffix(f".{fmt}")
        meta: dict[str, Any] = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        with plt.rc_context(STYLE):
            fig.savefig(p, format=fmt, metadata=meta, dpi=150 if fmt == "png" else None)
        out.append(p)
    plt.close(fig)
    return out


def _bands(pivot: pd.DataFrame) -> dict[str, np.ndarray]:
    q = pivot.quantile([0.05, 0.25, 0.5, 0.75, 0.95], axis=1)
    return {"q05": q.loc[0.05].to_numpy(), "q25": q.loc[0.25].to_numpy(), "q50": q.loc[0.5].to_numpy(),
            "q75": q.loc[0.75].to_numpy(), "q95": q.loc[0.95].to_numpy()}


def ladder_timeline(timeline: pd.DataFrame, bloc: str, target: str, title: str, cap: str) -> plt.Figure:
    """The bloc's rung against the target over time: median with 50% and 90% bands across runs."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 4.2))
        sel = timeline[(timeline["variable"] == "rung") & (timeline["actor"] == bloc)
                       & (timeline["target"] == target)]
        weeks = np.sort(timeline["week"].unique())
        runs = np.sort(timeline["run_id"].unique())
        pivot = sel.pivot_table(index="week", columns="run_id", values="value", aggfunc="first")
        pivot = pivot.reindex(index=weeks, columns=runs).fillna(0.0)
        b = _bands(pivot)
        ax.fill_between(weeks, b["q05"], b["q95"], step="post", alpha=0.18, color="C3", label="90% of runs")
        ax.fill_between(weeks, b["q25"], b["q75"], step="post", alpha=0.35, color="C3", label="50% of runs")
        ax.step(weeks, b["q50"], where="post", color="C3", lw=2, label="median")
        ax.step(weeks, pivot.mean(axis=1).to_numpy(), where="post", color="0.2", lw=1, ls="--", label="mean")
        ax.set_yticks([int(r) for r in Rung], [r.label for r in Rung])
        ax.set_ylim(-0.3, len(Rung) - 0.7)
        ax.set_xlabel("weeks since the start of the scenario")
        ax.set_ylabel("escalation rung")
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        fig.subplots_adjust(left=0.25, bottom=0.2, right=0.97)
        caption(fig, cap)
    return fig


def outcome_probabilities(outcomes: pd.DataFrame, columns: dict[str, str], title: str, cap: str,
                          group: str | None = None) -> plt.Figure:
    """Probability of each boolean outcome (e.g. intervention, war) with 95% Wilson intervals.

    Args:
        columns: outcome column -> label. A column may be boolean, or a test written as ``col>=k``.
        group: a column that splits the runs (e.g. ``scenario``); one bar per group and outcome.
    """
    with plt.rc_context(STYLE):
        groups = [None] if group is None else list(dict.fromkeys(outcomes[group]))
        fig, ax = plt.subplots(figsize=(8, 0.6 + 0.55 * len(columns) * len(groups)))
        labels, ys, ps, los, his, colors = [], [], [], [], [], []
        y = 0.0
        for ci, (col, label) in enumerate(columns.items()):
            for gi, g in enumerate(groups):
                df = outcomes if g is None else outcomes[outcomes[group] == g]
                hit = _test(df, col)
                k, n = int(hit.sum()), int(len(hit))
                lo, hi = wilson_interval(k, n)
                p = k / n if n else math.nan
                labels.append(label if g is None else f"{label} — {g}")
                ys.append(y)
                ps.append(p)
                los.append(p - lo)
                his.append(hi - p)
                colors.append(f"C{gi if group else ci}")
                y += 1
            y += 0.4
        ax.barh(ys, ps, color=colors, alpha=0.8, xerr=[los, his], capsize=3)
        for yy, p in zip(ys, ps, strict=True):
            ax.text(min(p + 0.02, 0.9), yy, f"{p:.0%}", va="center", fontsize=8)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("probability across runs (bars: 95% Wilson interval)")
        ax.set_title(title)
        fig.subplots_adjust(left=0.38, bottom=max(0.12, 0.5 / (1 + len(ys))), right=0.97)
        caption(fig, cap)
    return fig


def _test(df: pd.DataFrame, spec: str) -> pd.Series:
    for op in (">=", "<=", ">", "<", "=="):
        if op in spec:
            col, val = spec.split(op)
            s = df[col].astype(float)
            v = float(val)
            return {">=": s >= v, "<=": s <= v, ">": s > v, "<": s < v, "==": s == v}[op]
    return df[spec].astype(bool)
