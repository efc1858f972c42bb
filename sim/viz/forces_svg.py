"""The page's forces chart as SVG: troops abroad, foreign troops and personnel (top), armed groups'
fighters (bottom), week by week, in thousands of persons."""

from __future__ import annotations

import html
import math
from functools import lru_cache
from typing import Any

from sim.palette import SERIES_COLORS

__all__ = ["forces_svg"]


def _nice_max(v: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above ``v`` (an axis top)."""
    if v <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(v))
    return next(m * k for m in (1, 2, 2.5, 5, 10) if m * k >= v)


def _svg_panel(y0: float, title: str, series: list[tuple[str, str, str, tuple[tuple[int, float], ...]]],
               x_max: int, empty: str, w: float = 520, h: float = 200) -> str:
    """One panel of the forces chart: polylines of (week, value) in thousands, a legend above the plot
    (wrapping to as many lines as it needs), a y axis from 0 to a round number and weeks on x."""
    left, right, bottom = 40.0, 8.0, 22.0
    legend, lx, row = [], 0.0, 0
    for name, color, dash, _pts in series:
        width = 7.6 * len(name) + 28
        if lx + width > w - left - right and lx > 0:
            lx, row = 0.0, row + 1
        legend.append((left + lx, y0 + 36 + 17 * row, name, color, dash))
        lx += width
    top = 26.0 + 17 * (row + 1 if series else 0)
    pw, ph = w - left - right, h - top - bottom
    ymax = _nice_max(max((v for *_x, pts in series for _, v in pts), default=0.0) / 1000)
    xw = max(1, x_max)

    def x(week: float) -> float:
        return left + pw * week / xw

    def y(val: float) -> float:
        return y0 + top + ph * (1 - val / 1000 / ymax)

    out = [f'<text x="{left - 36}" y="{y0 + 17}" font-size="15" font-weight="600">{html.escape(title)}</text>',
           f'<rect x="{left}" y="{y0 + top}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for frac in (0.0, 0.5, 1.0):
        yy = y0 + top + ph * (1 - frac)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" font-size="13" text-anchor="end">'
                   f'{ymax * frac:g}</text>')
    tick = 13 * max(1, round(xw / 4 / 13))  # a whole number of quarter-years, about four ticks
    for wk in range(0, xw + 1, tick):
        out.append(f'<text x="{x(wk):.1f}" y="{y0 + h - 5}" font-size="13" text-anchor="middle">{wk}</text>')
    if not series:
        out.append(f'<text x="{left + pw / 2}" y="{y0 + top + ph / 2 + 4}" font-size="14" fill="#555" '
                   f'text-anchor="middle">{html.escape(empty)}</text>')
    for (name, color, dash, pts), (lx_, ly, *_r) in zip(series, legend, strict=True):
        path = " ".join(f"{x(wk):.1f},{y(v):.1f}" for wk, v in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" '
                   f'stroke-dasharray="{dash}"/>')
        out.append(f'<line x1="{lx_:.0f}" x2="{lx_ + 16:.0f}" y1="{ly - 4}" y2="{ly - 4}" stroke="{color}" '
                   f'stroke-width="2" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{lx_ + 20:.0f}" y="{ly}" font-size="13.5">{html.escape(name)}</text>')
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
            + _svg_panel(200, "Armed groups' fighters (thousand persons)", bottom, x_max,
                         "No armed groups in this scenario."))
    return ('<svg class="liptako-forces" viewBox="0 0 520 416" width="100%" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">{body}'
            '<text x="516" y="414" font-size="13" text-anchor="end">week</text></svg>')
