"""Country outlines of West and Central Africa, and a map of the region coloured by a value per state.

The outlines are Natural Earth 1:50m Admin-0 boundaries (public domain), taken from the npm package
``world-atlas`` 2.0.2 and converted once by ``scripts/convert_world_atlas.py``; see ``sim/data/README.md``.
Coordinates are longitude/latitude in degrees; the map uses a plain equirectangular projection with the
aspect corrected at the centre latitude, which is close enough for a region of this size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Colormap, Normalize
from matplotlib.patches import Patch

from sim.palette import SEA

__all__ = [
    "WEST_AFRICA_EXTENT",
    "country_names",
    "draw_map",
    "draw_map_categories",
    "label_points",
    "load_outlines",
]

DATA_FILE = "west_africa.geojson"
# lon_min, lon_max, lat_min, lat_max (degrees): ECOWAS, the AES, Chad and their near neighbours
WEST_AFRICA_EXTENT: tuple[float, float, float, float] = (-25.5, 25.0, 3.0, 26.5)


@lru_cache(maxsize=1)
def _features() -> tuple[dict[str, Any], ...]:
    text = resources.files("sim").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    return tuple(json.loads(text)["features"])


def load_outlines() -> dict[str, list[np.ndarray]]:
    """Every country in the file: ISO 3166-1 alpha-3 code -> its polygons.

    Each polygon is the exterior ring as an ``(n, 2)`` float array of (longitude, latitude) in degrees,
    first point repeated at the end. (No country of the region has a hole at this scale.)
    The arrays are fresh copies: callers may change them.
    """
    out: dict[str, list[np.ndarray]] = {}
    for f in _features():
        iso3 = f["properties"]["iso3"]
        out[iso3] = [np.array(poly[0], dtype=float) for poly in f["geometry"]["coordinates"]]
    return out


def country_names() -> dict[str, str]:
    """ISO alpha-3 code -> the short Natural Earth name (e.g. ``"CAF": "Central African Rep."``)."""
    return {f["properties"]["iso3"]: f["properties"]["name"] for f in _features()}


def _ring_area_centroid(r: np.ndarray) -> tuple[float, float, float]:
    x, y = r[:, 0], r[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    a = 0.5 * float(cross.sum())
    if a == 0.0:
        return 0.0, float(x.mean()), float(y.mean())
    cx = float(((x[:-1] + x[1:]) * cross).sum()) / (6 * a)
    cy = float(((y[:-1] + y[1:]) * cross).sum()) / (6 * a)
    return abs(a), cx, cy


# Where the area centroid sits badly for a label (coastal slivers), a hand-placed point (lon, lat).
_LABEL_AT = {"GMB": (-15.3, 13.45), "GNB": (-14.9, 12.0), "TGO": (1.0, 8.6), "BEN": (2.3, 9.6)}


def label_points() -> dict[str, tuple[float, float]]:
    """A point inside each country for its label: the centroid of its largest polygon."""
    out = {}
    for iso3, polys in load_outlines().items():
        best = max((_ring_area_centroid(p) for p in polys), key=lambda t: t[0])
        out[iso3] = _LABEL_AT.get(iso3, (best[1], best[2]))
    return out


def _draw(ax: Axes, facecolors: Mapping[str, Any], *, extent: tuple[float, float, float, float],
          background: str, edgecolor: str, linewidth: float, labels: Iterable[str] | None,
          label_size: float) -> None:
    outlines = load_outlines()
    polys, fcs = [], []
    for iso3 in sorted(outlines):
        for p in outlines[iso3]:
            polys.append(p)
            fcs.append(facecolors.get(iso3, background))
    ax.add_collection(PolyCollection(polys, facecolors=fcs, edgecolors=edgecolor, linewidths=linewidth))
    lon0, lon1, lat0, lat1 = extent
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / math.cos(math.radians((lat0 + lat1) / 2)))
    ax.set_facecolor(SEA)
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    pts = label_points()
    for iso3 in sorted(labels if labels is not None else facecolors):
        if iso3 in pts:
            x, y = pts[iso3]
            if lon0 < x < lon1 and lat0 < y < lat1:
                ax.text(x, y, iso3, ha="center", va="center", fontsize=label_size, color="0.1",
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6})


def draw_map(ax: Axes, values: Mapping[str, float], *, cmap: str | Colormap = "viridis",
             vmin: float | None = None, vmax: float | None = None,
             extent: tuple[float, float, float, float] = WEST_AFRICA_EXTENT, background: str = "0.9",
             edgecolor: str = "0.35", linewidth: float = 0.5, labels: Iterable[str] | None = None,
             label_size: float = 6.5) -> ScalarMappable:
    """Draw the region on ``ax`` with each state in ``values`` coloured by its number.

    States without a value (or with NaN) are drawn in ``background``. Returns the mappable, for
    ``fig.colorbar(...)``. ``labels``: the states to label with their code (default: those with a value).
    """
    finite = [float(v) for v in values.values() if np.isfinite(v)]
    norm = Normalize(vmin if vmin is not None else (min(finite) if finite else 0.0),
                     vmax if vmax is not None else (max(finite) if finite else 1.0))
    sm = ScalarMappable(norm=norm, cmap=cmap)
    fc = {k: sm.cmap(norm(float(v))) for k, v in values.items() if np.isfinite(v)}
    _draw(ax, fc, extent=extent, background=background, edgecolor=edgecolor, linewidth=linewidth,
          labels=labels if labels is not None else list(values), label_size=label_size)
    return sm


def draw_map_categories(ax: Axes, categories: Mapping[str, str], colors: Mapping[str, Any], *,
                        extent: tuple[float, float, float, float] = WEST_AFRICA_EXTENT,
                        background: str = "0.9", edgecolor: str = "0.35", linewidth: float = 0.5,
                        labels: Iterable[str] | None = None, label_size: float = 6.5) -> list[Patch]:
    """Draw the region with each state coloured by its category (e.g. its regime or its bloc).

    Args:
        categories: ISO3 -> category; states not listed are drawn in ``background``.
        colors: category -> matplotlib colour. A category without a colour is an error.

    Returns:
        Legend handles, one per category present, in the order of ``colors``.
    """
    unknown = sorted(set(categories.values()) - set(colors))
    if unknown:
        raise ValueError(f"no colour for categories: {', '.join(unknown)}")
    fc = {k: colors[c] for k, c in categories.items()}
    _draw(ax, fc, extent=extent, background=background, edgecolor=edgecolor, linewidth=linewidth,
          labels=labels if labels is not None else list(categories), label_size=label_size)
    present = set(categories.values())
    return [Patch(facecolor=colors[c], edgecolor=edgecolor, label=c) for c in colors if c in present]
