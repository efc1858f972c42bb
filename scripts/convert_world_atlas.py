"""One-off conversion: Natural Earth country outlines (npm ``world-atlas``) -> sim/data/west_africa.geojson.

Not run at install; the output is committed. To redo it::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    cd - && .venv/bin/python scripts/convert_world_atlas.py \
        "$OLDPWD/package/countries-50m.json" sim/data/west_africa.geojson

Steps: decode the TopoJSON (quantised, delta-encoded arcs; ``~i`` is arc ``i`` reversed), simplify each
*arc* once with Douglas-Peucker (so shared borders stay identical on both sides), stitch the rings of
the kept countries, drop rings that collapse, round to 0.001 degree, and write the features sorted by
ISO 3166-1 alpha-3 code with fixed JSON formatting (same input, same bytes).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

# ISO 3166-1 numeric (the ids world-atlas uses) -> alpha-3, for the countries kept.
KEEP: dict[str, str] = {
    # ECOWAS as founded (15 states, including the three AES states that left in January 2025)
    "204": "BEN", "854": "BFA", "132": "CPV", "384": "CIV", "270": "GMB", "288": "GHA", "324": "GIN",
    "624": "GNB", "430": "LBR", "466": "MLI", "562": "NER", "566": "NGA", "686": "SEN", "694": "SLE",
    "768": "TGO",
    # neighbours in the model or its context
    "148": "TCD", "478": "MRT", "012": "DZA", "434": "LBY", "120": "CMR", "140": "CAF", "729": "SDN",
    # background only, so that the region does not float in white space
    "504": "MAR", "732": "ESH", "788": "TUN", "818": "EGY", "728": "SSD", "266": "GAB", "226": "GNQ",
    "178": "COG", "678": "STP", "180": "COD", "231": "ETH", "232": "ERI",
}
TOLERANCE = 0.02  # degrees; Douglas-Peucker tolerance per arc (about 2 km)


def decode_arcs(topo: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates of every arc."""
    scale = np.array(topo["transform"]["scale"], dtype=float)
    translate = np.array(topo["transform"]["translate"], dtype=float)
    out = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.array(arc, dtype=np.int64), axis=0)
        out.append(q * scale + translate)
    return out


def douglas_peucker(pts: np.ndarray, tol: float) -> np.ndarray:
    """Simplify a polyline, keeping both ends (iterative, so long arcs do not hit the recursion limit)."""
    n = len(pts)
    if n < 3:
        return pts
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = pts[i], pts[j]
        seg = pts[i + 1: j]
        d = b - a
        norm = float(np.hypot(*d))
        if norm == 0.0:
            dist = np.hypot(*(seg - a).T)
        else:
            dist = np.abs(d[0] * (seg[:, 1] - a[1]) - d[1] * (seg[:, 0] - a[0])) / norm
        k = int(np.argmax(dist))
        if dist[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return pts[keep]


def ring(arc_ids: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for k, a in enumerate(arc_ids):
        pts = arcs[a] if a >= 0 else arcs[~a][::-1]
        parts.append(pts if k == 0 else pts[1:])
    return np.concatenate(parts)


def polygon_area(r: np.ndarray) -> float:
    x, y = r[:, 0], r[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def convert(topo: dict, tol: float = TOLERANCE) -> dict:
    arcs = [douglas_peucker(a, tol) for a in decode_arcs(topo)]
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        iso3 = KEEP.get(str(g.get("id")))
        if iso3 is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        out_polys = []
        for poly in polys:
            rings = []
            for r in poly:
                pts = np.round(ring(r, arcs), 3)
                keep = np.ones(len(pts), dtype=bool)
                keep[1:] = np.any(pts[1:] != pts[:-1], axis=1)
                pts = pts[keep]
                if len(pts) >= 4 and abs(polygon_area(pts)) > 1e-4:
                    rings.append([[float(x), float(y)] for x, y in pts])
            if rings:
                out_polys.append(rings)
        feats.append({
            "type": "Feature",
            "properties": {"iso3": iso3, "iso_n3": str(g["id"]), "name": g["properties"]["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": out_polys},
        })
    feats.sort(key=lambda f: f["properties"]["iso3"])
    missing = sorted(set(KEEP.values()) - {f["properties"]["iso3"] for f in feats})
    if missing:
        raise SystemExit(f"error: not found in the input: {', '.join(missing)}")
    return {"type": "FeatureCollection", "features": feats}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("topojson", type=Path, help="countries-50m.json from the world-atlas npm package")
    p.add_argument("out", type=Path, help="GeoJSON to write")
    p.add_argument("--tolerance", type=float, default=TOLERANCE, help=f"degrees (default {TOLERANCE})")
    a = p.parse_args(argv)
    gj = convert(json.loads(a.topojson.read_text(encoding="utf-8")), a.tolerance)
    text = json.dumps(gj, ensure_ascii=False, separators=(",", ":"))
    # one feature per line: readable diffs, still compact
    text = text.replace('{"type":"Feature",', '\n{"type":"Feature",') + "\n"
    a.out.write_text(text, encoding="utf-8")
    print(f"{len(gj['features'])} countries, {len(text.encode()) / 1024:.0f} KB -> {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
