"""Give the demo township grid and village boundaries (resources/township/qingxi-boundaries.geojson,
read with resources/township/qingxi.json by `domain.township.load_demo_township`).

The demo is invented, so its boundaries are too: each grid's cell of the Voronoi diagram of the
grid centres (the ground nearer its centre than any other's), clipped to the township's outline
(the hull of every place in it, 1.2 km out, smoothed); a village is the union of its grids.
Neighbours share their edges exactly, as a GIS export's do. Run once; the result is committed.
Run: .venv/bin/python scripts/make_demo_boundaries.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from shapely import voronoi_polygons
from shapely.geometry import MultiPoint, Point, mapping
from shapely.ops import unary_union

PATH = Path(__file__).resolve().parents[1] / "resources" / "township" / "qingxi.json"
OUT = PATH.with_name("qingxi-boundaries.geojson")


def rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(geometry), parse_float=lambda s: round(float(s), 6))
    return out


def main() -> int:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    lat0 = data["lat"]
    km = 1 / 111.32  # degrees of latitude per km
    lon_km = km / math.cos(math.radians(lat0))
    places = [(g["lon"], g["lat"]) for g in data["grids"]]
    places += [(v["lon"], v["lat"]) for v in data["villages"]]
    places += [(c["lon"], c["lat"]) for c in data["cameras"]]
    outline = MultiPoint(places).convex_hull.buffer(1.2 * (km + lon_km) / 2).simplify(0.002)
    centres = MultiPoint([(g["lon"], g["lat"]) for g in data["grids"]])
    cells = voronoi_polygons(centres, extend_to=outline)
    by_grid: dict[str, Any] = {}
    for cell in cells.geoms:
        for g in data["grids"]:
            if cell.contains(Point(g["lon"], g["lat"])):
                by_grid[g["code"]] = cell.intersection(outline)
                break
    assert len(by_grid) == len(data["grids"]), "every grid has its cell"
    features = []
    for v in data["villages"]:
        mine = [by_grid[g["code"]] for g in data["grids"] if g["village"] == v["code"]]
        if mine:
            features.append(({"village": v["code"], "name": v["name"]}, unary_union(mine)))
    for g in data["grids"]:
        features.append(({"grid": g["code"], "name": g["name"]}, by_grid[g["code"]]))
    lines = [
        json.dumps({"type": "Feature", "properties": props, "geometry": rounded(mapping(shape))},
                   ensure_ascii=False, separators=(",", ":"))
        for props, shape in features
    ]  # fmt: skip
    OUT.write_text(
        '{"type":"FeatureCollection","coordinate_system":"WGS-84","features":[\n'
        + ",\n".join(lines)
        + "\n]}\n",
        encoding="utf-8",
    )
    print(f"{len(features)} boundaries written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
