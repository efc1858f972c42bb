"""The page's panels: lesson and clock, map, alliance network, escalation ladder, forces, event feed.

Each panel is a Solara component of the model that re-renders when Mesa's ``update_counter`` moves
(after a step or a reset). Figures are drawn by pure functions of a small hashable *signature* of the
model's state (``*_signature`` below) and cached by it, so a panel whose picture did not change this
week costs a dictionary look-up; the benchmark (``benchmarks/bench_viz.py``) measures both that and
the worst case with every figure drawn afresh.

The panels only read the model (``states``, ``blocs``, ``crises``, ``wars``, ``treaties``, ``log.rows``,
``recorder.rows``); they never change it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mesa.visualization.utils import update_counter

from sim.enums import ClauseKind, Obligation, Regime, Rung, TriggerEvent

if TYPE_CHECKING:
    from sim.model import LiptakoModel

__all__ = [
    "COMPONENTS",
    "EventFeed",
    "ForcesPanel",
    "LadderPanel",
    "LessonPanel",
    "MapPanel",
    "NetworkPanel",
    "clear_figure_cache",
    "feed_html",
    "forces_signature",
    "forces_svg",
    "ladder_html",
    "ladder_signature",
    "map_signature",
    "network_signature",
    "postures",
    "render_map",
    "render_network",
]

DPI = 100
FEED_LENGTH = 60  # newest events shown in the feed

REGIME_COLORS = {
    Regime.CIVILIAN.value: "#a6cee3",
    Regime.TRANSITIONAL.value: "#fdbf6f",
    Regime.MILITARY.value: "#b15928",
}
# Posture of a state in the crises of the moment, strongest first: (label, edge colour, hatch).
POSTURES: dict[str, tuple[str, str, str]] = {
    "target": ("target of a bloc's measures", "#d7191c", "xx"),
    "intervening": ("troops pledged or sent against the target", "#2c7bb6", "//"),
    "defending": ("promised to defend the target", "#7b3294", "\\\\"),
    "sanctioning": ("imposing sanctions", "#404040", ".."),
}
# Timeline variables of the forces panel (sim.metrics): persons abroad, foreign troops, personnel, fighters.
FORCE_VARIABLES = ("deployed", "troops", "personnel", "group_strength")
RUNG_COLORS = ["#f0f0f0", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"]
RUNG_SHORT = ["none", "condemn", "suspend", "sanctions", "ultimatum", "standby force", "force"]
BLOC_COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
FEED_COLORS = {
    "coup": "#8c2d04", "refusal_to_cede_power": "#8c2d04", "crisis": "#cc4c02", "rung_up": "#ec7014",
    "rung_down": "#2c7bb6", "vote_fail": "#969696", "launch_withheld": "#7b3294", "intervention": "#d7191c",
    "assist": "#1a9641", "abandon": "#525252", "war_end": "#d7191c", "declaration": "#7b3294",
    "exit_notice": "#5e3c99", "exit": "#5e3c99", "dissolution": "#5e3c99", "in_force": "#1b9e77",
}


# --- what the panels show, as plain data ------------------------------------------------------------


def _open_crises(m: LiptakoModel) -> list[Any]:
    return [c for c in m.crises.values() if c.closed_week is None]


def postures(m: LiptakoModel) -> dict[str, str]:
    """Each state's posture toward the crises of the moment (states with none are left out).

    target: a bloc holds a rung >= 1 against it (or attacks it); intervening: it pledged troops to a
    standby force, or fights as an attacker; defending: a clause or declaration commits it to defend a
    target, or it fights on the target's side; sanctioning: an active member of a bloc holding
    sanctions or more against a target. The strongest posture wins.
    """
    rank = {k: i for i, k in enumerate(POSTURES)}
    out: dict[str, str] = {}

    def put(sid: str, p: str) -> None:
        if sid in m.states and (sid not in out or rank[p] < rank[out[sid]]):
            out[sid] = p

    members = m.members()
    for c in _open_crises(m):
        if c.rung < Rung.CONDEMN:
            continue
        put(c.target, "target")
        bloc = m.blocs[c.bloc]
        attackers = set(bloc.active_members())
        if c.rung >= Rung.STANDBY:
            for s in c.pledgers:
                put(s, "intervening")
        for cm in m.treaties.commitments_to(c.target, members, TriggerEvent.ATTACK, attackers):
            if cm.ally not in attackers:
                put(cm.ally, "defending")
        if c.rung >= Rung.SANCTIONS:
            for s in attackers:
                if s != c.target and not m.treaties.refrains(s, c.target, members):
                    put(s, "sanctioning")
    for w in m.wars:
        if w.ended_week is None:
            put(w.target, "target")
            for s in w.attackers:
                put(s, "intervening")
            for s in w.defenders:
                if s != w.target:
                    put(s, "defending")
    return out


def map_signature(m: LiptakoModel) -> tuple[tuple[str, str, str], ...]:
    """(state, regime, posture) for every state: all the map depends on."""
    p = postures(m)
    return tuple((sid, str(s.regime.value), p.get(sid, "")) for sid, s in sorted(m.states.items()))


def network_signature(m: LiptakoModel) -> tuple[Any, ...]:
    """Nodes (states with positions and regimes, blocs with members) and the links between them."""
    states = tuple((sid, s.name, str(s.regime.value), s.spec.lon, s.spec.lat) for sid, s in m.states.items())
    blocs = tuple((bid, b.name, tuple(b.members), tuple(sorted(b.suspended)))
                  for bid, b in m.blocs.items() if b.exists)
    members = m.members()
    pacts = []  # mutual-defence clauses in force among a small bloc's members (e.g. charter Art. 6)
    for ac in m.treaties.clauses(ClauseKind.COLLECTIVE_DEFENCE):
        parties = members.get(ac.bloc, [])
        if ac.spec.obligation is Obligation.ASSIST and 1 < len(parties) <= 6:
            pacts.append((ac.bloc, ac.spec.article or ac.ref, tuple(parties), round(ac.spec.bindingness, 2)))
    promises = []  # commitments to defend a current target
    crises = []
    for c in _open_crises(m):
        crises.append((c.bloc, c.target, int(c.rung)))
        attackers = set(m.blocs[c.bloc].active_members())
        for cm in m.treaties.commitments_to(c.target, members, TriggerEvent.ATTACK, attackers):
            if cm.ally not in attackers:
                promises.append((cm.ally, cm.protected, round(cm.bindingness, 2)))
    wars = tuple((w.bloc, w.target, tuple(sorted(w.attackers)), tuple(sorted(w.defenders)))
                 for w in m.wars if w.ended_week is None)
    return (states, blocs, tuple(pacts), tuple(sorted(set(promises))), tuple(crises), wars)


def ladder_signature(m: LiptakoModel) -> tuple[tuple[str, str, int, int, int | None], ...]:
    """(bloc, target, rung, highest rung, week closed) for every crisis, in the order they opened."""
    return tuple((m.name(c.bloc), m.name(c.target), int(c.rung), int(c.max_rung), c.closed_week)
                 for c in m.crises.values())


def forces_signature(m: LiptakoModel) -> tuple[Any, ...]:
    """The week axis's end, then weekly series from the model's timeline: troops each state has abroad,
    troops of each external power in the region, personnel of states that lost any, and each armed
    group's fighters (summed over the states it fights in). Series that stay at zero (or, for personnel,
    never change) are left out."""
    df = m.recorder.frame()
    df = df[df["variable"].isin(FORCE_VARIABLES)]
    out: dict[str, list[tuple[str, tuple[tuple[int, float], ...]]]] = {v: [] for v in FORCE_VARIABLES}
    if len(df):
        sums = df.groupby(["variable", "actor", "week"], sort=True)["value"].sum()
        for key, series in sums.groupby(level=[0, 1], sort=True):
            var, actor = (str(k) for k in cast(tuple[Any, Any], key))
            vals = series.to_numpy(dtype=float)
            if (var == "personnel" and vals.max() > vals.min()) or (var != "personnel" and vals.max() > 0):
                weeks = series.index.get_level_values(2).to_numpy()
                pts = tuple(zip(weeks.tolist(), vals.round(1).tolist(), strict=True))
                out[var].append((m.name(actor), pts))
    # The week axis grows with the run, a quarter (13 weeks) at a time, up to the scenario's end.
    x_max = min(m.n_weeks, max(26, 13 * math.ceil(m.week / 13)))
    return (x_max, *(tuple(out[v]) for v in FORCE_VARIABLES))


# --- figures ------------------------------------------------------------------------------------------


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


@lru_cache(maxsize=128)
def render_map(sig: tuple[tuple[str, str, str], ...]) -> bytes:
    """The region with each state filled by its regime and outlined/hatched by its posture (PNG)."""
    from matplotlib.collections import PolyCollection

    from sim.geo import draw_map_categories, load_outlines

    fig = Figure(figsize=(5.2, 2.6))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    regimes = {sid: regime for sid, regime, _ in sig}
    handles = draw_map_categories(ax, regimes, REGIME_COLORS, label_size=6.5)
    outlines = load_outlines()
    present = []
    for key, (label, color, hatch) in POSTURES.items():
        polys = [p for sid, _, post in sig if post == key for p in outlines.get(sid, [])]
        if not polys:
            continue
        present.append(Patch(facecolor="white", edgecolor=color, hatch=hatch, label=label))
        ax.add_collection(PolyCollection(polys, facecolors="none", edgecolors=color, hatch=hatch,
                                         linewidths=1.8))
    ax.set_axis_off()
    leg = ax.legend(handles=handles, loc="lower left", fontsize=6.5, title="regime", title_fontsize=6.5,
                    frameon=True)
    ax.add_artist(leg)
    if present:
        ax.legend(handles=present, loc="lower center", fontsize=6.5, title="posture", title_fontsize=6.5,
                  frameon=True)
    return _png(fig)


def _positions(states: Sequence[tuple[str, str, str, float, float]],
               blocs: Sequence[tuple[str, str, tuple[str, ...], tuple[str, ...]]]
               ) -> dict[str, tuple[float, float]]:
    """States at their capitals (a circle if the scenario has no coordinates); blocs in a row above."""
    pos: dict[str, tuple[float, float]] = {}
    if any(lon or lat for _, _, _, lon, lat in states):
        for sid, _, _, lon, lat in states:
            pos[sid] = (lon, lat)
    else:
        n = max(1, len(states))
        for i, (sid, *_rest) in enumerate(states):
            a = 2 * math.pi * i / n
            pos[sid] = (10 * math.cos(a), 10 * math.sin(a))
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    top = max(ys) + 0.25 * (max(ys) - min(ys) + 1)
    step = 0.08 * (max(ys) - min(ys) + 1)
    for i, (bid, *_rest) in enumerate(blocs):  # spread along the top, every other one a little higher
        x = min(xs) + (max(xs) - min(xs)) * (i + 0.5) / max(1, len(blocs))
        pos[bid] = (x, top + step * (i % 2))
    return pos


@lru_cache(maxsize=128)
def render_network(sig: tuple[Any, ...]) -> bytes:
    """Blocs and their members, defence pacts and promises, and each bloc's pressure on its targets."""
    from matplotlib.collections import LineCollection

    states, blocs, pacts, promises, crises, wars = sig
    pos = _positions(states, blocs)
    colors = {bid: BLOC_COLORS[i % len(BLOC_COLORS)] for i, (bid, *_r) in enumerate(blocs)}
    fig = Figure(figsize=(5.2, 3.0))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    for bid, _name, members, suspended in blocs:  # membership: thin lines, dashed when suspended
        for dashed in (False, True):
            segs = [(pos[bid], pos[s]) for s in members if s in pos and (s in suspended) == dashed]
            if segs:
                ax.add_collection(LineCollection(segs, colors=colors[bid], linewidths=0.7, alpha=0.35,
                                                 linestyles="--" if dashed else "-", zorder=1))
    for bid, _article, parties, b in pacts:  # mutual-defence pacts: thick links among the parties
        segs = [(pos[a], pos[c]) for i, a in enumerate(parties) for c in parties[i + 1:]
                if a in pos and c in pos]
        ax.add_collection(LineCollection(segs, colors=colors.get(bid, "k"), linewidths=1.0 + 3.0 * b,
                                         alpha=0.8, zorder=2, capstyle="round"))
    for ally, protected, b in promises:  # promises to defend a target: arrows ally -> target
        if ally in pos and protected in pos:
            ax.annotate("", xy=pos[protected], xytext=pos[ally], zorder=3,
                        arrowprops={"arrowstyle": "-|>", "color": POSTURES["defending"][1],
                                    "lw": 0.8 + 2.0 * b, "shrinkA": 7, "shrinkB": 7,
                                    "connectionstyle": "arc3,rad=0.15"})
    for bid, target, rung in crises:  # pressure: bloc -> target, coloured by rung
        if bid in pos and target in pos and rung > 0:
            ax.annotate("", xy=pos[target], xytext=pos[bid], zorder=4,
                        arrowprops={"arrowstyle": "-|>", "color": RUNG_COLORS[rung], "lw": 1.0 + 0.5 * rung,
                                    "shrinkA": 9, "shrinkB": 8})
    war_segs = [(pos[a], pos[t]) for _b, t, attackers, _d in wars for a in attackers if a in pos and t in pos]
    if war_segs:  # war: attackers -> target in red
        ax.add_collection(LineCollection(war_segs, colors="#d7191c", linewidths=3, zorder=4))
    xs = [pos[sid][0] for sid, *_ in states]
    ys = [pos[sid][1] for sid, *_ in states]
    ax.scatter(xs, ys, s=150, c=[REGIME_COLORS.get(r, "0.8") for _, _, r, *_ in states], edgecolors="0.2",
               linewidths=0.6, zorder=5)
    for sid, *_ in states:
        ax.text(*pos[sid], sid, fontsize=6, ha="center", va="center", zorder=6)
    for bid, name, members, _s in blocs:
        short = name if len(name) <= 10 else bid.upper().replace("_", " ")
        ax.text(*pos[bid], f"{short} ({len(members)})", fontsize=7.5, ha="center", va="center", zorder=6,
                color="white", fontweight="bold",
                bbox={"boxstyle": "round,pad=0.3", "fc": colors[bid], "ec": "none"})
    ax.set_axis_off()
    allx = [p[0] for p in pos.values()]
    ally_ = [p[1] for p in pos.values()]
    dx, dy = max(allx) - min(allx) + 1, max(ally_) - min(ally_) + 1
    ax.set_xlim(min(allx) - 0.08 * dx, max(allx) + 0.08 * dx)
    ax.set_ylim(min(ally_) - 0.30 * dy, max(ally_) + 0.08 * dy)
    legend = [
        Line2D([], [], color="0.4", lw=0.8, label="member (dashed: suspended)"),
        Line2D([], [], color="0.3", lw=3.5, label="mutual-defence pact"),
        Line2D([], [], color=POSTURES["defending"][1], lw=2, label="promise to defend the target (arrow)"),
        Line2D([], [], color=RUNG_COLORS[4], lw=2.5, label="bloc's measures against the target (arrow)"),
    ]
    ax.legend(handles=legend, loc="lower left", fontsize=6.5, frameon=False)
    return _png(fig)


SERIES_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
                 "#7f7f7f", "#bcbd22"]


def _nice_max(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above ``v`` (an axis top)."""
    if v <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(v))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= v)


def _svg_panel(y0: float, title: str, series: list[tuple[str, str, str, tuple[tuple[int, float], ...]]],
               x_max: int, empty: str, w: float = 640, h: float = 150) -> str:
    """One panel of the forces chart: polylines of (week, value) in thousands, a legend above the plot
    (wrapping to as many lines as it needs), a y axis from 0 to a round number and weeks on x."""
    left, right, bottom = 44.0, 8.0, 20.0
    legend, lx, row = [], 0.0, 0
    for name, color, dash, _pts in series:
        width = 6.2 * len(name) + 26
        if lx + width > w - left - right and lx > 0:
            lx, row = 0.0, row + 1
        legend.append((left + lx, y0 + 30 + 13 * row, name, color, dash))
        lx += width
    top = 22.0 + 13 * (row + 1 if series else 0)
    pw, ph = w - left - right, h - top - bottom
    ymax = _nice_max(max((v for *_x, pts in series for _, v in pts), default=0.0) / 1000)
    xw = max(1, x_max)

    def x(week: float) -> float:
        return left + pw * week / xw

    def y(val: float) -> float:
        return y0 + top + ph * (1 - val / 1000 / ymax)

    out = [f'<text x="{left}" y="{y0 + 14}" font-size="13" font-weight="600">{html.escape(title)}</text>',
           f'<rect x="{left}" y="{y0 + top}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for frac in (0.0, 0.5, 1.0):
        yy = y0 + top + ph * (1 - frac)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" font-size="11" text-anchor="end">'
                   f'{ymax * frac:g}</text>')
    tick = 13 * max(1, round(xw / 4 / 13))  # a whole number of quarter-years, about four ticks
    for wk in range(0, xw + 1, tick):
        out.append(f'<text x="{x(wk):.1f}" y="{y0 + h - 5}" font-size="11" text-anchor="middle">{wk}</text>')
    if not series:
        out.append(f'<text x="{left + pw / 2}" y="{y0 + top + ph / 2 + 4}" font-size="12" fill="#777" '
                   f'text-anchor="middle">{html.escape(empty)}</text>')
    for (name, color, dash, pts), (lx_, ly, *_r) in zip(series, legend, strict=True):
        path = " ".join(f"{x(wk):.1f},{y(v):.1f}" for wk, v in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')
        out.append(f'<line x1="{lx_:.0f}" x2="{lx_ + 16:.0f}" y1="{ly - 4}" y2="{ly - 4}" stroke="{color}" '
                   f'stroke-width="2" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{lx_ + 20:.0f}" y="{ly}" font-size="11">{html.escape(name)}</text>')
    return "".join(out)


@lru_cache(maxsize=64)
def forces_svg(sig: tuple[Any, ...]) -> str:
    """Forces (top: troops abroad, foreign troops, personnel after losses) and armed groups' fighters
    (bottom), week by week, in thousands of persons, as an SVG drawing (cheap to redraw every week)."""
    x_max, deployed, troops, personnel, groups = sig
    top: list[tuple[str, str, str, tuple[tuple[int, float], ...]]] = []
    styles = ((deployed, "abroad", ""), (troops, "in the region", "6 3"), (personnel, "personnel", "2 3"))
    for series, what, dash in styles:
        for name, pts in series:
            top.append((f"{name} {what}", SERIES_COLORS[len(top) % len(SERIES_COLORS)], dash, pts))
    bottom = [(name, SERIES_COLORS[i % len(SERIES_COLORS)], "", pts) for i, (name, pts) in enumerate(groups)]
    body = (_svg_panel(0, "Forces (thousand persons)", top, x_max,
                       "No troops abroad, no foreign forces, no losses in war.")
            + _svg_panel(150, "Armed groups' fighters (thousand persons)", bottom, x_max,
                         "No armed groups in this scenario."))
    return ('<svg class="liptako-forces" viewBox="0 0 640 312" width="100%" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">{body}'
            '<text x="636" y="310" font-size="11" text-anchor="end">week</text></svg>')


def clear_figure_cache() -> None:
    """Forget every drawn figure (the benchmark's worst case)."""
    render_map.cache_clear()
    render_network.cache_clear()
    forces_svg.cache_clear()


# --- text panels ----------------------------------------------------------------------------------------


def ladder_html(sig: Sequence[tuple[str, str, int, int, int | None]]) -> str:
    """A table: one row per bloc and target, one cell per rung; filled up to the rung held now,
    outlined up to the highest rung reached."""
    if not sig:
        return '<div style="color:#777">No bloc has responded to anything yet.</div>'
    th = '<th style="font-weight:400;font-size:11px;padding:0 2px">'
    head = "".join(f"{th}{html.escape(RUNG_SHORT[r])}</th>" for r in range(1, len(RUNG_COLORS)))
    rows = []
    for bloc, target, rung, top, closed in sig:
        cells = []
        for r in range(1, len(RUNG_COLORS)):
            fill = RUNG_COLORS[r] if r <= rung else "#ffffff"
            border = "2px solid #333" if r <= top else "1px solid #ccc"
            cells.append(f'<td style="background:{fill};border:{border};height:26px;min-width:34px"></td>')
        ended = f' <span style="color:#777">(ended week {closed})</span>' if closed is not None else ""
        rows.append(f'<tr class="liptako-rung" data-rung="{rung}"><th style="text-align:left;'
                    f'padding-right:6px;white-space:nowrap">{html.escape(bloc)} → {html.escape(target)}'
                    f'{ended}'
                    f'<br><span style="font-weight:400;font-size:12px">now: {html.escape(Rung(rung).label)}'
                    '</span></th>' + "".join(cells) + "</tr>")
    return ('<table style="border-collapse:separate;border-spacing:3px;width:100%;font-size:13px">'
            f'<tr><th></th>{head}</tr>' + "".join(rows) + '</table><div style="font-size:11px;color:#555">'
            "Filled: the rung the bloc holds now. Dark outline: the highest rung it has reached.</div>")


def feed_html(rows: Sequence[tuple[Any, ...]], limit: int = FEED_LENGTH) -> str:
    """The newest ``limit`` events, newest first, each with the clause or rule that fired."""
    items = []
    for row in reversed(rows[-limit:]):
        _week, _date, kind, _actor, _target, clause, text = row[:7]
        color = FEED_COLORS.get(kind, "#737373")
        items.append(
            f'<li class="liptako-event" data-kind="{html.escape(kind)}" style="border-left:4px solid {color};'
            f'padding:2px 6px;margin:0 0 5px 0;list-style:none">{html.escape(text)}'
            f'<br><code style="font-size:11px;color:#555">{html.escape(clause)}</code></li>'
        )
    if not items:
        items.append('<li style="list-style:none;color:#777">Nothing has happened yet: press STEP or ▶.</li>')
    return (f'<div style="font-size:13px;line-height:1.3"><div class="liptako-feed-count" style="color:#555">'
            f'{len(rows)} events so far (newest first)</div><ul style="padding:0;margin:4px 0 0 0">'
            + "".join(items) + "</ul></div>")


def _date_text(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def _image(data: bytes) -> solara.Element:
    return solara.Image(data, format="png", width="100%")


# --- the components -------------------------------------------------------------------------------------


@solara.component
def LessonPanel(model: LiptakoModel) -> solara.Element:
    """The week and date in large type, the lesson's text and questions, and what the switches did."""
    update_counter.get()
    m = model
    entry = getattr(m, "entry", None)
    lesson = entry.lesson if entry is not None else m.spec.lesson
    title = lesson.title if lesson is not None else m.spec.name
    text = lesson.text if lesson is not None else m.spec.description
    questions = lesson.questions if lesson is not None else []
    applied = getattr(m, "applied", None)
    notes = (applied.changed + applied.no_effect) if applied is not None else []
    end = "" if m.running else " · the scenario has ended"
    parts = [
        f'<div class="liptako-clock" style="font-size:26px;font-weight:600;line-height:1.2">Week {m.week}'
        f' <span style="font-weight:400;color:#555">of {m.n_weeks}</span></div>',
        f'<div class="liptako-date" style="font-size:18px;color:#333">{_date_text(m.date)}{end}</div>',
        f'<h3 style="margin:10px 0 4px 0">{html.escape(title)}</h3>',
        f'<p style="margin:0 0 6px 0">{html.escape(text)}</p>',
    ]
    if questions:
        parts.append("<b>Ask the class</b><ol style='margin:2px 0 6px 18px;padding:0'>"
                     + "".join(f"<li>{html.escape(q)}</li>" for q in questions) + "</ol>")
    parts.append(f'<div style="font-size:12px;color:#555">Seed {m.seed}. '
                 + (" ".join(html.escape(n) for n in notes) if notes else "No counterfactual switch is on.")
                 + " Change the lesson or a switch in the sidebar, then press RESET.</div>")
    with solara.Card(style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML="".join(parts))
    return card


@solara.component
def MapPanel(model: LiptakoModel) -> solara.Element:
    """The region: fill = regime, outline and hatching = posture in the crises of the moment."""
    update_counter.get()
    with solara.Card("Map: regime and posture", style={"height": "100%", "overflow": "auto"}) as card:
        _image(render_map(map_signature(model)))
    return card


@solara.component
def NetworkPanel(model: LiptakoModel) -> solara.Element:
    """Blocs, memberships, defence pacts and promises, and each bloc's measures against its targets."""
    update_counter.get()
    with solara.Card("Alliances and memberships", style={"height": "100%", "overflow": "auto"}) as card:
        _image(render_network(network_signature(model)))
    return card


@solara.component
def LadderPanel(model: LiptakoModel) -> solara.Element:
    """Each bloc's rung on the escalation ladder toward each target."""
    update_counter.get()
    with solara.Card("Escalation ladder", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=ladder_html(ladder_signature(model)),
                    classes=["liptako-ladder"])
    return card


@solara.component
def ForcesPanel(model: LiptakoModel) -> solara.Element:
    """Forces and armed-group strength over time."""
    update_counter.get()
    with solara.Card("Forces over time", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=forces_svg(forces_signature(model)))
    return card


@solara.component
def EventFeed(model: LiptakoModel) -> solara.Element:
    """What happened, in plain language, with the clause or rule behind each event."""
    update_counter.get()
    with solara.Card("What happened", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=feed_html(model.log.rows), classes=["liptako-feed"])
    return card


# (component, page) pairs in the order SolaraViz lays them out: two columns, top to bottom.
COMPONENTS = [(LessonPanel, 0), (MapPanel, 0), (LadderPanel, 0), (NetworkPanel, 0), (EventFeed, 0),
              (ForcesPanel, 0)]
