"""The page's alliance network as SVG: blocs and their members, defence pacts and promises, each bloc's
measures against its targets, and wars, with the states at their capitals so that it reads like the map.
Colours are :mod:`sim.palette`'s, the same as the paper figures' network."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sim.palette import MUTUAL_DEFENCE_COLOR, REGIME_COLORS, RUNG_COLORS, WAR_COLOR, bloc_colors
from sim.viz.map_svg import POSTURES

__all__ = ["NETWORK_NAMES", "render_network"]

# Short names where the full one would crowd its neighbours at the capitals' positions.
NETWORK_NAMES = {"Burkina Faso": "Burkina", "Guinea-Bissau": "G.-Bissau", "The Gambia": "Gambia",
                 "Sierra Leone": "S. Leone", "Côte d'Ivoire": "Côte d'Iv.", "Central African Republic": "CAR"}


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
    W, H, pad, legend_h = 520.0, 500.0, 44.0, 124.0
    xs = [p[0] for p in raw.values()] or [0.0]
    ys = [p[1] for p in raw.values()] or [0.0]
    kx = (W - 2 * pad) / max(1e-9, max(xs) - min(xs))
    ky = (H - 2 * pad - legend_h) / max(1e-9, max(ys) - min(ys))
    pos = {k: (pad + (x - min(xs)) * kx, pad + (y - min(ys)) * ky) for k, (x, y) in raw.items()}
    colors = bloc_colors(bid for bid, *_r in blocs)
    marker_colors = {POSTURES["defending"][1], WAR_COLOR, *RUNG_COLORS}
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
    for _bid, _article, parties, b in pacts:  # mutual-defence pacts: thick links among the parties
        for i, a in enumerate(parties):
            for c in parties[i + 1:]:
                if a in pos and c in pos:
                    line(a, c, MUTUAL_DEFENCE_COLOR, 1.5 + 4.0 * b,
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
                line(a, target, WAR_COLOR, 4.0)
    for sid, name, regime, *_r in states:
        x, y = pos[sid]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{REGIME_COLORS.get(regime, "#ccc")}" '
                   f'stroke="#333" stroke-width="0.8"><title>{html.escape(name)}</title></circle>')
        label = html.escape(NETWORK_NAMES.get(name, name))
        out.append(f'<text class="net-label" x="{x:.1f}" y="{y + 21:.1f}" font-size="14" text-anchor="middle" '
                   f'paint-order="stroke" stroke="white" stroke-width="3" stroke-opacity="0.9">{label}</text>')
    for bid, name, members, _s in blocs:
        x, y = pos[bid]
        label = f"{name if len(name) <= 10 else bid.upper().replace('_', ' ')} ({len(members)})"
        w = 8.0 * len(label) + 12
        x = min(max(x, w / 2 + 2), W - w / 2 - 2)
        out.append(f'<rect x="{x - w / 2:.1f}" y="{y - 11:.1f}" width="{w:.1f}" height="21" rx="5" '
                   f'fill="{colors[bid]}"/><text x="{x:.1f}" y="{y + 4:.1f}" font-size="13.5" fill="white" '
                   f'font-weight="700" text-anchor="middle" paint-order="stroke" stroke="#222" '
                   f'stroke-width="1.5">{html.escape(label)}</text>')
    legend = [("#777", 1, "4 3", "member (dashed: suspended)"), (MUTUAL_DEFENCE_COLOR, 5, "", "mutual-defence pact"),
              (POSTURES["defending"][1], 2.5, "", "promise to defend the target (arrow)"),
              (RUNG_COLORS[4], 3, "", "bloc's measures against the target (arrow, by rung)"),
              (WAR_COLOR, 4, "", "at war (attacker to target)")]
    for i, (color, width, dash, text) in enumerate(legend):
        y = H - legend_h + 8 + 19 * i
        out.append(f'<line x1="8" x2="34" y1="{y:.0f}" y2="{y:.0f}" stroke="{color}" stroke-width="{width}" '
                   f'stroke-dasharray="{dash}"/><text class="legend" x="40" y="{y + 4:.0f}" '
                   f'font-size="14">{text}</text>')
    y = H - legend_h + 8 + 19 * len(legend)
    out.append(f'<circle cx="21" cy="{y:.0f}" r="6" fill="{REGIME_COLORS["civilian"]}" stroke="#333"/>'
               f'<text class="legend-note" x="40" y="{y + 4:.0f}" font-size="14">a state, filled by who governs '
               "(as on the map); boxes: blocs (members)</text>")
    out.append("</svg>")
    return "".join(out)
