"""Timelines: a variable of the tidy timeline over the weeks, as the median across runs with 50% and
90% bands (the ladder of one crisis, or stacked panels of any series)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from sim.enums import Rung
from sim.figures.saving import STYLE, caption
from sim.palette import SERIES_COLORS

__all__ = ["MAX_SERIES", "Panel", "Series", "draw_timeline_bands", "ladder_timeline", "timeline_panels"]


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
        color = SERIES_COLORS[3]
        ax.fill_between(weeks, b["q05"], b["q95"], step="post", alpha=0.18, color=color, label="90% of runs")
        ax.fill_between(weeks, b["q25"], b["q75"], step="post", alpha=0.35, color=color, label="50% of runs")
        ax.step(weeks, b["q50"], where="post", color=color, lw=2, label="median")
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


def _fill_nan(df: pd.DataFrame, value: float | None) -> pd.DataFrame:
    return df if value is None else df.fillna(value)


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


def _expand(timeline: pd.DataFrame, series: Sequence[Series],
            names: Mapping[str, str] | None = None) -> list[Series]:
    """A series with ``actor="*"`` becomes one series per actor that has the variable (at most 8), each
    labelled by the actor's name in ``names`` (the scenario's names; the id when it has none)."""
    names = names or {}
    out: list[Series] = []
    for s in series:
        if s.actor != "*":
            out.append(s)
            continue
        actors = sorted(timeline.loc[timeline["variable"] == s.variable, "actor"].astype(str).unique())
        out += [Series(s.variable, a, s.target, names.get(a, a) if not s.label else f"{s.label} {names.get(a, a)}",
                       s.scale, s.fill)
                for a in actors[:MAX_SERIES]]
    return out


def draw_timeline_bands(ax: Axes, timeline: pd.DataFrame, series: Sequence[Series], *,
                        steps: bool = False, colors: Sequence[str] | None = None,
                        names: Mapping[str, str] | None = None) -> list[str]:
    """Median and 50%/90% bands across runs of each series against the date, on ``ax``.

    Returns the labels of the series that had data (a series with no rows is skipped, not drawn at 0).
    """
    dates = _week_dates(timeline)
    drawn = []
    series = _expand(timeline, series, names)
    for i, s in enumerate(series):
        m = _series_matrix(timeline, s)
        if m.notna().to_numpy().sum() == 0:
            continue
        color = colors[i] if colors is not None else SERIES_COLORS[i % len(SERIES_COLORS)]
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


def _band_legend(ax: Axes, loc: Any = "best", outside: bool = False) -> None:
    handles, labels = ax.get_legend_handles_labels()
    handles += [Patch(facecolor="0.5", alpha=0.35, label="50% of runs"),
                Patch(facecolor="0.5", alpha=0.15, label="90% of runs")]
    labels += ["50% of runs", "90% of runs"]
    if outside:  # to the right of the axes: never over the data
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False)
    else:
        ax.legend(handles, labels, loc=loc, fontsize=7.5, frameon=True, framealpha=0.85)


def timeline_panels(timeline: pd.DataFrame, panels: Sequence[Panel], title: str, cap: str,
                    names: Mapping[str, str] | None = None) -> plt.Figure:
    """Stacked panels sharing the date axis; each shows its series as median with 50% and 90% bands, the
    legend to the right of the panel (clear of the data), actors by their names in ``names``.

    A panel whose series have no rows in the table says so instead of drawing an empty axis.
    """
    with plt.rc_context(STYLE):
        n = len(panels)
        height = 0.9 + 2.4 * n
        fig, axes = plt.subplots(n, 1, figsize=(10, height), sharex=True, squeeze=False)
        for ax, panel in zip(axes[:, 0], panels, strict=True):
            drawn = draw_timeline_bands(ax, timeline, panel.series, steps=panel.rungs, names=names)
            if panel.rungs:
                ax.set_yticks([int(r) for r in Rung], [r.label for r in Rung])
                ax.set_ylim(-0.3, len(Rung) - 0.7)
            ax.set_ylabel(panel.ylabel)
            ax.set_title(panel.title, loc="left", fontsize=10)
            if drawn:
                _band_legend(ax, outside=True)
            else:
                ax.text(0.5, 0.5, "no such variable in the stored timeline", transform=ax.transAxes,
                        ha="center", va="center", color="0.4")
            ax.grid(axis="y", color="0.9", lw=0.6)
        _date_axis(axes[-1, 0])
        axes[-1, 0].set_xlabel("date (weekly steps)")
        fig.suptitle(title, fontsize=11, y=1 - 0.12 / height)
        fig.subplots_adjust(left=0.24 if any(p.rungs for p in panels) else 0.09, right=0.77,
                            bottom=0.75 / height, top=1 - 0.75 / height, hspace=0.4)
        caption(fig, cap)
    return fig


