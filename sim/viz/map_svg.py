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

__all__ = ["MAP_W", "POSTURES", "View", "halo", "region_view", "render_map"]

# Posture of a state in the crises of the moment, strongest first: (label, edge colour, hatch).
POSTURES: dict[str, tuple[str, str, str]] = {
    "target": ("target of a bloc's measures", POSTURE_COLORS["target"], "xx"),
    "intervening": ("troops pledged or sent against the target", POSTURE_COLORS["intervening"], "//"),
    "defending": ("promised to defend the target", POSTURE_COLORS["defending"], "\\\\"),
    "sanctioning": ("imposing sanctions", POSTURE_COLORS["sanctioning"], ".."),
}

MAP_W = 520.0  # drawing units across; the card shows the map at its width (about 430 px at 1280x720,
# 500 px at 1920x1080), so text of 15 units reads at 12-14 px
LABEL_SIZE = 15.0
# Names too long for a small country on the map.
SHORT_NAMES = {"Central African Republic": "C. African Rep.", "Democratic Republic of the Congo": "DR Congo",
               "Equatorial Guinea": "Eq. Guinea"}
View = tuple[float, float, float, float]  # lon0, lon1, lat0, lat1


def halo(x: float, y: float, text: str, size: float, anchor: str = "middle", weight: str = "400") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" paint-order="stroke" stroke="white" stroke-width="3.5" '
            f'stroke-opacity="0.9">{html.escape(text)}</text>')


def region_view(states: list[str], min_lon: float = 12.0, min_lat: float = 7.5, aspect: float = 1.45) -> View:
    """The extent around ``states``' outlines (the lesson's region): padded, at least ``min_lon`` by
    ``min_lat`` degrees, widened or heightened to about ``aspect`` (width/height on the page), inside
    the region of :data:`sim.geo.WEST_AFRICA_EXTENT`. No states: the whole region."""
    from sim.geo import WEST_AFRICA_EXTENT, load_outlines

    W0, W1, S0, S1 = WEST_AFRICA_EXTENT
    outlines = load_outlines()
    pts = [(float(lon), float(lat)) for sid in states for poly in outlines.get(sid, []) for lon, lat in poly]
    if not pts:
        return W0, W1, S0, S1
    lon0, lon1 = min(p[0] for p in pts) - 1.5, max(p[0] for p in pts) + 1.5
    lat0, lat1 = min(p[1] for p in pts) - 1.0, max(p[1] for p in pts) + 1.0
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    w, h = max(lon1 - lon0, min_lon), max(lat1 - lat0, min_lat)
    k = math.cos(math.radians(cy))
    if w * k / h < aspect:
        w = h * aspect / k
    else:
        h = w * k / aspect
    w, h = min(w, W1 - W0), min(h, S1 - S0)
    cx = min(max(cx, W0 + w / 2), W1 - w / 2)
    cy = min(max(cy, S0 + h / 2), S1 - h / 2)
    return (round(cx - w / 2, 2), round(cx + w / 2, 2), round(cy - h / 2, 2), round(cy + h / 2, 2))


@lru_cache(maxsize=8)
def _projection(view: View) -> tuple[float, float, float, float, float]:
    """(lon0, lat1, scale x, scale y, height): equirectangular, aspect corrected at the centre latitude."""
    lon0, lon1, lat0, lat1 = view
    kx = MAP_W / (lon1 - lon0)
    ky = kx / math.cos(math.radians((lat0 + lat1) / 2))
    return lon0, lat1, kx, ky, (lat1 - lat0) * ky


def _xy(view: View, lon: float, lat: float) -> tuple[float, float]:
    lon0, lat1, kx, ky, _h = _projection(view)
    return (lon - lon0) * kx, (lat1 - lat) * ky


@lru_cache(maxsize=8)
def _country_paths(view: View) -> dict[str, str]:
    """ISO3 -> SVG path data of the country's polygons (drawn once per view, reused every week)."""
    from sim.geo import load_outlines

    out = {}
    for iso3, polys in load_outlines().items():
        parts = []
        for poly in polys:
            pts = [_xy(view, float(lon), float(lat)) for lon, lat in poly]
            parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        out[iso3] = "".join(parts)
    return out


def _hatch_defs() -> str:
    defs = []
    for key, (_label, color, hatch) in POSTURES.items():
        lines = {"xx": '<path d="M0,0 L7,7 M7,0 L0,7"', "//": '<path d="M0,7 L7,0"',
                 "\\\\": '<path d="M0,0 L7,7"', "..": '<circle cx="3.5" cy="3.5" r="1.4"'}[hatch]
        defs.append(f'<pattern id="hatch-{key}" width="7" height="7" patternUnits="userSpaceOnUse">'
                    f'{lines} stroke="{color}" fill="{color}" stroke-width="1.4"/></pattern>')
    return "<defs>" + "".join(defs) + "</defs>"


def _legend(items: list[tuple[str, str]], y: float, size: float = 15.0) -> tuple[list[str], float]:
    """Legend entries (swatch style, label), wrapped to the map's width; returns the SVG and the last line's y."""
    out, x = [], 6.0
    for style, label in items:
        width = 0.55 * size * len(label) + 32
        if x + width > MAP_W and x > 6:
            x, y = 6.0, y + size + 7
        out.append(f'<rect x="{x:.0f}" y="{y - size + 2:.0f}" width="18" height="{size:.0f}" {style}/>'
                   f'<text x="{x + 23:.0f}" y="{y:.0f}" font-size="{size}">{html.escape(label)}</text>')
        x += width
    return out, y


@lru_cache(maxsize=128)
def render_map(sig: tuple[tuple[str, str, str, str], ...], view: View) -> str:
    """The lesson's region as SVG: each state filled by its regime, hatched and outlined by its posture,
    labelled by name; a legend of every regime and posture under it. ``sig``: (state, name, regime,
    posture) per state."""
    from sim.geo import label_points

    paths = _country_paths(view)
    h = _projection(view)[4]
    out = [f'<svg class="liptako-map" viewBox="0 0 {MAP_W:.0f} {h:.0f}" width="100%" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">', _hatch_defs(),
           f'<clipPath id="map-clip"><rect width="{MAP_W:.0f}" height="{h:.0f}"/></clipPath>',
           f'<rect width="{MAP_W:.0f}" height="{h:.0f}" fill="{SEA}"/><g clip-path="url(#map-clip)">']
    regimes = {sid: regime for sid, _n, regime, _p in sig}
    for iso3, d in sorted(paths.items()):
        fill = REGIME_COLORS.get(regimes.get(iso3, ""), LAND)
        out.append(f'<path d="{d}" fill="{fill}" stroke="#595959" stroke-width="0.7"/>')
    for sid, _n, _regime, post in sig:
        if post and sid in paths:
            color = POSTURES[post][1]
            out.append(f'<path class="posture" data-state="{sid}" data-posture="{post}" d="{paths[sid]}" '
                       f'fill="url(#hatch-{post})" stroke="{color}" stroke-width="2.5"/>')
    out.append("</g>")
    pts = label_points()
    for sid, name, *_r in sig:
        if sid in pts:
            x, y = _xy(view, *pts[sid])
            label = SHORT_NAMES.get(name, name)
            half = 0.28 * LABEL_SIZE * len(label)
            if 0 < y < h and -half * 0.5 < x < MAP_W + half * 0.5:
                x = min(max(x, half + 2), MAP_W - half - 2)  # keep the whole name inside the map
                out.append(halo(x, y + 4, label, LABEL_SIZE).replace("<text ", '<text class="map-label" ', 1))
    # the legend lists every regime and every posture, drawn or not, so its entries never change
    items = [(f'fill="{REGIME_COLORS[r]}" stroke="#595959"', f"{r} government") for r in REGIME_COLORS]
    items.append((f'fill="{LAND}" stroke="#595959"', "not in the lesson"))
    items += [(f'fill="url(#hatch-{k})" stroke="{POSTURES[k][1]}" stroke-width="2"', POSTURES[k][0])
              for k in POSTURES]
    legend, y = _legend(items, h + 20)
    out += legend
    out[0] = out[0].replace(f'viewBox="0 0 {MAP_W:.0f} {h:.0f}"', f'viewBox="0 0 {MAP_W:.0f} {y + 8:.0f}"')
    out.append("</svg>")
    return "".join(out)
