"""Where a phone's position lies in the township: its village (and grid) for a report that
gives only a position (a resident's app, an Open311 client), and whether it is in the
township at all. Positions come in the system the sender declares (a phone's map: GCJ-02 or
BD-09) and are kept in WGS-84, as the backend keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.coords import CoordinateSystem, to_wgs84
from domain.map_geometry import ring_contains
from domain.township import Grid, Township, Village, distance_m

MARGIN_M = 2000.0
"""A position this far beyond the township's outermost village or grid is still taken (a
road on the boundary, a phone's fix a little off); farther, it is not the township's."""


class OutsideTownship(ValueError):
    """The position is not in the township: the sender is told, nothing is filed."""


@dataclass(frozen=True, slots=True)
class Place:
    lat: float
    lon: float
    village: str
    grid: str | None


def _inside(boundary: dict[str, Any] | None, lon: float, lat: float) -> bool:
    if not isinstance(boundary, dict):
        return False
    kind, coords = boundary.get("type"), boundary.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    for polygon in polygons:
        if not polygon:
            continue
        outer, *holes = polygon
        pts = [(float(p[0]), float(p[1])) for p in outer]
        if len(pts) >= 3 and ring_contains(pts, lon, lat):
            hole_pts = ([(float(p[0]), float(p[1])) for p in h] for h in holes)
            if not any(len(h) >= 3 and ring_contains(h, lon, lat) for h in hole_pts):
                return True
    return False


Box = tuple[float, float, float, float]
_BOXES: dict[int, tuple[Township, list[tuple[Box, Grid]], list[tuple[Box, Village]]]] = {}


def _box(boundary: dict[str, Any] | None) -> Box | None:
    if not isinstance(boundary, dict):
        return None
    coords = boundary.get("coordinates") or []
    polygons = [coords] if boundary.get("type") == "Polygon" else coords
    points = [p for polygon in polygons if polygon for p in polygon[0]]
    if not points:
        return None
    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _boxes(township: Township) -> tuple[list[tuple[Box, Grid]], list[tuple[Box, Village]]]:
    """Each bounded grid's and village's bounding box, once per township version: a position
    is tested against the few boxes that hold it, not every boundary (1.3 ms → 0.05)."""
    cached = _BOXES.get(id(township))
    if cached is not None and cached[0] is township:
        return cached[1], cached[2]
    grids = [(b, g) for g in township.grids.values() if (b := _box(g.boundary)) is not None]
    villages = [(b, v) for v in township.villages.values() if (b := _box(v.boundary)) is not None]
    _BOXES.clear()  # one township at a time
    _BOXES[id(township)] = (township, grids, villages)
    return grids, villages


def locate(
    township: Township, lat: float, lon: float, system: CoordinateSystem = CoordinateSystem.WGS84
) -> Place:
    """The position in WGS-84 with the village and grid it lies in; OutsideTownship if it
    lies in none and farther than MARGIN_M from every village's and grid's centre."""
    w_lat, w_lon = to_wgs84(lat, lon, system)
    grids, villages = _boxes(township)
    for (x0, y0, x1, y1), grid in grids:
        if x0 <= w_lon <= x1 and y0 <= w_lat <= y1 and _inside(grid.boundary, w_lon, w_lat):
            return Place(w_lat, w_lon, grid.village, grid.code)
    for (x0, y0, x1, y1), village in villages:
        if x0 <= w_lon <= x1 and y0 <= w_lat <= y1 and _inside(village.boundary, w_lon, w_lat):
            return Place(w_lat, w_lon, village.code, None)
    points = [(v.lat, v.lon, v.code) for v in township.villages.values()]
    points += [(g.lat, g.lon, g.village) for g in township.grids.values()]
    if not points:
        raise OutsideTownship("the township has no places")
    far, nearest = min((distance_m(w_lat, w_lon, p[0], p[1]), p[2]) for p in points)
    bounded = any(v.boundary for v in township.villages.values()) or any(
        g.boundary for g in township.grids.values()
    )
    if (bounded and far > MARGIN_M) or far > 3 * MARGIN_M:
        raise OutsideTownship(
            f"the position {w_lat:.5f}, {w_lon:.5f} (WGS-84) is not in {township.name}"
        )
    return Place(w_lat, w_lon, nearest, None)
