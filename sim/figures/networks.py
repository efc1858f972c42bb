"""Alliance networks: blocs, memberships, defence pacts, declarations and wars at a date, summarised
over runs, with the states at their capitals."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from sim.figures.replay import STATUS_ORDER, links_at, membership_at, modal, regimes_at, run_ids
from sim.figures.saving import STYLE, caption
from sim.figures.tables import records
from sim.palette import DECLARATION_COLOR, MUTUAL_DEFENCE_COLOR, REGIME_COLORS, WAR_COLOR, bloc_colors

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = ["alliance_network", "draw_network", "scenario_extent"]

def scenario_extent(scenario: Scenario, pad: float = 2.5) -> tuple[float, float, float, float]:
    """(lon0, lon1, lat0, lat1) around the scenario's capitals, with room above for the blocs."""
    lons = [s.lon for s in scenario.states.values()]
    lats = [s.lat for s in scenario.states.values()]
    return (min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + 7.0)


# line style of a bloc-state edge by membership status
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
    ext = extent or scenario_extent(scenario)
    mem = membership_at(scenario, events, timeline, day)
    links = links_at(scenario, events, timeline, day, mem)
    reg = modal(regimes_at(scenario, events, day), ["state"], "regime")
    n_runs = len(run_ids(events, timeline))
    g = nx.MultiDiGraph()
    pos: dict[str, tuple[float, float]] = {}
    for sid, s in scenario.states.items():
        g.add_node(sid, kind="state")
        pos[sid] = (s.lon, s.lat)
    bpos = _bloc_positions(scenario, bl, ext)
    for b in bl:
        g.add_node(b, kind="bloc")
        pos[b] = bpos[b]
    ms = modal(mem[mem["bloc"].isin(bl)], ["bloc", "state"], "status", STATUS_ORDER)
    for r in records(ms):
        if r["status"] != "left" and float(r["share"]) >= min_share:
            g.add_edge(r["bloc"], r["state"], kind="membership", status=r["status"], share=float(r["share"]))
    if not links.empty:
        md = links[links["kind"] == "mutual_defence"]
        size: dict[str, int] = {}
        for (_, ref), grp in md.groupby(["run_id", "ref"]):
            size[str(ref)] = max(size.get(str(ref), 0), len(set(grp["a"]) | set(grp["b"])))
        links = links[(links["kind"] != "mutual_defence") | (links["ref"].map(size).fillna(0) <= max_clique)]
        lk = links.groupby(["kind", "a", "b"])["run_id"].nunique().rename("n").reset_index()
        for r in records(lk):
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
            ax.plot([x0, x1], [y0, y1], color=MUTUAL_DEFENCE_COLOR, lw=2.6, alpha=alpha, zorder=2,
                    solid_capstyle="round")
        else:
            war = d["kind"] == "war"
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0), zorder=3,
                        arrowprops={"arrowstyle": "-|>", "color": WAR_COLOR if war else DECLARATION_COLOR,
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
    handles += [Line2D([], [], color=MUTUAL_DEFENCE_COLOR, lw=2.6,
                       label=f"mutual defence in force (pacts ≤ {max_clique})"),
                Line2D([], [], color=DECLARATION_COLOR, lw=1.3, ls=(0, (3, 2)), label="declared support"),
                Line2D([], [], color=WAR_COLOR, lw=2, label="war (attacker → target)")]
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


