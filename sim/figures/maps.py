"""Maps of the region: regimes, the median rung of a bloc's response, and bloc membership beside the
alliance network at key dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch

from sim.enums import Rung
from sim.figures.networks import draw_network
from sim.figures.replay import STATUS_ORDER, membership_at, modal, regimes_at, rung_at
from sim.figures.saving import STYLE, caption
from sim.figures.tables import records
from sim.palette import COMBINATION_COLORS, REGIME_COLORS, RUNG_CMAP, bloc_colors, lighten

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = ["map_network_panels", "regime_map", "rung_map"]



def regime_map(scenario: Scenario, events: pd.DataFrame, date: str | dt.date, title: str, cap: str,
               ) -> plt.Figure:
    """The region with each state of the scenario coloured by its most common regime at ``date``."""
    from sim.geo import draw_map_categories

    reg = modal(regimes_at(scenario, events, str(date)), ["state"], "regime")
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

    r = rung_at(timeline, str(date))
    r = r[r["actor"] == bloc]
    med = r.groupby("target")["value"].median()
    values = {str(k): float(v) for k, v in med.items()}
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 5.2))
        cmap = plt.get_cmap(RUNG_CMAP, len(Rung))
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
    ms = modal(mem[mem["bloc"].isin(blocs)], ["bloc", "state"], "status", STATUS_ORDER)
    parts: dict[str, list[tuple[str, str, str]]] = {}
    for r in records(ms):
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
    combos = COMBINATION_COLORS
    colors: dict[str, Any] = {}
    for label, bid, status in sorted({c for cats in cats_by_date for c in cats.values()},
                                     key=lambda c: (c[0].count("+"), c[0])):
        if bid:
            colors[label] = lighten(bcol[bid], {"member": 0.0, "suspended": 0.45, "leaving": 0.7}[status])
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


