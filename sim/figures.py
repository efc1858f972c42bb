"""Figures drawn from stored result tables only (never from a live model).

Every figure is deterministic: the same tables give byte-identical PNG and SVG files (no timestamps,
a fixed SVG hash salt, the Agg backend).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.enums import Rung

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = [
    "Panel",
    "Series",
    "alliance_network",
    "caption",
    "draw_network",
    "draw_timeline_bands",
    "ladder_timeline",
    "links_at",
    "map_network_panels",
    "membership_at",
    "outcome_heatmap",
    "outcome_lines",
    "outcome_probabilities",
    "regime_map",
    "regimes_at",
    "rung_map",
    "save",
    "sensitivity_bars",
    "summary_lines",
    "timeline_panels",
    "wilson_interval",
]

STYLE: dict[Any, Any] = {
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
    """A caption at the foot of the figure (scenario, replicates, seed), wrapped to the figure's width."""
    import textwrap

    width = max(40, int(fig.get_size_inches()[0] * 17))
    fig.text(0.01, 0.01, "\n".join(textwrap.wrap(text, width)), fontsize=7.5, color="0.35", ha="left",
             va="bottom")


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
                hit = _test(df, col)
                k, n = int(hit.sum()), len(hit)
                lo, hi = wilson_interval(k, n)
                p = k / n if n else math.nan
                color = f"C{gi}" if group is not None else f"C{ci}"
                glabel = None
                if group is not None and ci == 0:
                    glabel = (group_labels or {}).get(str(g), str(g))
                ax.barh(y, p, height=0.8, color=color, alpha=0.85, label=glabel,
                        xerr=[[max(0.0, p - lo)], [max(0.0, hi - p)]] if n else None, capsize=3,
                        ecolor="0.2")
                if n and hi > 0.88:  # no room on the right: write it inside the bar
                    ax.text(lo - 0.015, y, f"{p:.0%}", va="center", ha="right", fontsize=8,
                            color="white" if lo - 0.1 < p else "black")
                elif n:
                    ax.text(hi + 0.015, y, f"{p:.0%}", va="center", fontsize=8)
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
        if group is not None:
            ax.legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
        height = fig.get_size_inches()[1]
        longest = max((len(t) for t in tick_labels), default=10)
        fig.subplots_adjust(left=min(0.5, (0.35 + 0.07 * longest) / 8), bottom=0.95 / height, right=0.97,
                            top=1 - 0.5 / height)
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


def _fill_nan(df: pd.DataFrame, value: float | None) -> pd.DataFrame:
    return df if value is None else df.fillna(value)


# --- timelines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line of a timeline panel: a variable of the tidy timeline for an actor (and target).

    Attributes:
        variable: the timeline's ``variable`` (``rung``, ``personnel``, ``deployed``, ``strength`` ...).
        actor: one actor id, several whose values are summed per run and week, or ``"*"``: one
            series per actor that has the variable.
        target: the relation's target ("" for variables of one entity; ``"*"`` sums over targets).
        label: legend label (default ``variable actor -> target``).
        scale: multiply values by this (e.g. 0.001 for thousands).
        fill: value for weeks in which a run has no row (0 for a rung before its crisis opens); ``None``
            leaves them out of the quantiles.
    """

    variable: str
    actor: str | tuple[str, ...] = ""
    target: str = ""
    label: str | None = None
    scale: float = 1.0
    fill: float | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Series:
        """From a plain mapping (experiment files); a list of actors becomes a tuple."""
        d = dict(d)
        if isinstance(d.get("actor"), list):
            d["actor"] = tuple(d["actor"])
        return cls(**d)

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        actor = "+".join(self.actor) if isinstance(self.actor, tuple) else self.actor
        return f"{self.variable} {actor}" + (f" → {self.target}" if self.target else "")


@dataclass(frozen=True)
class Panel:
    """One panel of :func:`timeline_panels`: its series, axis label (with the unit) and title."""

    series: tuple[Series, ...]
    ylabel: str
    title: str = ""
    rungs: bool = False  # label the y axis with the escalation ladder's rungs; draw steps

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Panel:
        return cls(series=tuple(Series.from_dict(x) for x in d["series"]), ylabel=str(d["ylabel"]),
                   title=str(d.get("title", "")), rungs=bool(d.get("rungs", False)))


def _series_matrix(timeline: pd.DataFrame, s: Series) -> pd.DataFrame:
    """Weeks x runs matrix of one series (all weeks and runs of the table; gaps per ``s.fill``).

    ``target="*"`` sums over every target of the actor (e.g. a power's troops in all its hosts).
    """
    actors = list(s.actor) if isinstance(s.actor, tuple) else [s.actor]
    sel = timeline[(timeline["variable"] == s.variable) & timeline["actor"].isin(actors)]
    if s.target != "*":
        sel = sel[sel["target"] == s.target]
    weeks = np.sort(timeline["week"].unique())
    runs = np.sort(timeline["run_id"].unique())
    pivot = sel.pivot_table(index="week", columns="run_id", values="value", aggfunc="sum")
    pivot = pivot.reindex(index=weeks, columns=runs)
    return _fill_nan(pivot, s.fill) * s.scale


def _week_dates(timeline: pd.DataFrame) -> pd.Series:
    first = timeline.drop_duplicates("week").set_index("week")["date"].sort_index()
    return pd.to_datetime(first)


MAX_SERIES = 8


def _expand(timeline: pd.DataFrame, series: Sequence[Series]) -> list[Series]:
    """A series with ``actor="*"`` becomes one series per actor that has the variable (at most 8)."""
    out: list[Series] = []
    for s in series:
        if s.actor != "*":
            out.append(s)
            continue
        actors = sorted(timeline.loc[timeline["variable"] == s.variable, "actor"].astype(str).unique())
        out += [Series(s.variable, a, s.target, a if not s.label else f"{s.label} {a}", s.scale, s.fill)
                for a in actors[:MAX_SERIES]]
    return out


def draw_timeline_bands(ax: Axes, timeline: pd.DataFrame, series: Sequence[Series], *,
                        steps: bool = False, colors: Sequence[str] | None = None) -> list[str]:
    """Median and 50%/90% bands across runs of each series against the date, on ``ax``.

    Returns the labels of the series that had data (a series with no rows is skipped, not drawn at 0).
    """
    dates = _week_dates(timeline)
    drawn = []
    series = _expand(timeline, series)
    for i, s in enumerate(series):
        m = _series_matrix(timeline, s)
        if m.notna().to_numpy().sum() == 0:
            continue
        color = colors[i] if colors is not None else f"C{i}"
        b = _bands(m)
        x = dates.reindex(m.index).to_numpy()
        kw: dict[str, Any] = {"step": "post"} if steps else {}
        ax.fill_between(x, b["q05"], b["q95"], alpha=0.15, color=color, lw=0, **kw)
        ax.fill_between(x, b["q25"], b["q75"], alpha=0.35, color=color, lw=0, **kw)
        ax.plot(x, b["q50"], color=color, lw=1.8, label=s.name,
                drawstyle="steps-post" if steps else "default")
        drawn.append(s.name)
    return drawn


def _date_axis(ax: Axes) -> None:
    loc = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _band_legend(ax: Axes, loc: Any = "best") -> None:
    handles, labels = ax.get_legend_handles_labels()
    handles += [Patch(facecolor="0.5", alpha=0.35, label="50% of runs"),
                Patch(facecolor="0.5", alpha=0.15, label="90% of runs")]
    labels += ["50% of runs", "90% of runs"]
    ax.legend(handles, labels, loc=loc, fontsize=7.5, frameon=True, framealpha=0.85)


def timeline_panels(timeline: pd.DataFrame, panels: Sequence[Panel], title: str, cap: str) -> plt.Figure:
    """Stacked panels sharing the date axis; each shows its series as median with 50% and 90% bands.

    A panel whose series have no rows in the table says so instead of drawing an empty axis.
    """
    with plt.rc_context(STYLE):
        n = len(panels)
        height = 0.9 + 2.4 * n
        fig, axes = plt.subplots(n, 1, figsize=(8, height), sharex=True, squeeze=False)
        for ax, panel in zip(axes[:, 0], panels, strict=True):
            drawn = draw_timeline_bands(ax, timeline, panel.series, steps=panel.rungs)
            if panel.rungs:
                ax.set_yticks([int(r) for r in Rung], [r.label for r in Rung])
                ax.set_ylim(-0.3, len(Rung) - 0.7)
            ax.set_ylabel(panel.ylabel)
            ax.set_title(panel.title, loc="left", fontsize=10)
            if drawn:
                _band_legend(ax, "upper right" if panel.rungs else "best")
            else:
                ax.text(0.5, 0.5, "no such variable in the stored timeline", transform=ax.transAxes,
                        ha="center", va="center", color="0.4")
            ax.grid(axis="y", color="0.9", lw=0.6)
        _date_axis(axes[-1, 0])
        axes[-1, 0].set_xlabel("date (weekly steps)")
        fig.suptitle(title, fontsize=11, y=1 - 0.12 / height)
        fig.subplots_adjust(left=0.29 if any(p.rungs for p in panels) else 0.11, right=0.97,
                            bottom=0.75 / height, top=1 - 0.75 / height, hspace=0.4)
        caption(fig, cap)
    return fig


# --- heatmaps ----------------------------------------------------------------------------------------


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
        vals = _test(outcomes, outcome).astype(float) if stat == "probability" else \
            outcomes[outcome].astype(float)
        df = pd.DataFrame({"x": xs, "y": ys, "v": vals})
        agg = df.groupby(["y", "x"])["v"].agg(["mean", "median", "count"])
        grid = np.full((len(ylev), len(xlev)), np.nan)
        count = np.zeros_like(grid)
        for row in _records(agg.reset_index()):
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


# --- sensitivity -------------------------------------------------------------------------------------

_SENS_ALIASES = {
    "s1": "S1", "s1_conf": "S1_conf", "st": "ST", "st_conf": "ST_conf", "mu_star": "mu_star",
    "mu*": "mu_star", "mustar": "mu_star", "mu_star_conf": "mu_star_conf", "mu*_conf": "mu_star_conf",
    "sigma": "sigma", "mu": "mu", "param": "parameter", "parameter": "parameter", "name": "parameter",
    "names": "parameter", "outcome": "outcome", "method": "method",
}


def _normalise_sensitivity(table: pd.DataFrame) -> pd.DataFrame:
    """Accept the wide table (one row per outcome and parameter) or a long one (index, value, conf)."""
    t = table.rename(columns={c: _SENS_ALIASES.get(str(c).lower(), c) for c in table.columns})
    if "index" in t.columns and "value" in t.columns:
        keys = [c for c in ("outcome", "parameter") if c in t.columns]
        wide = t.pivot_table(index=keys, columns="index", values="value", aggfunc="first")
        if "conf" in t.columns:
            conf = t.pivot_table(index=keys, columns="index", values="conf", aggfunc="first")
            conf.columns = [f"{c}_conf" for c in conf.columns]
            wide = wide.join(conf)
        wide.columns = [_SENS_ALIASES.get(str(c).lower(), str(c)) for c in wide.columns]
        t = wide.reset_index()
    if "outcome" not in t.columns:
        t = t.assign(outcome="outcome")
    return t


def sensitivity_bars(table: pd.DataFrame, title: str, cap: str, *, outcomes: Mapping[str, str] | None = None,
                     param_labels: Mapping[str, str] | None = None, method: str | None = None) -> plt.Figure:
    """Sensitivity indices per parameter, one panel per outcome.

    Sobol: first-order S1 and total ST with their 95% confidence half-widths. Morris: mu* (mean absolute
    elementary effect, with its confidence half-width) and sigma (its spread: interactions, non-linearity).
    Parameters are sorted by ST (or mu*) for the first outcome, largest on top.

    Args:
        table: the sensitivity table written by ``run.py analyze`` (columns ``outcome``, ``parameter``,
            ``S1``, ``S1_conf``, ``ST``, ``ST_conf`` or ``mu_star``, ``mu_star_conf``, ``sigma``).
        outcomes: outcome -> panel title with its unit (default: every outcome in the table).
        method: ``sobol`` or ``morris`` (default: from the columns; a ``method`` column filters).
    """
    t = _normalise_sensitivity(table)
    if method is None:
        method = "sobol" if "ST" in t.columns else "morris"
    if "method" in t.columns:
        t = t[t["method"].astype(str).str.lower() == method]
    keys = ("S1", "ST") if method == "sobol" else ("mu_star", "sigma")
    missing = [k for k in keys if k not in t.columns]
    if missing:
        raise ValueError(f"sensitivity table has no column {', '.join(missing)} for method {method}")
    outs = dict(outcomes) if outcomes is not None else {o: o for o in dict.fromkeys(t["outcome"])}
    labels = dict(param_labels or {})
    have = [o for o in outs if o in set(t["outcome"])]
    first = t[t["outcome"] == (have[0] if have else next(iter(outs)))]
    order = list(first.sort_values(keys[1 if method == "sobol" else 0], ascending=True)["parameter"])
    order += [p for p in dict.fromkeys(t["parameter"]) if p not in order]
    with plt.rc_context(STYLE):
        n = len(outs)
        height = 1.5 + 0.42 * len(order)
        fig, axes = plt.subplots(1, n, figsize=(4.0 + 3.2 * n, height), sharey=True, squeeze=False)
        names = {"S1": "first order S1", "ST": "total ST", "mu_star": "μ* (mean |effect|)",
                 "sigma": "σ (spread of effects)"}
        yy = np.arange(len(order), dtype=float)
        for ax, (out, otitle) in zip(axes[0], outs.items(), strict=True):
            sub = t[t["outcome"] == out].set_index("parameter").reindex(order)
            if out not in have:  # SALib gives no index for an outcome that does not vary
                ax.text(0.5, 0.5, "no indices: the outcome is constant\n(or undefined) across the design",
                        transform=ax.transAxes, ha="center", va="center", fontsize=8, color="0.4")
                ax.set_title(otitle, fontsize=10)
                ax.set_xticks([])
                continue
            for k, key in enumerate(keys):
                vals = sub[key].astype(float).to_numpy()
                conf_col = f"{key}_conf"
                err = sub[conf_col].astype(float).to_numpy() if conf_col in sub.columns else None
                ax.barh(yy + (0.2 if k == 0 else -0.2), vals, height=0.38, color=f"C{k}",
                        xerr=err, capsize=2, ecolor="0.25", label=names[key])
            ax.axvline(0, color="0.3", lw=0.6)
            ax.set_title(otitle, fontsize=10)
            ax.set_xlabel("Sobol index (share of output variance)" if method == "sobol"
                          else "elementary effect (outcome units)")
            ax.grid(axis="x", color="0.9", lw=0.6)
        axes[0, 0].set_yticks(yy, [labels.get(p, p) for p in order])
        with_bars = [ax for ax in axes[0] if ax.get_legend_handles_labels()[0]]
        if with_bars:
            with_bars[-1].legend(loc="lower right", fontsize=8, frameon=True, framealpha=0.9)
        fig.suptitle(title, fontsize=11)
        longest = max((len(labels.get(p, p)) for p in order), default=4)
        fig.subplots_adjust(left=min(0.45, (0.5 + 0.075 * longest) / fig.get_size_inches()[0]), right=0.97,
                            bottom=0.85 / height, top=1 - 0.6 / height, wspace=0.08)
        caption(fig, cap + ("; error bars: 95% confidence" if method == "sobol"
                            else "; error bars: 95% confidence of μ*"))
    return fig


# --- membership, regimes and alliance links at a date ------------------------------------------------

STATUS_ORDER = ("member", "suspended", "leaving", "left")
REGIME_COLORS = {"civilian": "#9ecae1", "transitional": "#fdd49e", "military": "#a6761d"}
_LINK_KINDS = ("mutual_defence", "declaration", "war")


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in df.to_dict("records")]


def _by_run(ev: pd.DataFrame) -> dict[int, pd.DataFrame]:
    if ev.empty:
        return {}
    return {int(k): g for k, g in ev.groupby("run_id")}  # type: ignore[arg-type, call-overload]


def _runs(*tables: pd.DataFrame) -> list[int]:
    ids: set[int] = set()
    for t in tables:
        if not t.empty and "run_id" in t.columns:
            ids.update(int(r) for r in t["run_id"].unique())
    return sorted(ids) or [0]


def _events_until(events: pd.DataFrame, date: str, kinds: Iterable[str]) -> pd.DataFrame:
    if events.empty:
        return pd.DataFrame(columns=["run_id", "date", "kind", "actor", "target", "details"])
    e = events[events["kind"].isin(list(kinds)) & (events["date"].astype(str) <= date)]
    if "run_id" not in e.columns:
        e = e.assign(run_id=0)
    return e.sort_values(["run_id", "week", "date"], kind="stable")


def _rung_at(timeline: pd.DataFrame, date: str) -> pd.DataFrame:
    """run_id, actor (bloc), target, value: each crisis's rung in the last week on or before ``date``."""
    if timeline.empty:
        return pd.DataFrame(columns=["run_id", "actor", "target", "value"])
    r = timeline[(timeline["variable"] == "rung") & (timeline["date"].astype(str) <= date)]
    if r.empty:
        return pd.DataFrame(columns=["run_id", "actor", "target", "value"])
    last = r["week"].max()
    return r[r["week"] == last][["run_id", "actor", "target", "value"]]


def membership_at(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame, date: str | dt.date,
                  ) -> pd.DataFrame:
    """Every run's bloc memberships at ``date``: columns run_id, bloc, state, status.

    ``status`` is ``member``, ``suspended`` (by a scheduled suspension, or because the bloc's response
    to the state stands at the suspension rung or higher), ``leaving`` (notice given) or ``left``
    (exit taken effect, or the bloc dissolved). Built from the scenario's starting memberships and the
    stored events and timeline; never from a live model.
    """
    day = str(date)
    ev = _events_until(events, day, ("exit_notice", "exit", "suspend", "readmit", "dissolution", "join"))
    rungs = _rung_at(timeline, day)
    susp_rung = {(int(r["run_id"]), str(r["actor"]), str(r["target"]))
                 for r in _records(rungs) if float(r["value"]) >= int(Rung.SUSPEND)}
    rows = []
    by_run = _by_run(ev)
    for run_id in _runs(events, timeline):
        status: dict[tuple[str, str], str] = {}
        for bid, b in scenario.blocs.items():
            if not b.exists:
                continue
            for m in b.members:
                status[(bid, m)] = "suspended" if m in b.suspended else "member"
        g = by_run.get(run_id)
        if g is not None:
            for e in _records(g):
                kind, actor, target = str(e["kind"]), str(e["actor"]), str(e["target"])
                states = [a for a in actor.split(",") if a]  # a joint notice names several states
                if kind in ("exit_notice", "exit", "join"):
                    new = {"exit_notice": "leaving", "exit": "left", "join": "member"}[kind]
                    for a in states:
                        status[(target, a)] = new
                elif kind == "suspend":
                    status[(actor, target)] = "suspended"
                elif kind == "readmit" and status.get((actor, target)) == "suspended":
                    status[(actor, target)] = "member"
                elif kind == "dissolution":
                    for key in status:
                        if key[0] == actor:
                            status[key] = "left"
        for (bid, sid), st in sorted(status.items()):
            if st == "member" and (run_id, bid, sid) in susp_rung:
                st = "suspended"
            rows.append((run_id, bid, sid, st))
    return pd.DataFrame(rows, columns=["run_id", "bloc", "state", "status"])


def regimes_at(scenario: Scenario, events: pd.DataFrame, date: str | dt.date) -> pd.DataFrame:
    """Every run's regimes at ``date``: columns run_id, state, regime (a coup makes a state military)."""
    day = str(date)
    ev = _events_until(events, day, ("coup", "set"))
    by_run = _by_run(ev)
    rows = []
    for run_id in _runs(events):
        regime = {sid: str(s.regime) for sid, s in scenario.states.items()}
        g = by_run.get(run_id)
        if g is not None:
            for e in _records(g):
                actor = str(e["actor"])
                if e["kind"] == "coup" and actor in regime:
                    regime[actor] = "military"
                elif e["kind"] == "set":
                    d = json.loads(str(e["details"]) or "{}")
                    if d.get("field") == "regime" and actor in regime:
                        regime[actor] = str(d.get("new"))
        rows += [(run_id, sid, r) for sid, r in sorted(regime.items())]
    return pd.DataFrame(rows, columns=["run_id", "state", "regime"])


def links_at(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame, date: str | dt.date,
             membership: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every run's alliance links at ``date``: columns run_id, kind, a, b, ref.

    ``mutual_defence``: both states are parties (member, suspended or leaving) of a bloc whose treaty
    has a collective-defence clause in force (a, b sorted). ``declaration``: a declared it would defend
    b. ``war``: a is fighting b (an intervention not yet ended).
    """
    day = str(date)
    mem = membership if membership is not None else membership_at(scenario, events, timeline, day)
    parties = mem[mem["status"] != "left"]
    clauses = []
    for tid, t in scenario.treaties.items():
        if t.in_force is not None and str(t.in_force) > day:
            continue
        for cid, c in t.clauses.items():
            if str(c.kind) == "collective_defence":
                clauses.append((t.bloc, f"{tid}.{cid}"))
    rows: list[tuple[int, str, str, str, str]] = []
    parts: dict[tuple[int, str], list[str]] = {}
    for r in _records(parties):
        parts.setdefault((int(r["run_id"]), str(r["bloc"])), []).append(str(r["state"]))
    for (run_id, bid), states in sorted(parts.items()):
        for bloc, ref in clauses:
            if bloc != bid:
                continue
            members = sorted(states)
            rows += [(run_id, "mutual_defence", a, b, ref)
                     for i, a in enumerate(members) for b in members[i + 1:]]
    ev = _events_until(events, day, ("declaration", "intervention", "war_end"))
    for run_id, g in sorted(_by_run(ev).items()):
        wars: dict[tuple[str, str], list[str]] = {}
        for e in _records(g):
            actor, target = str(e["actor"]), str(e["target"])
            if e["kind"] == "declaration":
                rows += [(run_id, "declaration", a, target, str(e["clause"])) for a in actor.split(",") if a]
            elif e["kind"] == "intervention":
                d = json.loads(str(e["details"]) or "{}")
                wars[(actor, target)] = sorted(d.get("attackers", {}))
            elif e["kind"] == "war_end":
                wars.pop((actor, target), None)
        for (_, tgt), attackers in sorted(wars.items()):
            rows += [(run_id, "war", a, tgt, "intervention") for a in attackers]
    return pd.DataFrame(rows, columns=["run_id", "kind", "a", "b", "ref"])


def _modal(df: pd.DataFrame, keys: list[str], col: str, order: Sequence[str] | None = None) -> pd.DataFrame:
    """The most common value of ``col`` per key across runs, with its share of runs."""
    n_runs = df["run_id"].nunique() if not df.empty else 1
    counts = df.groupby([*keys, col]).size().rename("n").reset_index()
    rank = {v: i for i, v in enumerate(order or [])}
    counts["rank"] = counts[col].map(lambda v: rank.get(v, len(rank)))
    counts = counts.sort_values([*keys, "n", "rank"], ascending=[True] * len(keys) + [False, True],
                                kind="stable")
    top = counts.drop_duplicates(keys).copy()
    top["share"] = top["n"] / n_runs
    return top[[*keys, col, "share"]].reset_index(drop=True)


# --- networks ----------------------------------------------------------------------------------------

# Blocs keep one colour in every figure (maps and networks); other blocs take the fallback palette.
BLOC_COLORS = {"ecowas": "#59a14f", "aes": "#4e79a7", "au": "#b07aa1", "g5": "#f28e2b", "g5_sahel": "#f28e2b"}
_FALLBACK = ["#e15759", "#76b7b2", "#edc948", "#9c755f", "#bab0ac", "#ff9da7"]


def bloc_colors(blocs: Iterable[str]) -> dict[str, str]:
    """A fixed colour per bloc id: the house colours, then a fallback palette in sorted order."""
    out, k = {}, 0
    for b in sorted(blocs):
        if b in BLOC_COLORS:
            out[b] = BLOC_COLORS[b]
        else:
            out[b] = _FALLBACK[k % len(_FALLBACK)]
            k += 1
    return out


def _lighten(color: str, amount: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _scenario_extent(scenario: Scenario, pad: float = 2.5) -> tuple[float, float, float, float]:
    lons = [s.lon for s in scenario.states.values()]
    lats = [s.lat for s in scenario.states.values()]
    return (min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + 7.0)
_STATUS_STYLE = {"member": "solid", "suspended": (0, (4, 2)), "leaving": (0, (1, 1.5))}


def _bloc_positions(scenario: Scenario, blocs: Sequence[str],
                    extent: tuple[float, float, float, float]) -> dict[str, tuple[float, float]]:
    lon0, lon1, _, lat1 = extent
    n = len(blocs)
    return {b: (lon0 + (lon1 - lon0) * (i + 1) / (n + 1), lat1 - 2.5) for i, b in enumerate(blocs)}


def draw_network(ax: Axes, scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame,
                 date: str | dt.date, *, blocs: Sequence[str] | None = None, min_share: float = 0.5,
                 extent: tuple[float, float, float, float] | None = None, max_clique: int = 6,
                 outlines: bool = True) -> list[Any]:
    """The alliance and membership network at ``date`` on ``ax``, summarised over runs.

    States sit at their capitals (lon/lat from the scenario), coloured by their most common regime;
    blocs are squares along the top. A bloc-state edge shows the most common membership status
    (solid member, dashed suspended, dotted leaving; none once left); state-state edges show mutual
    defence between treaty parties, declarations of support, and wars. An edge is drawn when it holds
    in at least ``min_share`` of the runs; its opacity is that share. Mutual-defence links are drawn
    for treaties with at most ``max_clique`` parties (a 15-member pact would hide everything else; its
    members are shown by their membership edges). ``outlines`` draws the countries faintly behind.

    Returns:
        Legend handles (the caller places the legend).
    """
    import networkx as nx

    day = str(date)
    bl = [b for b in (blocs or list(scenario.blocs)) if b in scenario.blocs]
    ext = extent or _scenario_extent(scenario)
    mem = membership_at(scenario, events, timeline, day)
    links = links_at(scenario, events, timeline, day, mem)
    reg = _modal(regimes_at(scenario, events, day), ["state"], "regime")
    n_runs = len(_runs(events, timeline))
    g = nx.MultiDiGraph()
    pos: dict[str, tuple[float, float]] = {}
    for sid, s in scenario.states.items():
        g.add_node(sid, kind="state")
        pos[sid] = (s.lon, s.lat)
    bpos = _bloc_positions(scenario, bl, ext)
    for b in bl:
        g.add_node(b, kind="bloc")
        pos[b] = bpos[b]
    ms = _modal(mem[mem["bloc"].isin(bl)], ["bloc", "state"], "status", STATUS_ORDER)
    for r in _records(ms):
        if r["status"] != "left" and float(r["share"]) >= min_share:
            g.add_edge(r["bloc"], r["state"], kind="membership", status=r["status"], share=float(r["share"]))
    if not links.empty:
        md = links[links["kind"] == "mutual_defence"]
        size: dict[str, int] = {}
        for (_, ref), grp in md.groupby(["run_id", "ref"]):
            size[str(ref)] = max(size.get(str(ref), 0), len(set(grp["a"]) | set(grp["b"])))
        links = links[(links["kind"] != "mutual_defence") | (links["ref"].map(size).fillna(0) <= max_clique)]
        lk = links.groupby(["kind", "a", "b"])["run_id"].nunique().rename("n").reset_index()
        for r in _records(lk):
            share = int(r["n"]) / n_runs
            if share >= min_share:
                g.add_edge(r["a"], r["b"], kind=r["kind"], share=share)
    if outlines:
        from sim.geo import draw_map

        draw_map(ax, {}, extent=ext, background="0.96", edgecolor="0.82", linewidth=0.4, labels=[])
        ax.set_xlabel("")
        ax.set_ylabel("")
    ax.set_xlim(ext[0], ext[1])
    ax.set_ylim(ext[2], ext[3])
    ax.set_aspect(1.0 / math.cos(math.radians((ext[2] + ext[3]) / 2)))
    ax.set_facecolor("white")
    for sp in ax.spines.values():
        sp.set_visible(False)
    ax.set_xticks([])
    ax.set_yticks([])
    # draw in a fixed order so that the bytes do not depend on dict order
    edges = sorted(g.edges(data=True), key=lambda e: (e[2]["kind"], e[0], e[1]))
    bcolor = bloc_colors(scenario.blocs)
    for u, v, d in edges:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        alpha = 0.25 + 0.75 * d["share"]
        if d["kind"] == "membership":
            ax.plot([x0, x1], [y0, y1], color=bcolor[u], lw=1.0, alpha=alpha * 0.8,
                    ls=_STATUS_STYLE[d["status"]], zorder=1)
        elif d["kind"] == "mutual_defence":
            ax.plot([x0, x1], [y0, y1], color="#b2182b", lw=2.6, alpha=alpha, zorder=2,
                    solid_capstyle="round")
        else:
            war = d["kind"] == "war"
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=3,
                        arrowprops={"arrowstyle": "-|>", "color": "black" if war else "#b2182b",
                                    "lw": 2.0 if war else 1.3, "ls": "solid" if war else (0, (3, 2)),
                                    "alpha": alpha, "shrinkA": 7, "shrinkB": 7,
                                    "connectionstyle": "arc3,rad=0.2"})
    regime = dict(zip(reg["state"], reg["regime"], strict=True))
    states = sorted(scenario.states)
    ax.scatter([pos[s][0] for s in states], [pos[s][1] for s in states], s=110, zorder=4,
               c=[REGIME_COLORS.get(regime.get(s, "civilian"), "0.7") for s in states], edgecolors="0.2",
               linewidths=0.6)
    for sid in states:
        ax.text(pos[sid][0], pos[sid][1] - 0.9, sid, ha="center", va="top", fontsize=6.5, zorder=5,
                clip_on=True)
    for b in bl:
        ax.scatter([pos[b][0]], [pos[b][1]], marker="s", s=260, color=bcolor[b], zorder=4, edgecolors="0.2")
        ax.text(pos[b][0], pos[b][1] + 1.1, scenario.blocs[b].name if len(scenario.blocs[b].name) < 14
                else b.upper(), ha="center", va="bottom", fontsize=7.5, zorder=5, weight="bold")
    ax.set_title(day, fontsize=10)
    handles: list[Any] = [Line2D([], [], color="0.3", lw=1, ls=_STATUS_STYLE[k], label=f"bloc: {k}")
                          for k in ("member", "suspended", "leaving")]
    handles += [Line2D([], [], color="#b2182b", lw=2.6,
                       label=f"mutual defence in force (pacts ≤ {max_clique})"),
                Line2D([], [], color="#b2182b", lw=1.3, ls=(0, (3, 2)), label="declared support"),
                Line2D([], [], color="black", lw=2, label="war (attacker → target)")]
    handles += [Line2D([], [], marker="o", ls="", markerfacecolor=c, markeredgecolor="0.2",
                       label=f"{r} regime") for r, c in REGIME_COLORS.items()]
    return handles


def alliance_network(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame,
                     date: str | dt.date, title: str, cap: str, *, blocs: Sequence[str] | None = None,
                     min_share: float = 0.5) -> plt.Figure:
    """One network panel (see :func:`draw_network`) as a figure."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 5.6))
        handles = draw_network(ax, scenario, events, timeline, date, blocs=blocs, min_share=min_share)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
        fig.suptitle(title, fontsize=11)
        fig.subplots_adjust(left=0.02, right=0.72, bottom=0.08, top=0.9)
        caption(fig, f"{cap}; edges that hold in at least {min_share:.0%} of runs, opacity = share of runs")
    return fig


# --- maps --------------------------------------------------------------------------------------------


def regime_map(scenario: Scenario, events: pd.DataFrame, date: str | dt.date, title: str, cap: str,
               ) -> plt.Figure:
    """The region with each state of the scenario coloured by its most common regime at ``date``."""
    from sim.geo import draw_map_categories

    reg = _modal(regimes_at(scenario, events, str(date)), ["state"], "regime")
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 5.2))
        handles = draw_map_categories(ax, dict(zip(reg["state"], reg["regime"], strict=True)), REGIME_COLORS)
        ax.legend(handles=handles, loc="lower left", fontsize=8, title="regime", title_fontsize=8)
        ax.set_title(f"{title} ({date})")
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.92)
        caption(fig, cap)
    return fig


def rung_map(timeline: pd.DataFrame, bloc: str, date: str | dt.date, title: str, cap: str,
             states: Iterable[str] = ()) -> plt.Figure:
    """The region with each target of ``bloc`` coloured by the median rung of its response at ``date``.

    ``states``: other states to label (drawn in grey when the bloc has no response to them).
    """
    from sim.geo import draw_map

    r = _rung_at(timeline, str(date))
    r = r[r["actor"] == bloc]
    med = r.groupby("target")["value"].median()
    values = {str(k): float(v) for k, v in med.items()}
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 5.2))
        cmap = plt.get_cmap("OrRd", len(Rung))
        sm = draw_map(ax, values, cmap=cmap, vmin=-0.5, vmax=len(Rung) - 0.5,
                      labels=sorted(set(values) | set(states)))
        cb = fig.colorbar(sm, ax=ax, fraction=0.035, pad=0.02, ticks=[int(x) for x in Rung])
        cb.ax.set_yticklabels([x.label for x in Rung], fontsize=7)
        cb.set_label(f"median rung of {bloc}'s response")
        ax.set_title(f"{title} ({date})")
        fig.subplots_adjust(left=0.08, right=0.9, bottom=0.12, top=0.92)
        caption(fig, cap)
    return fig


def _membership_categories(mem: pd.DataFrame, scenario: Scenario, blocs: Sequence[str],
                           ) -> dict[str, tuple[str, str, str]]:
    """state -> (label, bloc of the first part, status of that part) of its most common memberships."""
    ms = _modal(mem[mem["bloc"].isin(blocs)], ["bloc", "state"], "status", STATUS_ORDER)
    parts: dict[str, list[tuple[str, str, str]]] = {}
    for r in _records(ms):
        if r["status"] == "left":
            continue
        bid = str(r["bloc"])
        name = scenario.blocs[bid].name
        short = name if len(name) < 14 else bid.upper()
        parts.setdefault(str(r["state"]), []).append(
            (short if r["status"] == "member" else f"{short} ({r['status']})", bid, str(r["status"])))
    out = {}
    for sid, p in parts.items():
        p = sorted(p)
        out[sid] = (" + ".join(x[0] for x in p), p[0][1] if len(p) == 1 else "", p[0][2])
    return out


def map_network_panels(scenario: Scenario, events: pd.DataFrame, timeline: pd.DataFrame,
                       dates: Sequence[str | dt.date], title: str, cap: str, *, blocs: Sequence[str],
                       min_share: float = 0.5,
                       extent: tuple[float, float, float, float] = (-18.5, 16.5, 3.5, 24.5)) -> plt.Figure:
    """Maps (top row: each state's membership of ``blocs``) and networks (bottom row) at each date.

    Map colours: a state in one bloc takes the bloc's colour (lighter when suspended, lightest when
    leaving); a state in several blocs takes a colour of its own combination.
    """
    from sim.geo import draw_map_categories

    cats_by_date = [_membership_categories(membership_at(scenario, events, timeline, str(d)), scenario, blocs)
                    for d in dates]
    bcol = bloc_colors(scenario.blocs)
    combos = ["#e15759", "#f1ce63", "#b6992d", "#ff9d9a", "#9c755f", "#86bcb6"]
    colors: dict[str, Any] = {}
    for label, bid, status in sorted({c for cats in cats_by_date for c in cats.values()},
                                     key=lambda c: (c[0].count("+"), c[0])):
        if bid:
            colors[label] = _lighten(bcol[bid], {"member": 0.0, "suspended": 0.45, "leaving": 0.7}[status])
        else:
            colors[label] = combos[sum(1 for c in colors if "+" in c) % len(combos)]
    with plt.rc_context(STYLE):
        n = len(dates)
        fig, axes = plt.subplots(2, n, figsize=(4.2 * n, 8.0), squeeze=False)
        present: set[str] = set()
        net_handles: list[Any] = []
        for j, (d, cats) in enumerate(zip(dates, cats_by_date, strict=True)):
            ax = axes[0, j]
            labels = {s: c[0] for s, c in cats.items()}
            draw_map_categories(ax, labels, colors, extent=extent, label_size=5)
            present |= set(labels.values())
            ax.set_title(str(d), fontsize=10)
            ax.tick_params(labelsize=7)
            if j:
                ax.set_ylabel("")
            net_handles = draw_network(axes[1, j], scenario, events, timeline, d, blocs=blocs,
                                       min_share=min_share, extent=extent)
        ordered = [Patch(facecolor=colors[c], edgecolor="0.35", label=c) for c in colors if c in present]
        fig.legend(handles=ordered, loc="upper center", ncol=min(4, len(ordered)), fontsize=7.5,
                   bbox_to_anchor=(0.5, 0.955), frameon=False, title="membership (most common across runs)",
                   title_fontsize=8)
        fig.legend(handles=net_handles, loc="lower center", ncol=5, fontsize=7, bbox_to_anchor=(0.5, 0.035),
                   frameon=False)
        fig.suptitle(title, fontsize=11, y=0.995)
        fig.subplots_adjust(left=0.05, right=0.99, bottom=0.13, top=0.86, hspace=0.12, wspace=0.08)
        caption(fig, f"{cap}; network edges hold in at least {min_share:.0%} of runs (opacity: share)")
    return fig


# --- outcomes against one swept parameter ------------------------------------------------------------


def _mean_ci(values: pd.Series, probability: bool) -> tuple[float, float, float, int]:
    v = values.dropna().astype(float)
    n = len(v)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    if probability:
        k = int(v.sum())
        lo, hi = wilson_interval(k, n)
        return k / n, lo, hi, n
    m = float(v.mean())
    half = 1.959964 * float(v.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return m, m - half, m + half, n


def outcome_lines(outcomes: pd.DataFrame, x: str, outcome: str, title: str, cap: str, *,
                  hue: str | None = None, xlabel: str, ylabel: str, hue_label: str = "") -> plt.Figure:
    """An outcome against one swept parameter: mean (or share of runs) with 95% intervals, one line per
    level of ``hue``. ``outcome`` may be a test such as ``max_escalation>=5`` (then it is a share)."""
    probability = any(op in outcome for op in (">=", "<=", ">", "<", "==")) or \
        str(outcomes[outcome].dtype) in ("bool", "boolean")
    vals = _test(outcomes, outcome).astype(float) if probability else outcomes[outcome].astype(float)
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
                  title: str, cap: str, *, xlabel: str) -> plt.Figure:
    """Per-actor summaries of timeline variables against a swept parameter, one panel per variable.

    Args:
        summary: one row per run and series: run_id, variable, actor, target, final, mean, min, max.
        runs: run_id and the swept column ``x``.
        panels: each ``{variable, actors (default all), stat (final|mean|min|max, default mean), ylabel,
            title, scale}``. A panel whose variable is not in the table says so.
    """
    merged = summary.merge(runs, on="run_id", how="inner")
    with plt.rc_context(STYLE):
        n = max(1, len(panels))
        fig, axes = plt.subplots(1, n, figsize=(4.3 * n + 0.6, 4.6), squeeze=False)
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
                ax.errorbar(xs, ms, yerr=[los, his], marker="o", ms=4, capsize=2, lw=1.5, color=f"C{i}",
                            label=a)
                drawn += 1
            ax.set_title(str(pn.get("title", var)), fontsize=10)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(str(pn.get("ylabel", f"{var} ({stat} over the run)")))
            ax.grid(color="0.92", lw=0.6)
            if drawn:
                ax.legend(fontsize=8, frameon=True, framealpha=0.9)
            else:
                ax.text(0.5, 0.5, f"no variable '{var}' in the stored timeline", transform=ax.transAxes,
                        ha="center", va="center", color="0.4", fontsize=8)
        fig.suptitle(title, fontsize=11)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.19, top=0.86, wspace=0.3)
        caption(fig, cap + "; bars: 95% interval of the mean over runs")
    return fig
