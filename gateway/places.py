"""Where a phone's position lies in the township: its village (and grid) for a report that
gives only a position (a resident's app, an Open311 client), and whether it is in the
township at all. Positions come in the system the sender declares (a phone's map: GCJ-02 or
BD-09) and are kept in WGS-84, as the backend keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.coords import CoordinateSystem, to_wgs84
from domain.map_geometry import ring_contains
from domain.township import Township, distance_m

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


def locate(
    township: Township, lat: float, lon: float, system: CoordinateSystem = CoordinateSystem.WGS84
) -> Place:
    """The position in WGS-84 with the village and grid it lies in; OutsideTownship if it
    lies in none and farther than MARGIN_M from every village's and grid's centre."""
    w_lat, w_lon = to_wgs84(lat, lon, system)
    for grid in township.grids.values():
        if _inside(grid.boundary, w_lon, w_lat):
            return Place(w_lat, w_lon, grid.village, grid.code)
    for village in township.villages.values():
        if _inside(village.boundary, w_lon, w_lat):
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
