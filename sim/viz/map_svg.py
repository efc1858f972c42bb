"""The page's map: the region as SVG, each state filled by its regime and hatched by its posture.

Drawn by hand rather than with matplotlib: a few milliseconds a week instead of ~100 ms, crisp on a
projector at any size. The outlines and label points are :mod:`sim.geo`'s (Natural Earth); the colours
are :mod:`sim.palette`'s, the same as the paper figures'.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

from sim.palette import LAND, POSTURE_COLORS, REGIME_COLORS, SEA

__all__ = ["MAP_H", "MAP_W", "POSTURES", "halo", "render_map"]

# Posture of a state in the crises of the moment, strongest first: (label, edge colour, hatch).
POSTURES: dict[str, tuple[str, str, str]] = {
    "target": ("target of a bloc's measures", POSTURE_COLORS["target"], "xx"),
    "intervening": ("troops pledged or sent against the target", POSTURE_COLORS["intervening"], "//"),
    "defending": ("promised to defend the target", POSTURE_COLORS["defending"], "\\\\"),
    "sanctioning": ("imposing sanctions", POSTURE_COLORS["sanctioning"], ".."),
}

MAP_W, MAP_H = 640.0, 310.0


def halo(x: float, y: float, text: str, size: float, anchor: str = "middle", weight: str = "400") -> str:
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
                out.append(halo(x, y + 3, sid, 9))
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
