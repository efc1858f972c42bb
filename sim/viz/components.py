"""The page's panels: lesson and clock, map, alliance network, escalation ladder, forces, event feed.

Each panel is a Solara component of the model that re-renders when Mesa's ``update_counter`` moves
(after a step or a reset). Figures are drawn by pure functions of a small hashable *signature* of the
model's state (``*_signature`` below) and cached by it, so a panel whose picture did not change this
week costs a dictionary look-up; the benchmark (``benchmarks/bench_viz.py``) measures both that and
the worst case with every figure drawn afresh.

The panels only read the model's World (``states``, ``blocs``, ``crises``, ``wars``, ``treaties``,
``log.rows``) and its recorder; they never change them.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import solara
from mesa.visualization.utils import update_counter

from sim.enums import ClauseKind, Obligation, Regime, Rung, TriggerEvent

if TYPE_CHECKING:
    from sim.model import LiptakoModel
    from sim.world import World

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


def _open_crises(m: World) -> list[Any]:
    return [c for c in m.crises.values() if c.closed_week is None]


def postures(m: World) -> dict[str, str]:
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


def map_signature(m: World) -> tuple[tuple[str, str, str], ...]:
    """(state, regime, posture) for every state: all the map depends on."""
    p = postures(m)
    return tuple((sid, str(s.regime.value), p.get(sid, "")) for sid, s in sorted(m.states.items()))


def network_signature(m: World) -> tuple[Any, ...]:
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


def ladder_signature(m: World) -> tuple[tuple[str, str, int, int, int | None], ...]:
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
                out[var].append((m.world.name(actor), pts))
    # The week axis grows with the run, a quarter (13 weeks) at a time, up to the scenario's end.
    x_max = min(m.world.n_weeks, max(26, 13 * math.ceil(m.world.week / 13)))
    return (x_max, *(tuple(out[v]) for v in FORCE_VARIABLES))


# --- figures ------------------------------------------------------------------------------------------


# Map and network are SVG drawn by hand: a few milliseconds a week instead of the ~100 ms of a
# matplotlib figure, crisp on a projector at any size. The outlines are sim.geo's (Natural Earth).
MAP_W, MAP_H = 640.0, 310.0
SEA, LAND = "#e8f1f8", "#e6e6e6"


def _halo(x: float, y: float, text: str, size: float, anchor: str = "middle", weight: str = "400") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" paint-order="stroke" stroke="white" stroke-width="3" '
            f'stroke-opacity="0.8">{html.escape(text)}</text>')


@lru_cache(maxsize=1)
def _projection() -> tuple[float, float, float, float, float]:
    """(lon0, lat1, scale x, scale y, height): equirectangular, aspect corrected at the centre latitude."""
    from sim.geo import WEST_AFRICA_EXTENT

    lon0, lon1, lat0, lat1 = WEST_AFRICA_EXTENT
    kx = MAP_W / (lon1 - lon0)
    ky = kx / math.cos(math.radians((lat0 + lat1) / 2))
    return lon0, lat1, kx, ky, (lat1 - lat0) * ky


def _xy(lon: float, lat: float) -> tuple[float, float]:
    lon0, lat1, kx, ky, _h = _projection()
    return (lon - lon0) * kx, (lat1 - lat) * ky


@lru_cache(maxsize=1)
def _country_paths() -> dict[str, str]:
    """ISO3 -> SVG path data of the country's polygons (drawn once, reused every week)."""
    from sim.geo import load_outlines

    out = {}
    for iso3, polys in load_outlines().items():
        parts = []
        for poly in polys:
            pts = [_xy(float(lon), float(lat)) for lon, lat in poly]
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        out[iso3] = "".join(parts)
    return out


def _hatch_defs() -> str:
    defs = []
    for key, (_label, color, hatch) in POSTURES.items():
        lines = {"xx": '<path d="M0,0 L6,6 M6,0 L0,6"', "//": '<path d="M0,6 L6,0"',
                 "\\\\": '<path d="M0,0 L6,6"', "..": '<circle cx="3" cy="3" r="1"'}[hatch]
        defs.append(f'<pattern id="hatch-{key}" width="6" height="6" patternUnits="userSpaceOnUse">'
                    f'{lines} stroke="{color}" fill="{color}" stroke-width="1.2"/></pattern>')
    return "<defs>" + "".join(defs) + "</defs>"


@lru_cache(maxsize=128)
def render_map(sig: tuple[tuple[str, str, str], ...]) -> str:
    """The region as SVG: each state filled by its regime, hatched and outlined by its posture."""
    from sim.geo import label_points

    paths = _country_paths()
    h = _projection()[4]
    out = [f'<svg class="liptako-map" viewBox="0 0 {MAP_W:.0f} {h:.0f}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">', _hatch_defs(),
           f'<clipPath id="map-clip"><rect width="{MAP_W:.0f}" height="{h:.0f}"/></clipPath>',
           f'<rect width="{MAP_W:.0f}" height="{h:.0f}" fill="{SEA}"/><g clip-path="url(#map-clip)">']
    regimes = {sid: regime for sid, regime, _ in sig}
    for iso3, d in sorted(paths.items()):
        fill = REGIME_COLORS.get(regimes.get(iso3, ""), LAND)
        out.append(f'<path d="{d}" fill="{fill}" stroke="#595959" stroke-width="0.6"/>')
    for sid, _regime, post in sig:
        if post and sid in paths:
            color = POSTURES[post][1]
            out.append(f'<path class="posture" data-state="{sid}" data-posture="{post}" d="{paths[sid]}" '
                       f'fill="url(#hatch-{post})" stroke="{color}" stroke-width="2"/>')
    out.append("</g>")
    pts = label_points()
    for sid, *_r in sig:
        if sid in pts:
            x, y = _xy(*pts[sid])
            if 0 < x < MAP_W and 0 < y < h:
                out.append(_halo(x, y + 3, sid, 9))
    # legend in a strip under the map: regimes, then postures, wrapping as needed
    items = [(f'fill="{REGIME_COLORS[r]}" stroke="#595959"', r)
             for r in REGIME_COLORS if r in regimes.values()]
    items += [(f'fill="url(#hatch-{k})" stroke="{POSTURES[k][1]}" stroke-width="1.5"', POSTURES[k][0])
              for k in POSTURES if any(p == k for *_r, p in sig)]
    x, y = 6.0, h + 14
    for style, label in items:
        width = 5.6 * len(label) + 30
        if x + width > MAP_W and x > 6:
            x, y = 6.0, y + 16
        out.append(f'<rect x="{x:.0f}" y="{y - 9:.0f}" width="14" height="10" {style}/>'
                   f'<text x="{x + 19:.0f}" y="{y:.0f}" font-size="10">{html.escape(label)}</text>')
        x += width
    out[0] = out[0].replace(f'viewBox="0 0 {MAP_W:.0f} {h:.0f}"', f'viewBox="0 0 {MAP_W:.0f} {y + 6:.0f}"')
    out.append("</svg>")
    return "".join(out)


def _positions(states: Sequence[tuple[str, str, str, float, float]],
               blocs: Sequence[tuple[str, str, tuple[str, ...], tuple[str, ...]]]
               ) -> dict[str, tuple[float, float]]:
    """Drawing positions (x right, y down): states at their capitals (on a circle if the scenario has no
    coordinates), blocs in a row above them."""
    pos: dict[str, tuple[float, float]] = {}
    if any(lon or lat for _, _, _, lon, lat in states):
        for sid, _, _, lon, lat in states:
            pos[sid] = (lon, -lat)
    else:
        n = max(1, len(states))
        for i, (sid, *_rest) in enumerate(states):
            a = 2 * math.pi * i / n
            pos[sid] = (10 * math.cos(a), 10 * math.sin(a))
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    span = max(ys) - min(ys) + 1
    for i, (bid, *_rest) in enumerate(blocs):  # spread along the top, every other one a little higher
        x = min(xs) + (max(xs) - min(xs)) * (i + 0.5) / max(1, len(blocs))
        pos[bid] = (x, min(ys) - 0.3 * span - 0.1 * span * (i % 2))
    return pos


@lru_cache(maxsize=128)
def render_network(sig: tuple[Any, ...]) -> str:
    """Blocs and their members, defence pacts and promises, each bloc's measures against its targets and
    wars, as SVG. States sit at their capitals, so the picture reads like the map."""
    states, blocs, pacts, promises, crises, wars = sig
    raw = _positions(states, blocs)
    W, H, pad, legend_h = 640.0, 360.0, 34.0, 62.0
    xs = [p[0] for p in raw.values()] or [0.0]
    ys = [p[1] for p in raw.values()] or [0.0]
    kx = (W - 2 * pad) / max(1e-9, max(xs) - min(xs))
    ky = (H - 2 * pad - legend_h) / max(1e-9, max(ys) - min(ys))
    pos = {k: (pad + (x - min(xs)) * kx, pad + (y - min(ys)) * ky) for k, (x, y) in raw.items()}
    colors = {bid: BLOC_COLORS[i % len(BLOC_COLORS)] for i, (bid, *_r) in enumerate(blocs)}
    marker_colors = {POSTURES["defending"][1], "#d7191c", *RUNG_COLORS}
    defs = "".join(f'<marker id="arrow-{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
                   f'markerHeight="5" orient="auto-start-reverse">'
                   f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>' for c in sorted(marker_colors))
    out = [f'<svg class="liptako-network" viewBox="0 0 {W:.0f} {H:.0f}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif"><defs>{defs}</defs>']

    def line(a: str, b: str, color: str, width: float, extra: str = "") -> None:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}" '
                   f'stroke-width="{width:.1f}" {extra}/>')

    def arrow(a: str, b: str, color: str, width: float, bend: float, cls: str) -> None:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / d, (y2 - y1) / d
        x1, y1, x2, y2 = x1 + 10 * ux, y1 + 10 * uy, x2 - 10 * ux, y2 - 10 * uy  # stop short of the nodes
        cx, cy = (x1 + x2) / 2 - bend * d * uy, (y1 + y2) / 2 + bend * d * ux
        out.append(f'<path class="{cls}" d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" '
                   f'fill="none" stroke="{color}" stroke-width="{width:.1f}" '
                   f'marker-end="url(#arrow-{color[1:]})"/>')

    for bid, _name, members, suspended in blocs:  # membership: thin lines, dashed when suspended
        for s_ in members:
            if s_ in pos:
                dash = 'stroke-dasharray="4 3"' if s_ in suspended else ""
                line(bid, s_, colors[bid], 0.8, f'stroke-opacity="0.35" {dash}')
    for bid, _article, parties, b in pacts:  # mutual-defence pacts: thick links among the parties
        for i, a in enumerate(parties):
            for c in parties[i + 1:]:
                if a in pos and c in pos:
                    line(a, c, colors.get(bid, "#333"), 1.5 + 4.0 * b,
                         'stroke-opacity="0.75" stroke-linecap="round"')
    for ally, protected, b in promises:  # promises to defend a target
        if ally in pos and protected in pos:
            arrow(ally, protected, POSTURES["defending"][1], 1.0 + 2.5 * b, 0.15, "promise")
    for bid, target, rung in crises:  # a bloc's measures against its target, coloured by rung
        if bid in pos and target in pos and rung > 0:
            arrow(bid, target, RUNG_COLORS[rung], 1.0 + 0.6 * rung, 0.0, "measure")
    for _bid, target, attackers, _defenders in wars:
        for a in attackers:
            if a in pos and target in pos:
                line(a, target, "#d7191c", 4.0)
    for sid, name, regime, *_r in states:
        x, y = pos[sid]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{REGIME_COLORS.get(regime, "#ccc")}" '
                   f'stroke="#333" stroke-width="0.8"><title>{html.escape(name)}</title></circle>')
        out.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="7.5" text-anchor="middle">{sid}</text>')
    for bid, name, members, _s in blocs:
        x, y = pos[bid]
        label = f"{name if len(name) <= 10 else bid.upper().replace('_', ' ')} ({len(members)})"
        w = 7.0 * len(label) + 10
        out.append(f'<rect x="{x - w / 2:.1f}" y="{y - 10:.1f}" width="{w:.1f}" height="19" rx="5" '
                   f'fill="{colors[bid]}"/><text x="{x:.1f}" y="{y + 4:.1f}" font-size="11" fill="white" '
                   f'font-weight="600" text-anchor="middle">{html.escape(label)}</text>')
    legend = [("#777", 1, "4 3", "member (dashed: suspended)"), ("#555", 5, "", "mutual-defence pact"),
              (POSTURES["defending"][1], 2.5, "", "promise to defend the target (arrow)"),
              (RUNG_COLORS[4], 3, "", "bloc's measures against the target (arrow, by rung)")]
    for i, (color, width, dash, text) in enumerate(legend):
        y = H - legend_h + 8 + 14 * i
        out.append(f'<line x1="8" x2="30" y1="{y:.0f}" y2="{y:.0f}" stroke="{color}" stroke-width="{width}" '
                   f'stroke-dasharray="{dash}"/><text x="36" y="{y + 4:.0f}" font-size="10">{text}</text>')
    out.append("</svg>")
    return "".join(out)


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


# --- the components -------------------------------------------------------------------------------------


@solara.component
def LessonPanel(model: LiptakoModel) -> solara.Element:
    """The week and date in large type, the lesson's text and questions, and what the switches did."""
    update_counter.get()
    m = model
    w = m.world
    entry = getattr(m, "entry", None)
    lesson = entry.lesson if entry is not None else m.spec.lesson
    title = lesson.title if lesson is not None else m.spec.name
    text = lesson.text if lesson is not None else m.spec.description
    questions = lesson.questions if lesson is not None else []
    applied = getattr(m, "applied", None)
    notes = (applied.changed + applied.no_effect) if applied is not None else []
    end = "" if m.running else " · the scenario has ended"
    parts = [
        f'<div class="liptako-clock" style="font-size:26px;font-weight:600;line-height:1.2">Week {w.week}'
        f' <span style="font-weight:400;color:#555">of {w.n_weeks}</span></div>',
        f'<div class="liptako-date" style="font-size:18px;color:#333">{_date_text(w.date)}{end}</div>',
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
        solara.HTML(tag="div", unsafe_innerHTML=render_map(map_signature(model.world)), classes=["liptako-map"])
    return card


@solara.component
def NetworkPanel(model: LiptakoModel) -> solara.Element:
    """Blocs, memberships, defence pacts and promises, and each bloc's measures against its targets."""
    update_counter.get()
    with solara.Card("Alliances and memberships", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=render_network(network_signature(model.world)),
                    classes=["liptako-network"])
    return card


@solara.component
def LadderPanel(model: LiptakoModel) -> solara.Element:
    """Each bloc's rung on the escalation ladder toward each target."""
    update_counter.get()
    with solara.Card("Escalation ladder", style={"height": "100%", "overflow": "auto"}) as card:
        solara.HTML(tag="div", unsafe_innerHTML=ladder_html(ladder_signature(model.world)),
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
        solara.HTML(tag="div", unsafe_innerHTML=feed_html(model.world.log.rows), classes=["liptako-feed"])
    return card


# (component, page) pairs in the order SolaraViz lays them out: two columns, top to bottom.
COMPONENTS = [(LessonPanel, 0), (MapPanel, 0), (LadderPanel, 0), (NetworkPanel, 0), (EventFeed, 0),
              (ForcesPanel, 0)]
